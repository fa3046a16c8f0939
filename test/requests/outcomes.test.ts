/**
 * The trigger-free request functions, called directly as a queue or batch
 * starter would call them: a real durable client of the local host running
 * this app, Azurite, the Sora emulator. Prompts the emulator's moderation
 * blocks ("forbidden") fail without rendering a video, which keeps this cheap;
 * time skipping makes the durable timers instant.
 */
import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import type { VideoGenerationInput, VideoSpec } from '../../src/contracts/orchestration';
import { createDependencies, type Dependencies } from '../../src/dependencies';
import { withProblems } from '../../src/http/with-problems';
import { startLocalStack, type LocalStack } from '../../src/local/stack';
import { cancelVideoRequest } from '../../src/requests/cancel-video-request';
import { listVideoRequests } from '../../src/requests/list-video-requests';
import { readVideoRequest } from '../../src/requests/read-video-request';
import { remixVideoRequest } from '../../src/requests/remix-video-request';
import { startVideoRequest } from '../../src/requests/start-video-request';

let stack: LocalStack;
let deps: Dependencies;
const logged: string[] = [];
const log = (message: string) => {
  logged.push(message);
};

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, timeSkipping: true, standalone: true, emulator: { log: () => undefined } });
  deps = createDependencies(loadConfig(stack.settings));
});
afterAll(async () => {
  await stack.close();
});

const blocked = (prompt: string, api: VideoSpec['api'] = 'jobs'): VideoSpec =>
  api === 'jobs'
    ? { api, prompt: `${prompt} (forbidden)`, width: 480, height: 480, nSeconds: 1, nVariants: 1 }
    : { api, prompt: `${prompt} (forbidden)`, width: 720, height: 1280, nSeconds: 4, nVariants: 1 };

async function instanceIds(): Promise<string[]> {
  return (await stack.host.client.getStatusAll()).map((s) => s.instanceId).sort();
}

describe('startVideoRequest', () => {
  it('starts a client-chosen id once: the same spec again is the existing request, another spec a conflict', async () => {
    const before = await instanceIds();
    const spec = blocked('An otter');
    logged.length = 0;

    expect(await startVideoRequest(deps, stack.host.client, { id: 'order-1', idChosenByClient: true, spec }, log)).toEqual({ kind: 'started', id: 'order-1' });
    const again = await startVideoRequest(deps, stack.host.client, { id: 'order-1', idChosenByClient: true, spec: { ...spec } }, log);
    const clash = await startVideoRequest(deps, stack.host.client, { id: 'order-1', idChosenByClient: true, spec: { ...spec, nSeconds: 2 } }, log);

    expect(again).toMatchObject({ kind: 'existing', id: 'order-1', instance: { instanceId: 'order-1', input: { requestId: 'order-1', spec } } });
    expect(clash).toEqual({ kind: 'conflict', id: 'order-1' });
    expect(await instanceIds()).toEqual([...before, 'order-1'].sort());
    expect(logged).toEqual(['Started video request order-1 (jobs API, 480x480, 1s, 1 variant(s), 0 input(s))']);
  });

  it('builds the orchestration input from the settings: the request id, the spec, the poll policy and the output container', async () => {
    const spec = blocked('A heron');
    await startVideoRequest(deps, stack.host.client, { id: 'heron-1', idChosenByClient: false, spec }, log);
    const input = (await stack.host.client.getStatus('heron-1', { showInput: true })).input as VideoGenerationInput;
    expect(input).toMatchObject({ requestId: 'heron-1', spec, output: { container: 'videos' } });
    expect(input.policy.poll.minDelayMs).toBe(deps.config.poll.minDelayMs);
    expect(input.policy.deadlineMs).toBe(deps.config.deadlineMs);
  });
});

describe('readVideoRequest', () => {
  it('reads a finished request as its view, and an unknown id as undefined', async () => {
    await startVideoRequest(deps, stack.host.client, { id: 'read-1', idChosenByClient: true, spec: blocked('A fox') }, log);
    await stack.host.waitForIdle();

    const view = await readVideoRequest(deps, stack.host.client, 'read-1');
    expect(view).toMatchObject({ id: 'read-1', status: 'failed', api: 'jobs', size: '480x480', n_seconds: 1, videos: [], links: { self: '/api/videos/read-1', cancel: '/api/videos/read-1/cancel' } });
    expect(view?.error?.code).toBe('input_moderation');
    // Only Sora 2 requests can be remixed, so only their views list remixes.
    expect(view?.remixes).toBeUndefined();
    expect(await readVideoRequest(deps, stack.host.client, 'no-such-request')).toBeUndefined();
  });
});

