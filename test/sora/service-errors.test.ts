/**
 * Every class of failure, answered by the Sora emulator over real HTTP, as
 * the SoraError a caller sees: auth, unknown deployment, a 400 naming its
 * field, throttling with its wait, server errors, a reset connection and a
 * call that runs out of time.
 */
import type { AccessToken, TokenCredential } from '@azure/identity';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSoraEmulator, type SoraEmulator } from '../../src/local/sora-emulator';
import { createVideoService, SoraError, type JobsClient, type VideoServiceOptions, type VideosClient } from '../../src/sora';
import { rejection } from './support';

let now = Date.parse('2026-11-25T12:00:00Z');
const clock = { now: () => now };

let emulator: SoraEmulator;

/** Emulator defaults: 2 running jobs per deployment, 60 requests a minute. */
beforeAll(async () => {
  emulator = await startSoraEmulator({ port: 0, clock, jobSeconds: 10, log: () => undefined });
});

afterAll(async () => {
  await emulator.close();
});

afterEach(() => {
  emulator.faults.clear();
  // A fresh rate-limit minute, and every job of the test finished.
  now += 120_000;
});

function jobs(overrides: Partial<VideoServiceOptions<'jobs'>> = {}): JobsClient {
  return createVideoService({ api: 'jobs', endpoint: emulator.endpoint, deployment: emulator.deployments.jobs, apiKey: emulator.apiKey, ...overrides });
}

function videos(overrides: Partial<VideoServiceOptions<'videos'>> = {}): VideosClient {
  return createVideoService({ api: 'videos', endpoint: emulator.endpoint, deployment: emulator.deployments.videos, apiKey: emulator.apiKey, ...overrides });
}

const small = { prompt: 'a red kite', width: 480, height: 480, nSeconds: 1, nVariants: 1 };
const portrait = { prompt: 'a red kite', width: 720, height: 1280, nSeconds: 4, nVariants: 1 };

