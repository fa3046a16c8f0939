/**
 * How a copy retries its source: throttling waited out as asked and counted
 * toward nothing but a cap on time, transient failures a few times in a row,
 * anything else never. Waits are recorded, not slept.
 */
import { describe, expect, it } from 'vitest';
import { SourceRetry, type SourceFailure, type SourceRetryPolicy } from '../../src/storage/source-retry';

class Failure extends Error {
  constructor(readonly failure: SourceFailure) {
    super(failure.kind);
  }
}

function retrying(overrides: Partial<SourceRetryPolicy> = {}) {
  const waits: number[] = [];
  const policy: SourceRetryPolicy = {
    transientAttempts: 3,
    transientWaitsMs: [0, 500],
    throttleWaitMs: 1_000,
    maxThrottledMs: 60_000,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
    ...overrides,
  };
  const retry = new SourceRetry(policy, (error) => (error as Failure).failure, new AbortController().signal);
  return { retry, waits };
}

/** A call that fails with `failures` in turn, then answers 'done'; counts its attempts. */
function flaky(failures: SourceFailure[]) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    attempt: () => {
      const failure = failures[calls++];
      return failure ? Promise.reject(new Failure(failure)) : Promise.resolve('done');
    },
  };
}

describe('SourceRetry', () => {
  it('waits what a throttled answer asks for (or its default), and such waits use up no attempt', async () => {
    const { retry, waits } = retrying();
    const throttled = (retryAfterMs: number | null): SourceFailure => ({ kind: 'throttled', retryAfterMs });
    const call = flaky([throttled(30_000), throttled(null), throttled(2_000), throttled(2_000), throttled(2_000)]);
    expect(await retry.call(call.attempt)).toBe('done');
    expect(call.calls).toBe(6);
    expect(waits).toEqual([30_000, 1_000, 2_000, 2_000, 2_000]);
  });

  it('gives up once its throttled waits would pass the cap, with the throttled failure', async () => {
    const { retry, waits } = retrying({ maxThrottledMs: 50_000 });
    const call = flaky([{ kind: 'throttled', retryAfterMs: 30_000 }, { kind: 'throttled', retryAfterMs: 30_000 }]);
    await expect(retry.call(call.attempt)).rejects.toThrow('throttled');
    expect(waits).toEqual([30_000]);
  });

  it('tries again after transient failures, waiting longer each time, until too many come in a row', async () => {
    const { retry, waits } = retrying();
    const transient: SourceFailure = { kind: 'transient' };
    expect(await retry.call(flaky([transient, transient]).attempt)).toBe('done');
    expect(waits).toEqual([500]);
    await expect(retry.call(flaky([transient, transient, transient]).attempt)).rejects.toThrow('transient');
  });

  it('starts the count afresh after progress: a long stream may break now and then', async () => {
    const { retry } = retrying();
    const streak = { transient: 0 };
    const broken = new Failure({ kind: 'transient' });
    await retry.beforeRetry(broken, streak);
    await retry.beforeRetry(broken, streak);
    streak.transient = 0;
    await retry.beforeRetry(broken, streak);
    await retry.beforeRetry(broken, streak);
    await expect(retry.beforeRetry(broken, streak)).rejects.toBe(broken);
  });

  it('never retries a fatal failure', async () => {
    const { retry, waits } = retrying();
    const call = flaky([{ kind: 'fatal' }]);
    await expect(retry.call(call.attempt)).rejects.toThrow('fatal');
    expect(call.calls).toBe(1);
    expect(waits).toEqual([]);
  });
});
