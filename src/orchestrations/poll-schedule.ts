/**
 * When to look at a Sora job next — a pure function, so the orchestrator stays
 * deterministic and the schedule is unit-tested on its own.
 *
 * Polling every few seconds wastes quota (about 60 requests a minute per
 * resource) on jobs that take minutes. Instead: the first look comes just
 * before the job is expected to finish; after that the gap halves as the
 * expected end nears (or as reported progress says) but never skips past
 * that end, widens gently once the job is overdue, honours a 429's
 * retry-after, and never runs past the deadline. The expected duration may be
 * learned from the deployment's recent jobs of the same shape
 * (src/entities/duration-estimate.ts); then the overdue phase knows how much
 * later than usual a slow job runs.
 */
import type { PollPolicy } from '../contracts/orchestration';

export interface PollState {
  /** Time since the job was accepted. */
  elapsedMs: number;
  /** Time left until the request's deadline. */
  remainingMs: number;
  /** Status checks made so far. */
  checks: number;
  /** 0–100 when the service reports progress (Sora 2), else null. */
  progress: number | null;
  /** From the last check's 429/503, when the service asked us to wait. */
  retryAfterMs: number | null;
}

/**
 * Share of the expected duration to wait before the first look while that
 * duration is a prior (the setting or the size-based typical): a guess at the
 * usual job, so the first look comes a little before it.
 */
const FIRST_LOOK = 0.8;
/**
 * A learned expectation is already a high percentile of the shape's recent
 * jobs (src/entities/duration-estimate.ts): most are done by then, so a look
 * before it would mostly find the job running and cost the quota a call.
 */
const FIRST_LOOK_LEARNED = 1;
/**
 * Once overdue, wait this fraction of the lateness so far — or, when the
 * spread of this shape's durations is known, of that spread while the job is
 * later by less: within the usual spread it is probably finishing, so the
 * gaps stay as fine as the spread needs rather than starting at the minimum.
 */
const OVERDUE_FRACTION = 0.25;

export function nextPollDelayMs(policy: PollPolicy, state: PollState): number {
  const delay = state.checks === 0 ? firstDelay(policy) : laterDelay(policy, state);
  const polite = Math.max(delay, state.retryAfterMs ?? 0);
  return Math.round(Math.max(0, Math.min(polite, state.remainingMs)));
}

function firstDelay(policy: PollPolicy): number {
  return Math.max(policy.minDelayMs, policy.expectedDurationMs * (isLearned(policy) ? FIRST_LOOK_LEARNED : FIRST_LOOK));
}

/** The spread is known only once the expectation was learned from enough jobs (./learned-duration.ts). */
function isLearned(policy: PollPolicy): boolean {
  return policy.spreadMs !== undefined && policy.spreadMs !== null;
}

function laterDelay(policy: PollPolicy, state: PollState): number {
  const remaining = expectedRemainingMs(policy, state);
  const lateness = state.elapsedMs - policy.expectedDurationMs;
  const delay = remaining > 0 ? remaining / 2 : Math.max(lateness, policy.spreadMs ?? 0) * OVERDUE_FRACTION;
  return notPastExpectedEnd(policy, state, clamp(delay, policy.minDelayMs, policy.maxDelayMs));
}

/**
 * The minimum gap would carry the next look past the moment the job is
 * expected to end, and every second between that end and the look that sees
 * it keeps the deployment's slot idle: look at that moment instead. It is one
 * moment per job, so this adds at most one look under the minimum.
 */
function notPastExpectedEnd(policy: PollPolicy, state: PollState, delay: number): number {
  const untilExpectedEnd = policy.expectedDurationMs - state.elapsedMs;
  return untilExpectedEnd > 0 ? Math.min(delay, untilExpectedEnd) : delay;
}

/** Reported progress beats the size-based estimate when the service gives it. */
function expectedRemainingMs(policy: PollPolicy, state: PollState): number {
  const p = state.progress;
  if (p !== null && p > 0 && p < 100) return (state.elapsedMs * (100 - p)) / p;
  return policy.expectedDurationMs - state.elapsedMs;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
