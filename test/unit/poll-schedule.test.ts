import { describe, expect, it } from 'vitest';
import type { PollPolicy } from '../../src/contracts/orchestration';
import { nextPollDelayMs, type PollState } from '../../src/orchestrations/poll-schedule';
import { typicalJobDurationMs } from '../../src/sora/typical-duration';

const policy: PollPolicy = { minDelayMs: 5_000, maxDelayMs: 60_000, expectedDurationMs: 300_000 };
const fresh: PollState = { elapsedMs: 0, remainingMs: 30 * 60_000, checks: 0, progress: null, retryAfterMs: null };

/** Replays the schedule against a job that finishes at `jobMs`; returns the checks it takes to see it done. */
function checksToDetect(p: PollPolicy, jobMs: number): { checks: number; detectedAtMs: number } {
  let elapsed = 0;
  let checks = 0;
  while (elapsed < jobMs) {
    elapsed += nextPollDelayMs(p, { ...fresh, elapsedMs: elapsed, remainingMs: 30 * 60_000 - elapsed, checks });
    checks++;
  }
  return { checks, detectedAtMs: elapsed };
}

describe('poll schedule', () => {
  it('first looks shortly before the job is expected to finish, not after a fixed few seconds', () => {
    expect(nextPollDelayMs(policy, fresh)).toBe(240_000);
  });

  it('never waits less than the minimum, even for a quick job', () => {
    expect(nextPollDelayMs({ ...policy, expectedDurationMs: 2_000 }, fresh)).toBe(5_000);
  });

  it('halves the remaining expected time as the end nears', () => {
    expect(nextPollDelayMs(policy, { ...fresh, checks: 1, elapsedMs: 240_000 })).toBe(30_000);
    expect(nextPollDelayMs(policy, { ...fresh, checks: 2, elapsedMs: 280_000 })).toBe(10_000);
    expect(nextPollDelayMs(policy, { ...fresh, checks: 3, elapsedMs: 295_000 })).toBe(5_000);
  });

  it('looks at the expected end when the minimum gap would carry it past (a 10-second job: at 8 s, then at 10 s)', () => {
    const tenSeconds = { ...policy, expectedDurationMs: 10_000 };
    expect(nextPollDelayMs(tenSeconds, fresh)).toBe(8_000);
    expect(nextPollDelayMs(tenSeconds, { ...fresh, checks: 1, elapsedMs: 8_000 })).toBe(2_000);
    // Overdue, the minimum holds again.
    expect(nextPollDelayMs(tenSeconds, { ...fresh, checks: 2, elapsedMs: 10_000 })).toBe(5_000);
    expect(checksToDetect(tenSeconds, 10_000)).toEqual({ checks: 2, detectedAtMs: 10_000 });
  });

  it('backs off gently once the job is overdue, up to the maximum', () => {
    expect(nextPollDelayMs(policy, { ...fresh, checks: 5, elapsedMs: 340_000 })).toBe(10_000);
    expect(nextPollDelayMs(policy, { ...fresh, checks: 9, elapsedMs: 900_000 })).toBe(60_000);
  });

  it('trusts reported progress over the size-based estimate', () => {
    // 50 % after 60 s: about 60 s left, so look again in 30 s although the estimate says 240 s remain.
    expect(nextPollDelayMs(policy, { ...fresh, checks: 1, elapsedMs: 60_000, progress: 50 })).toBe(30_000);
  });

  it("waits at least as long as a 429's retry-after asks", () => {
    expect(nextPollDelayMs(policy, { ...fresh, checks: 3, elapsedMs: 295_000, retryAfterMs: 20_000 })).toBe(20_000);
  });

  it('never sleeps past the deadline', () => {
    expect(nextPollDelayMs(policy, { ...fresh, remainingMs: 12_345 })).toBe(12_345);
    expect(nextPollDelayMs(policy, { ...fresh, checks: 4, remainingMs: 0, retryAfterMs: 60_000 })).toBe(0);
  });

  it('detects a 5-minute job with far fewer checks than a fixed 5-second poll', () => {
    const { checks, detectedAtMs } = checksToDetect(policy, 300_000);
    const fixedFiveSecondChecks = 300_000 / 5_000;
    expect(checks).toBeLessThanOrEqual(6);
    expect(checks).toBeLessThanOrEqual(fixedFiveSecondChecks / 10);
    // ...and notices it within one minimum interval of finishing.
    expect(detectedAtMs - 300_000).toBeLessThanOrEqual(5_000);
  });
});

describe('typical job duration', () => {
  it('spans the service’s 1 to 5 minutes by size, length and variants', () => {
    expect(typicalJobDurationMs(480, 480, 1)).toBeGreaterThanOrEqual(60_000);
    expect(typicalJobDurationMs(1920, 1080, 20)).toBe(300_000);
    expect(typicalJobDurationMs(480, 480, 5, 4)).toBeGreaterThan(typicalJobDurationMs(480, 480, 5, 1));
  });
});

describe('poll schedule with a learned duration', () => {
  it('backs off around the learned spread once overdue, then with the lateness as before', () => {
    const learned: PollPolicy = { ...policy, spreadMs: 80_000 };
    // 10 s late on a shape whose slow jobs run 80 s over its median: a quarter of the spread, not of the lateness.
    expect(nextPollDelayMs(learned, { ...fresh, checks: 5, elapsedMs: 310_000 })).toBe(20_000);
    expect(nextPollDelayMs(policy, { ...fresh, checks: 5, elapsedMs: 310_000 })).toBe(5_000);
    // Later than the spread: the lateness decides again.
    expect(nextPollDelayMs(learned, { ...fresh, checks: 6, elapsedMs: 460_000 })).toBe(40_000);
  });

  it('first looks at the learned expectation itself, a high percentile, not at 80 % of it', () => {
    const tenSeconds: PollPolicy = { ...policy, expectedDurationMs: 10_000, spreadMs: 400 };
    expect(nextPollDelayMs(tenSeconds, fresh)).toBe(10_000);
    // A job done by its shape's usual time is seen with one check instead of two (8 s, then 10 s, by the setting).
    expect(checksToDetect(tenSeconds, 10_000)).toEqual({ checks: 1, detectedAtMs: 10_000 });
    expect(checksToDetect({ ...tenSeconds, spreadMs: undefined }, 10_000)).toEqual({ checks: 2, detectedAtMs: 10_000 });
    // One slower than the percentile is caught by the overdue phase, within the minimum gap of its end.
    expect(checksToDetect(tenSeconds, 13_000)).toEqual({ checks: 2, detectedAtMs: 15_000 });
  });

  it('keeps the first look at 80 % while the expectation is still the prior (no spread learned yet)', () => {
    expect(nextPollDelayMs({ ...policy, spreadMs: null }, fresh)).toBe(240_000);
  });

  it('with no spread (every job took as long) keeps the overdue phase as before', () => {
    expect(nextPollDelayMs({ ...policy, spreadMs: 0 }, { ...fresh, checks: 5, elapsedMs: 340_000 })).toBe(10_000);
  });
});
