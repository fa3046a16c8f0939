/**
 * The pipeline against a misbehaving Sora: throttling, server errors, the
 * service's brief 404 after success, a job that never ends. Faults are
 * injected into the emulator; durable timers are skipped, never slept.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { VideoProgress } from '../../src/contracts/orchestration';
import { startPipeline, sha256OfSoraContent, sha256OfUrl, type Pipeline } from './support';

let p: Pipeline;

beforeAll(async () => {
  // 1 MiB blocks: a few-MiB video is copied as parallel byte ranges.
  p = await startPipeline({ settings: { JOB_DEADLINE_MINUTES: '5', STORE_BLOCK_SIZE_MIB: '1' } });
});
afterEach(() => {
  p.stack.emulator?.faults.clear();
});
afterAll(async () => {
  await p.close();
});

async function progressOf(id: string): Promise<VideoProgress> {
  return (await p.stack.host.client.getStatus(id)).customStatus as VideoProgress;
}

describe('recovering from transient failures', () => {
  it('resubmits after 429s on create, honouring retry-after, and succeeds', async () => {
    p.stack.emulator?.faults.add({ kind: 'status', operation: 'createJob', status: 429, times: 2, retryAfterSeconds: 20 });
    const started = p.stack.host.clock.now();
    const { id } = await p.api.create({ prompt: 'Throttled but patient', n_seconds: 1 });
    const view = await p.waitUntilFinished(id);
    expect(view.status).toBe('succeeded');
    // Two waits of at least 20 s of (virtual) time happened before the job was accepted.
    expect(p.stack.host.clock.now() - started).toBeGreaterThanOrEqual(40_000);
    // The Durable Functions HTTP API's history lists each completed activity with its name.
    const status = await fetch(`${p.baseUrl}/runtime/webhooks/durabletask/instances/${id}?showHistory=true`);
    const { historyEvents } = (await status.json()) as { historyEvents: unknown[] };
    const submits = historyEvents.filter((e) => {
      const event = e as { EventType?: string; FunctionName?: string };
      return event.EventType === 'TaskCompleted' && event.FunctionName === 'submitVideoJob';
    });
    expect(submits).toHaveLength(3);
  });

  it('keeps polling through 500s and 503s on status checks', async () => {
    p.stack.emulator?.faults.add({ kind: 'status', operation: 'getJob', status: 500, times: 2 });
    p.stack.emulator?.faults.add({ kind: 'status', operation: 'getJob', status: 503, times: 1, retryAfterSeconds: 30 });
    const { id } = await p.api.create({ prompt: 'Flaky status endpoint', n_seconds: 1 });
    const view = await p.waitUntilFinished(id);
    expect(view.status).toBe('succeeded');
    expect((await progressOf(id)).checks).toBeGreaterThanOrEqual(4);
  });

  it('retries the copy while content answers 404 right after success, then stores the exact bytes', async () => {
    p.stack.emulator?.faults.add({ kind: 'contentNotFound', forSeconds: 20 });
    const { id } = await p.api.create({ prompt: 'Content not there yet', n_seconds: 1 });
    const view = await p.waitUntilFinished(id);
    expect(view.status).toBe('succeeded');
    const job = await p.sora.getJob(view.soraJobId ?? '');
    expect(view.videos[0]?.sha256).toBe(await sha256OfSoraContent(p.sora, job.generations[0]?.id ?? ''));
  });

  it('survives a connection reset in the middle of the content', async () => {
    p.stack.emulator?.faults.add({ kind: 'reset', operation: 'content', afterBytes: 1000, times: 1 });
    const { id } = await p.api.create({ prompt: 'Reset mid-stream', n_seconds: 1 });
    const view = await p.waitUntilFinished(id);
    expect(view.status).toBe('succeeded');
    const job = await p.sora.getJob(view.soraJobId ?? '');
    expect(view.videos[0]?.sha256).toBe(await sha256OfSoraContent(p.sora, job.generations[0]?.id ?? ''));
  });
});

describe('large videos', () => {
  it('are copied as parallel byte ranges, a range that breaks fetched again, the blob identical to what Sora served', async () => {
    p.stack.emulator?.faults.add({ kind: 'contentSize', bytes: 6 * 1024 * 1024 + 123 });
    p.stack.emulator?.faults.add({ kind: 'reset', operation: 'content', afterBytes: 300_000, times: 1 });
    const { id } = await p.api.create({ prompt: 'A large video', n_seconds: 1 });
    const view = await p.waitUntilFinished(id);
    expect(view.status).toBe('succeeded');
    expect(view.videos[0]?.bytes).toBe(6 * 1024 * 1024 + 123);
    const job = await p.sora.getJob(view.soraJobId ?? '');
    const served = await sha256OfSoraContent(p.sora, job.generations[0]?.id ?? '');
    expect(view.videos[0]?.sha256).toBe(served);
    expect(await sha256OfUrl(view.videos[0]?.url ?? '')).toBe(served);
  });
});

describe('giving up', () => {
  it('past the deadline cancels the Sora job and ends timed_out', async () => {
    p.stack.emulator?.faults.add({ kind: 'neverFinish', times: 1 });
    const { id } = await p.api.create({ prompt: 'Never done', n_seconds: 1 });
    const view = await p.waitUntilFinished(id);
    expect(view.status).toBe('timed_out');
    expect(view.error?.code).toBe('timed_out');
    const job = await p.sora.getJob(view.soraJobId ?? '').then(
      (j) => j.status,
      (error: unknown) => (error as { status?: number }).status,
    );
    expect([404, 'cancelled']).toContain(job);
  });

  it('fails with Sora’s code, message and request id when Sora keeps refusing the job', async () => {
    // A 429 certainly made no job; six in a row use up the submit attempts. (A 5xx may have made one: see test/reconciliation.)
    p.stack.emulator?.faults.add({ kind: 'status', operation: 'createJob', status: 429, times: 6, retryAfterSeconds: 1 });
    const { id } = await p.api.create({ prompt: 'Throttled for good', n_seconds: 1 });
    const view = await p.waitUntilFinished(id);
    expect(view.status).toBe('failed');
    expect(view.error?.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(view.error).toMatchObject({ code: 'too_many_requests', message: 'Injected fault: createJob answers 429.' });
    expect(JSON.stringify(view.error)).not.toMatch(/\bat .*\.js:\d+/);
  });
});
