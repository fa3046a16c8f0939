/**
 * How the real orchestrator retries the copies of a request's variants, on
 * the local host with time skipping and typed fake activities: each variant
 * retried on its own after 5 s, then 10 s; and once one variant has failed
 * for the last time, the request ends failed at that moment, with its error —
 * another variant's pending retry is cancelled, not waited for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckOutcome } from '../../src/contracts/activities';
import type { ServiceErrorInfo } from '../../src/contracts/orchestration';
import type { LocalHost } from '../../src/local/host';
import type { HistoryEventPayload } from '../conformance/support/durable-http';
import { startFakeActivityHost, startRequest } from './support/fake-activity-host';
import { createGate } from './support/gate';
import { expectAbout, historyOf } from './support/history';
import { jobIdOf, request, soraJob, succeedingActivities } from './support/scenario';
import { userView } from './support/user-view';

let host: LocalHost;

beforeAll(async () => {
  host = await startFakeActivityHost({ timeSkipping: true });
});
afterAll(async () => {
  await host.close();
});

/** Sora's job succeeded with two variants. */
function twoVariants(requestId: string): CheckOutcome {
  const job = soraJob(jobIdOf(requestId), 'succeeded');
  return { kind: 'status', job: { ...job, generations: [{ id: `gen_${requestId}_0` }, { id: `gen_${requestId}_1` }] } };
}

const eventsOf = (history: HistoryEventPayload[], type: string) => history.filter((event) => event.EventType === type);
const at = (event: HistoryEventPayload | undefined) => Date.parse(String(event?.Timestamp));

/** Waits, request by request to the host (never on the clock), until the instance's history holds `count` timers. */
async function untilTimers(id: string, count: number): Promise<void> {
  while (eventsOf(await historyOf(host, id), 'TimerCreated').length < count) await new Promise(setImmediate);
}

describe('storing the variants', () => {
  it('retries a variant whose copy failed after 5 s, on its own, and succeeds with both stored', async () => {
    const input = request('store-retried-once', { store: { firstRetryMs: 5_000, maxAttempts: 3 } });
    const calls = await startRequest(host, input, {
      ...succeedingActivities(input.requestId),
      getVideoJob: () => twoVariants(input.requestId),
      storeVideo: (copy, call) => {
        if (copy.variant === 1 && call <= 2) throw new Error('Sora answered 404 for the content');
        return succeedingActivities(input.requestId).storeVideo(copy, call);
      },
    });

    await host.waitForIdle();
    const view = await userView(host, input.requestId);
    expect(view).toMatchObject({ runtimeStatus: 'Completed', status: 'succeeded', progress: { stage: 'succeeded', variantsStored: 2 } });
    expect(view.result?.outcome === 'succeeded' ? view.result.manifest.videos.map((v) => v.variant) : []).toEqual([0, 1]);
    expect(calls.storeVideo.map((copy) => copy.variant).sort()).toEqual([0, 1, 1]);
    const history = await historyOf(host, input.requestId);
    const retryTimer = eventsOf(history, 'TimerCreated').at(-1);
    expectAbout(Date.parse(String(retryTimer?.FireAt)) - at(retryTimer), 5_000);
  });

  it('ends failed with the error the moment one variant has failed for the last time, cancelling the other’s pending retry', async () => {
    const input = request('store-fails-while-another-waits', { store: { firstRetryMs: 5_000, maxAttempts: 3 } });
    const slowFirstCopy = createGate();
    const attempts = [0, 0];
    const calls = await startRequest(host, input, {
      ...succeedingActivities(input.requestId),
      getVideoJob: () => twoVariants(input.requestId),
      storeVideo: async (copy) => {
        const attempt = (attempts[copy.variant] ?? 0) + 1;
        attempts[copy.variant] = attempt;
        if (copy.variant === 0 && attempt === 1) await slowFirstCopy.pass();
        throw new Error(`Blob Storage refused variant ${copy.variant} (attempt ${attempt})`);
      },
    });

    // Variant 1 fails at once and waits 5 s; variant 0's first copy is still running, so the host
    // does not skip ahead by itself: the test moves the clock to variant 1's retry.
    await slowFirstCopy.reached;
    await untilTimers(input.requestId, 1);
    expect(host.clock.skipToNextTimer()).toBe(true);
    // Variant 1's second copy fails: it waits 10 s more. Now variant 0's first copy fails too,
    // 5 s behind: its retry comes 5 s later, then 10 s — after variant 1's last attempt.
    await untilTimers(input.requestId, 2);
    slowFirstCopy.open();
    await host.waitForIdle();

    const view = await userView(host, input.requestId);
    expect(view).toMatchObject({
      runtimeStatus: 'Completed',
      status: 'failed',
      progress: { stage: 'failed', variantsStored: 0 },
      result: { outcome: 'failed', error: { code: 'store_failed', message: "Activity function 'storeVideo' failed: Blob Storage refused variant 1 (attempt 3)" } },
    });
    expect(attempts).toEqual([2, 3]);
    expect(calls.writeManifest).toEqual([]);
    // The request ended with variant 1's last failure, 15 s after the copies began, not when
    // variant 0's retry would have come (20 s).
    const history = await historyOf(host, input.requestId);
    const copiesBegan = Math.min(...history.filter((event) => event.FunctionName === 'storeVideo').map((event) => Date.parse(String(event.ScheduledTime))));
    expectAbout(at(eventsOf(history, 'ExecutionCompleted')[0]) - copiesBegan, 15_000);
  });

  it('ends failed with the refusal the moment a variant is refused for good (its deployment gone), cancelling the other’s pending retry', async () => {
    const input = request('store-refused-while-another-waits', { store: { firstRetryMs: 5_000, maxAttempts: 3 } });
    const retired: ServiceErrorInfo = { status: 410, code: 'model_retired', message: "Deployment 'sora' is retired (410 Gone).", param: null, requestId: 'sora-req-410' };
    const slowRefusal = createGate();
    const attempts = [0, 0];
    await startRequest(host, input, {
      ...succeedingActivities(input.requestId),
      getVideoJob: () => twoVariants(input.requestId),
      storeVideo: async (copy) => {
        attempts[copy.variant] = (attempts[copy.variant] ?? 0) + 1;
        if (copy.variant === 0) throw new Error('Blob Storage is busy');
        await slowRefusal.pass();
        return { kind: 'deployment_gone', error: retired };
      },
    });

    // Variant 0 failed and waits 5 s to try again when variant 1 learns its deployment is gone.
    await slowRefusal.reached;
    await untilTimers(input.requestId, 1);
    slowRefusal.open();
    await host.waitForIdle();

    expect(await userView(host, input.requestId)).toMatchObject({ runtimeStatus: 'Completed', status: 'failed', result: { outcome: 'failed', error: retired } });
    expect(attempts).toEqual([1, 1]);
  });
});