describe('a request that timed out', () => {
  const spec: VideoSpec = { api: 'jobs', prompt: 'A slow day', width: 480, height: 480, nSeconds: 1, nVariants: 1 };

  it('says no Sora job was started when Sora asked to wait past the deadline', async () => {
    stack.emulator?.faults.add({ kind: 'status', operation: 'createJob', status: 429, times: 1, retryAfterSeconds: 24 * 3600 });
    try {
      await startVideoRequest(deps, stack.host.client, { id: 'late-before-job', idChosenByClient: true, spec }, log);
      await stack.host.waitForIdle();
    } finally {
      stack.emulator?.faults.clear();
    }
    const view = await readVideoRequest(deps, stack.host.client, 'late-before-job');
    expect(view).toMatchObject({ status: 'timed_out', soraJobId: null });
    expect(view?.error).toEqual({
      code: 'timed_out',
      message: 'The deadline passed before Sora accepted the job (it kept asking us to wait and retry); no Sora job was started.',
      requestId: null,
    });
  });

  it('says no job of the request was found when Sora’s answer to the create was lost and the deadline came first', async () => {
    // A 500 may or may not have made a job: the next create waits (here past the deadline), then the job is looked for.
    stack.emulator?.faults.add({ kind: 'status', operation: 'createJob', status: 500, times: 1, retryAfterSeconds: 24 * 3600 });
    try {
      await startVideoRequest(deps, stack.host.client, { id: 'late-unsure', idChosenByClient: true, spec }, log);
      await stack.host.waitForIdle();
    } finally {
      stack.emulator?.faults.clear();
    }
    const view = await readVideoRequest(deps, stack.host.client, 'late-unsure');
    expect(view).toMatchObject({ status: 'timed_out', soraJobId: null });
    expect(view?.error?.message).toBe('The deadline passed while it was unclear whether Sora had taken the job (its answer was lost); no job of this request was found at Sora.');
  });

  it('names the Sora job it cancelled when the job was still running at the deadline', async () => {
    stack.emulator?.faults.add({ kind: 'neverFinish', times: 1 });
    try {
      await startVideoRequest(deps, stack.host.client, { id: 'late-while-running', idChosenByClient: true, spec }, log);
      await stack.host.waitForIdle();
    } finally {
      stack.emulator?.faults.clear();
    }
    const view = await readVideoRequest(deps, stack.host.client, 'late-while-running');
    expect(view?.status).toBe('timed_out');
    expect(view?.soraJobId).toMatch(/^task_/);
    expect(view?.error?.message).toBe(`The video was not ready before the deadline; Sora job ${view?.soraJobId ?? ''} was cancelled.`);
  });
});

describe('cancelVideoRequest', () => {
  it('accepts a cancel while the request runs, then says it finished cancelled; unknown ids are not found', async () => {
    stack.emulator?.faults.add({ kind: 'neverFinish', times: 1 });
    // Slow status checks keep time skipping from racing to the deadline before the cancel arrives.
    stack.emulator?.faults.add({ kind: 'slow', operation: 'getJob', delayMs: 300 });
    try {
      const spec: VideoSpec = { api: 'jobs', prompt: 'A job that would never end', width: 480, height: 480, nSeconds: 1, nVariants: 1 };
      await startVideoRequest(deps, stack.host.client, { id: 'cancel-1', idChosenByClient: true, spec }, log);
      const first = await cancelVideoRequest(stack.host.client, 'cancel-1');
      expect(first.kind).toBe('accepted');
      expect(['pending', 'submitted', 'queued']).toContain(first.kind === 'accepted' ? first.status : undefined);
      await stack.host.waitForIdle();
      expect(await cancelVideoRequest(stack.host.client, 'cancel-1')).toEqual({ kind: 'finished', status: 'cancelled' });
    } finally {
      stack.emulator?.faults.clear();
    }
    expect(await cancelVideoRequest(stack.host.client, 'no-such-request')).toEqual({ kind: 'not_found' });
  });
});

describe('remixVideoRequest', () => {
  it('refuses unknown sources, jobs API sources and Sora 2 sources that did not succeed, starting nothing', async () => {
    await startVideoRequest(deps, stack.host.client, { id: 'remix-src-jobs', idChosenByClient: true, spec: blocked('A jobs video') }, log);
    await startVideoRequest(deps, stack.host.client, { id: 'remix-src-videos', idChosenByClient: true, spec: blocked('A Sora 2 video', 'videos') }, log);
    await stack.host.waitForIdle();
    const before = await instanceIds();
    const remix = (sourceId: string) => remixVideoRequest(deps, stack.host.client, { sourceId, prompt: 'Again', id: `remix-of-${sourceId}`, idChosenByClient: true }, log);

    expect(await remix('no-such-request')).toEqual({ kind: 'not_found' });
    expect(await remix('remix-src-jobs')).toEqual({ kind: 'not_remixable', reason: 'jobs_api' });
    expect(await remix('remix-src-videos')).toEqual({ kind: 'not_remixable', reason: 'not_succeeded', status: 'failed' });
    expect(await instanceIds()).toEqual(before);
  });
});

