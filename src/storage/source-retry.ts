/**
 * How a copy retries its source, by what the failure says:
 * - throttled (429, 503): wait what the source asked for, then go on; this
 *   counts toward nothing but a cap on the copy's time spent waiting so;
 * - transient (a broken connection, a timeout, another 5xx): again, a few
 *   times in a row at most — a try that moved the copy on starts the count
 *   afresh, so a long range that breaks now and then still finishes;
 * - anything else (401, 404, a range the source would not honour): at once.
 *
 * The source says which is which (`CopySource.failure`), so this module knows
 * nothing of Sora.
 */
import { setTimeout as delay } from 'node:timers/promises';

export type SourceFailure = { kind: 'throttled'; retryAfterMs: number | null } | { kind: 'transient' } | { kind: 'fatal' };

export interface SourceRetryPolicy {
  /** Transient failures in a row, without progress between them, that end the copy. */
  transientAttempts: number;
  /** Waits before the 1st, 2nd… retry after a transient failure (the last repeats). */
  transientWaitsMs: readonly number[];
  /** The wait after a throttled answer that names none. */
  throttleWaitMs: number;
  /** The copy fails once its throttled waits would add up to more than this. */
  maxThrottledMs: number;
  /** Waits, or rejects when the signal aborts; real time unless a test keeps time itself. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const DEFAULT_SOURCE_RETRY: SourceRetryPolicy = {
  transientAttempts: 4,
  // A reset is usually over at once; a second one in a row suggests giving the source a moment.
  transientWaitsMs: [0, 1_000, 4_000],
  throttleWaitMs: 1_000,
  maxThrottledMs: 5 * 60_000,
  sleep: (ms, signal) => delay(ms, undefined, { signal }),
};

/** Transient failures since the last progress of one stream of work. */
export interface FailureStreak {
  transient: number;
}

export class SourceRetry {
  private throttledMs = 0;

  constructor(
    private readonly policy: SourceRetryPolicy,
    private readonly classify: (error: unknown) => SourceFailure,
    private readonly signal: AbortSignal,
  ) {}

  /** Waits as `error` deserves before the next try, or throws it when there is to be none. */
  async beforeRetry(error: unknown, streak: FailureStreak): Promise<void> {
    this.signal.throwIfAborted();
    const failure = this.classify(error);
    if (failure.kind === 'fatal') throw error;
    if (failure.kind === 'throttled') {
      const waitMs = failure.retryAfterMs ?? this.policy.throttleWaitMs;
      if (this.throttledMs + waitMs > this.policy.maxThrottledMs) throw error;
      this.throttledMs += waitMs;
      await this.policy.sleep(waitMs, this.signal);
      return;
    }
    streak.transient++;
    if (streak.transient >= this.policy.transientAttempts) throw error;
    const waits = this.policy.transientWaitsMs;
    const waitMs = waits[Math.min(streak.transient, waits.length) - 1] ?? 0;
    if (waitMs > 0) await this.policy.sleep(waitMs, this.signal);
  }

  /** Runs one self-contained call (a HEAD, a small whole download) with these retries. */
  async call<T>(attempt: () => Promise<T>): Promise<T> {
    const streak: FailureStreak = { transient: 0 };
    for (;;) {
      try {
        return await attempt();
      } catch (error) {
        await this.beforeRetry(error, streak);
      }
    }
  }
}
