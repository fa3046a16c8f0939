/**
 * The real videoBatch orchestrator on the local host, over the real
 * videoGeneration orchestrator with scripted activities: how many requests
 * run at once, the counts a client reads as they finish, every item's outcome,
 * and a cancel that stops the running requests and never starts the rest.
 * Ordering comes from gates and held time skipping, never from sleeping.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemRequestId, type BatchItemInput, type VideoBatchInput, type VideoBatchProgress, type VideoBatchResult } from '../../src/contracts/batch';
import type { LocalHost } from '../../src/local/host';
import { EVENTS, FUNCTIONS } from '../../src/names';
import { scriptActivities, type ActivityCalls, type FakeActivities } from './app/activity-fakes';
import { startFakeActivityHost } from './support/fake-activity-host';
import { createGate } from './support/gate';
import { accepted, jobStatus, request, succeedingActivities } from './support/scenario';

let host: LocalHost;

beforeAll(async () => {
  host = await startFakeActivityHost({ timeSkipping: true });
});
afterAll(async () => {
  await host.close();
});

type ItemPlan = { rejected: true } | { fakes: (requestId: string) => FakeActivities };

/** The batch's own calls: its announcement goes through publishCompletion, keyed by the batch id as a request's is by its id. */
const BATCH = -1;

/** Scripts every good item's activities (and the batch's announcement, under {@link BATCH}) and starts the batch as the starter does; returns the recorded calls. */
async function startBatch(batchId: string, concurrency: number, plans: ItemPlan[]): Promise<Map<number, ActivityCalls>> {
  const calls = new Map<number, ActivityCalls>();
  calls.set(BATCH, scriptActivities(request(batchId), succeedingActivities(batchId)));
  const items: BatchItemInput[] = plans.map((plan, item) => {
    const requestId = itemRequestId(batchId, item);
    if ('rejected' in plan) return { item, requestId, rejected: [{ field: 'width', message: '500x500 is not a supported size' }] };
    const run = request(requestId);
    calls.set(item, scriptActivities(run, plan.fakes(requestId)));
    return { item, requestId, run };
  });
  const input: VideoBatchInput = { batchId, source: { kind: 'api' }, concurrency, acceptedAt: new Date(0).toISOString(), fingerprint: 'f', problems: [], items };
  await host.client.startNew(FUNCTIONS.videoBatch, { instanceId: batchId, input });
  return calls;
}

async function exists(id: string): Promise<boolean> {
  try {
    await host.client.getStatus(id);
    return true;
  } catch (error) {
    if (error instanceof Error && error.message.includes('HTTP 404')) return false;
    throw error;
  }
}