describe('Sora errors as the client reports them', () => {
  it('401: a wrong key, with the request id for support', async () => {
    for (const client of [jobs({ apiKey: 'wrong' }), videos({ apiKey: 'wrong' })]) {
      const error = await rejection(client.getJob('anything'));
      expect(error).toMatchObject({ status: 401, code: '401', retryable: false, region: 'local-emulator' });
      expect(error.serviceMessage).toMatch(/Access denied/);
      expect(error.requestId).toMatch(/\S/);
      expect(error.message).toContain(error.requestId);
    }
  });

  it('sends an Entra ID bearer token (the emulator takes its key as the token)', async () => {
    const credential: TokenCredential = {
      getToken: (): Promise<AccessToken> => Promise.resolve({ token: emulator.apiKey, expiresOnTimestamp: Date.now() + 3_600_000 }),
    };
    const client = createVideoService({ api: 'jobs', endpoint: emulator.endpoint, deployment: emulator.deployments.jobs, credential });
    const job = await client.submit(small);
    expect(job.status).toBe('queued');
  });

  it('404 DeploymentNotFound for a deployment the resource does not have', async () => {
    for (const client of [jobs({ deployment: 'no-such-deployment' }), videos({ deployment: 'no-such-deployment' })]) {
      const error = await rejection(client.submit(client.api === 'jobs' ? small : portrait));
      expect(error).toMatchObject({ status: 404, code: 'DeploymentNotFound', retryable: false });
    }
  });

  it('404 for an unknown job, video or generation', async () => {
    expect(await rejection(jobs().getJob('task_unknown'))).toMatchObject({ status: 404, retryable: false });
    expect(await rejection(jobs().openContent('gen_unknown'))).toMatchObject({ status: 404, retryable: false });
    expect(await rejection(videos().getJob('video_unknown'))).toMatchObject({ status: 404, code: 'video_not_found' });
  });

  it('400 naming the parameter the service rejected', async () => {
    const error = await rejection(jobs().listJobs({ limit: 1000 }));
    expect(error).toMatchObject({ status: 400, code: 'invalid_value', param: 'limit', retryable: false });
    expect(error.message).toContain('(param: limit)');
  });

  it('sends the configured api-version (one the service does not know is a 400 on that parameter)', async () => {
    expect(await rejection(jobs({ apiVersion: '2099-01-01' }).getJob('task_x'))).toMatchObject({ status: 400, param: 'api-version' });
    expect(await rejection(jobs({ apiVersion: 'v1' }).getJob('task_x'))).toMatchObject({ status: 404 });
  });

  it('429 from an injected fault, with the wait from retry-after-ms', async () => {
    emulator.faults.add({ kind: 'status', operation: 'createJob', status: 429, times: 1, retryAfterSeconds: 7 });
    const error = await rejection(jobs().submit(small));
    expect(error).toMatchObject({ status: 429, code: 'too_many_requests', retryAfterMs: 7000, retryable: true });
    // The fault was used up: the same request now passes.
    expect((await jobs().submit(small)).status).toBe('queued');
  });

  it('429 with only retry-after (seconds) left: the wait is still known', async () => {
    // The emulator sends both headers; drop the precise one, as some proxies do.
    const withoutMs: typeof fetch = async (input, init) => {
      const answer = await fetch(input, init);
      const headers = new Headers(answer.headers);
      headers.delete('retry-after-ms');
      return new Response(answer.body, { status: answer.status, statusText: answer.statusText, headers });
    };
    emulator.faults.add({ kind: 'status', operation: 'getJob', status: 429, times: 1, retryAfterSeconds: 3 });
    const error = await rejection(jobs({ fetch: withoutMs }).getJob('task_x'));
    expect(error).toMatchObject({ status: 429, retryAfterMs: 3000, retryable: true });
  });

  it('429 when the deployment already runs two jobs, saying when a slot frees up', async () => {
    await jobs().submit(small);
    now += 2000;
    await jobs().submit(small);
    const error = await rejection(jobs().submit(small));
    expect(error).toMatchObject({ status: 429, code: 'too_many_requests', retryable: true });
    // The first job ends 10 s after it started, 8 s from now.
    expect(error.retryAfterMs).toBe(8000);
  });

  it('429 when the request rate is exceeded', async () => {
    const client = jobs();
    let error: SoraError | undefined;
    for (let i = 0; i < 61 && !error; i += 1) {
      error = await client.getJob('task_unknown').then(
        () => undefined,
        (e: unknown) => (e instanceof SoraError && e.status === 429 ? e : undefined),
      );
    }
    expect(error).toMatchObject({ status: 429, code: 'too_many_requests', retryable: true });
    expect(error?.retryAfterMs).toBeGreaterThan(0);
  });

  it('500 and 503 from injected faults are retryable', async () => {
    emulator.faults.add({ kind: 'status', operation: 'getVideo', status: 500, times: 1 });
    emulator.faults.add({ kind: 'status', operation: 'createVideo', status: 503, times: 1, retryAfterSeconds: 2 });
    expect(await rejection(videos().getJob('video_x'))).toMatchObject({ status: 500, code: 'internal_error', retryable: true, retryAfterMs: null });
    expect(await rejection(videos().submit(portrait))).toMatchObject({ status: 503, code: 'service_unavailable', retryable: true, retryAfterMs: 2000 });
  });

  it('a connection reset in the middle of the content is a retryable network error on the stream', async () => {
    const client = jobs();
    const job = await client.submit(small);
    now += 11_000;
    const generationId = (await client.getJob(job.id)).generations[0]?.id ?? '';
    emulator.faults.add({ kind: 'reset', operation: 'content', afterBytes: 1000, times: 1 });
    const content = await client.openContent(generationId);
    let received = 0;
    const error = await rejection(
      (async () => {
        for await (const chunk of content.body) received += (chunk as Buffer).length;
      })(),
    );
    expect(received).toBe(1000);
    expect(error).toMatchObject({ status: undefined, code: 'network_error', retryable: true });
  });

  it('a call that gets no answer in time is a retryable timeout', async () => {
    emulator.faults.add({ kind: 'slow', operation: 'getJob', delayMs: 2000, times: 1 });
    const error = await rejection(jobs({ timeoutMs: 200 }).getJob('task_slow'));
    expect(error).toMatchObject({ status: undefined, code: 'timeout', retryable: true });
    expect(error.message).toContain('200 ms');
  });

  it('cannot reach the endpoint at all: a retryable network error', async () => {
    const closed = createServer().listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const error = await rejection(jobs({ endpoint: `http://127.0.0.1:${port}` }).getJob('task_x'));
    expect(error).toMatchObject({ status: undefined, code: 'network_error', retryable: true });
    expect(error.serviceMessage).toContain('ECONNREFUSED');
  });
});
