// Host-side retry back-off, as DurableTask.Core's RetryInterceptor computes it.
import { describe, expect, it } from 'vitest';
import { retryDelayMs, withinRetryTimeout } from '../../src/local/host/orchestration/retry';

describe('retry back-off', () => {
  it('waits the first interval every time without a coefficient', () => {
    const options = { firstRetryIntervalInMilliseconds: 1000, maxNumberOfAttempts: 4 };
    expect([0, 1, 2].map((k) => retryDelayMs(options, k))).toEqual([1000, 1000, 1000]);
  });

  it('grows by the coefficient per failed attempt', () => {
    const options = { firstRetryIntervalInMilliseconds: 1000, maxNumberOfAttempts: 5, backoffCoefficient: 2 };
    expect([0, 1, 2, 3].map((k) => retryDelayMs(options, k))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('caps the delay at maxRetryInterval', () => {
    const options = {
      firstRetryIntervalInMilliseconds: 1000,
      maxNumberOfAttempts: 5,
      backoffCoefficient: 3,
      maxRetryIntervalInMilliseconds: 5000,
    };
    expect([0, 1, 2].map((k) => retryDelayMs(options, k))).toEqual([1000, 3000, 5000]);
  });

  it('stops retrying once the retry timeout since the first attempt has passed', () => {
    const options = { firstRetryIntervalInMilliseconds: 1000, maxNumberOfAttempts: 5, retryTimeoutInMilliseconds: 10_000 };
    expect(withinRetryTimeout(options, 0, 9_999)).toBe(true);
    expect(withinRetryTimeout(options, 0, 10_000)).toBe(false);
    expect(withinRetryTimeout({ firstRetryIntervalInMilliseconds: 1, maxNumberOfAttempts: 2 }, 0, 1e15)).toBe(true);
  });
});