describe('a batch', () => {
  it('runs at most `concurrency` requests at once, counts them as they finish and lists every outcome', async () => {
    const batchId = 'batch-mixed';
    const gates = [createGate(), createGate()];
    const held = (gate: (typeof gates)[number]) => (requestId: string): FakeActivities => ({
      ...succeedingActivities(requestId),
      submitVideoJob: async () => {
        await gate.pass();
        return accepted(requestId);
      },
    });
    const failing = (requestId: string): FakeActivities => ({ ...succeedingActivities(requestId), getVideoJob: () => jobStatus(requestId, 'failed') });
    const calls = await startBatch(batchId, 2, [
      { fakes: held(gates[0] as (typeof gates)[number]) },
      { rejected: true },
      { fakes: held(gates[1] as (typeof gates)[number]) },
      { fakes: failing },
      { fakes: succeedingActivities },
    ]);

    await Promise.all(gates.map((g) => g.reached));
    // Both running requests wait at their submit: the batch started them in one episode and nothing since.
    const during = await host.client.getStatus(batchId);
    expect(during.customStatus as VideoBatchProgress).toEqual({
      total: 5,
      counts: { pending: 2, running: 2, succeeded: 0, failed: 0, cancelled: 0, timed_out: 0, rejected: 1 },
      cancelRequested: false,
    });
    expect(await exists(itemRequestId(batchId, 3))).toBe(false);
    expect(await exists(itemRequestId(batchId, 1))).toBe(false);

    for (const gate of gates) gate.open();
    await host.waitForIdle();
    const done = await host.client.getStatus(batchId);
    expect(done.runtimeStatus).toBe('Completed');
    const result = done.output as VideoBatchResult;
    expect(result.counts).toEqual({ pending: 0, running: 0, succeeded: 3, failed: 1, cancelled: 0, timed_out: 0, rejected: 1 });
    expect((done.customStatus as VideoBatchProgress).counts).toEqual(result.counts);
    expect(result.items.map((i) => [i.item, i.requestId, i.outcome, i.started])).toEqual([
      [0, 'batch-mixed-0', 'succeeded', true],
      [1, 'batch-mixed-1', 'rejected', false],
      [2, 'batch-mixed-2', 'succeeded', true],
      [3, 'batch-mixed-3', 'failed', true],
      [4, 'batch-mixed-4', 'succeeded', true],
    ]);
    expect(result.items[1]?.errors).toEqual([{ field: 'width', message: '500x500 is not a supported size' }]);
    expect(result.items[3]?.error).toEqual({ code: 'unknown', message: 'Sora failed the job: unknown' });
    // Each child is an ordinary request under its derived id, run once.
    expect((await host.client.getStatus('batch-mixed-4')).runtimeStatus).toBe('Completed');
    expect([0, 2, 3, 4].map((item) => calls.get(item)?.submitVideoJob.length)).toEqual([1, 1, 1, 1]);
    // Then the batch's one event, after every item's own, with no callback to deliver to.
    expect(calls.get(BATCH)?.publishCompletion).toMatchObject([{ kind: 'batch', id: batchId, status: 'completed', total: 5, counts: result.counts }]);
    expect(calls.get(BATCH)?.startWebhookDelivery).toEqual([]);
  });

  it('on cancel, cancels the running requests and never starts the rest', async () => {
    const batchId = 'batch-cancel';
    host.pauseTimeSkipping();
    const calls = await startBatch(batchId, 2, [{ fakes: succeedingActivities }, { fakes: succeedingActivities }, { fakes: succeedingActivities }, { fakes: succeedingActivities }]);
    // Held time: the two running requests wait on their first poll timer.
    await host.waitForIdle();
    expect((await host.client.getStatus(batchId)).customStatus as VideoBatchProgress).toMatchObject({ counts: { pending: 2, running: 2 } });

    await host.client.raiseEvent(batchId, EVENTS.cancel, { requestedAt: new Date(host.clock.now()).toISOString() });
    host.resumeTimeSkipping();
    await host.waitForIdle();

    const done = await host.client.getStatus(batchId);
    const result = done.output as VideoBatchResult;
    expect(result.counts).toEqual({ pending: 0, running: 0, succeeded: 0, failed: 0, cancelled: 4, timed_out: 0, rejected: 0 });
    expect(result.items.map((i) => [i.outcome, i.started])).toEqual([
      ['cancelled', true],
      ['cancelled', true],
      ['cancelled', false],
      ['cancelled', false],
    ]);
    expect((done.customStatus as VideoBatchProgress).cancelRequested).toBe(true);
    // The running two deleted their Sora jobs; the other two never existed.
    expect([0, 1].map((item) => calls.get(item)?.cancelVideoJob.map((c) => c.soraJobId))).toEqual([['task_batch-cancel-0'], ['task_batch-cancel-1']]);
    expect(await exists(itemRequestId(batchId, 2))).toBe(false);
    expect(await exists(itemRequestId(batchId, 3))).toBe(false);
    expect(calls.get(2)?.submitVideoJob).toEqual([]);
    expect(calls.get(BATCH)?.publishCompletion).toMatchObject([{ kind: 'batch', status: 'cancelled', total: 4, counts: { cancelled: 4 } }]);
  });
});