describe('listVideoRequests', () => {
  it('pages newest first with a cursor that continues after the last item, and refuses a cursor it did not hand out', async () => {
    for (const id of ['list-1', 'list-2', 'list-3']) await startVideoRequest(deps, stack.host.client, { id, idChosenByClient: true, spec: blocked(id) }, log);
    await stack.host.waitForIdle();

    const all = await listVideoRequests(deps.requestIndex, { status: 'failed', limit: 100 });
    const first = await listVideoRequests(deps.requestIndex, { status: 'failed', limit: 2 });
    const second = await listVideoRequests(deps.requestIndex, { status: 'failed', limit: 2, cursor: first.kind === 'page' ? (first.nextCursor ?? '') : '' });
    if (all.kind !== 'page' || first.kind !== 'page' || second.kind !== 'page') throw new Error(`not pages: ${JSON.stringify([all, first, second])}`);

    expect(all.items.map((i) => i.id)).toEqual(expect.arrayContaining(['list-1', 'list-2', 'list-3']));
    expect(all.items.map((i) => i.createdAt)).toEqual(all.items.map((i) => i.createdAt).sort().reverse());
    expect(all.nextCursor).toBeNull();
    expect([...first.items, ...second.items].map((i) => i.id)).toEqual(all.items.slice(0, 4).map((i) => i.id));
    expect(await listVideoRequests(deps.requestIndex, { limit: 10, cursor: 'not-a-cursor' })).toEqual({ kind: 'bad_cursor' });
    // The list item agrees with the request's view: the same status, prompt, acceptance time and links.
    const view = await readVideoRequest(deps, stack.host.client, 'list-2');
    const item = all.items.find((i) => i.id === 'list-2');
    if (!item || !view) throw new Error('list-2 is missing from the list or has no view');
    const { updatedAt, ...brief } = item;
    expect(brief).toEqual({ id: 'list-2', status: view.status, prompt: view.prompt, createdAt: view.createdAt, links: view.links });
    expect(view.status).toBe('failed');
    // The orchestration's time of the end record, after the request was accepted.
    expect(Date.parse(updatedAt)).toBeGreaterThan(Date.parse(brief.createdAt));
  });
});

describe('ids that break the id rule', () => {
  // Decoded once, these encoded slashes climb from an instance's URL to the task hub's list of every instance.
  const escaping = '../../runtime/webhooks/durabletask/instances';

  it('name no request and never reach the durable client, which would list every instance', async () => {
    await startVideoRequest(deps, stack.host.client, { id: 'id-rule-secret', idChosenByClient: true, spec: blocked('id-rule-secret-prompt') }, log);
    await stack.host.waitForIdle();
    const before = await instanceIds();

    expect(await readVideoRequest(deps, stack.host.client, escaping)).toBeUndefined();
    expect(await cancelVideoRequest(stack.host.client, escaping)).toEqual({ kind: 'not_found' });
    const remix = await remixVideoRequest(deps, stack.host.client, { sourceId: escaping, prompt: 'Again', id: 'remix-of-escaping', idChosenByClient: true }, log);
    expect(remix).toEqual({ kind: 'not_found' });
    await expect(startVideoRequest(deps, stack.host.client, { id: 'a/b', idChosenByClient: true, spec: blocked('A slash') }, log)).rejects.toThrow('breaks the id rule');
    expect(await instanceIds()).toEqual(before);
  });

  it('would make the durable client fail with every instance in its message, which the error log leaves out', async () => {
    // What the client does with such an id when nothing stops it: its error quotes the whole instance list.
    const leak = await stack.host.client.getStatus(escaping, { showInput: true }).then(
      () => undefined,
      (error: unknown) => error,
    );
    if (!(leak instanceof Error)) throw new Error(`the durable client did not fail: ${String(leak)}`);
    expect(leak.message).toContain('id-rule-secret-prompt');

    const lines: string[] = [];
    const context = new InvocationContext({ functionName: 'getVideo', invocationId: 'inv-1', logHandler: (_level, ...args) => lines.push(args.map(String).join(' ')) });
    const handler = withProblems(() => Promise.reject(leak));
    const response = (await handler(new HttpRequest({ url: 'http://local/api/videos/x', method: 'GET' }), context)) as HttpResponseInit;
    expect(response.status).toBe(500);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Unhandled error in getVideo: Error: DurableClient error: could not construct a DurableOrchestrationStatus object');
    expect(lines[0]).toContain('(payload left out)');
    expect(lines[0]).not.toContain('id-rule-secret-prompt');
  });
});
