/**
 * A job's status at a given moment, computed from the clock (no timers):
 * jobs API queued → preprocessing → running → processing → succeeded over the
 * job's duration (10 % / 10 % / 70 % / 10 %); the videos API reports the same
 * span as queued → in_progress (progress 0–100) → completed.
 */
import type { EmulatedJob } from './jobs';

export type ActivePhase = 'queued' | 'preprocessing' | 'running' | 'processing';

export type JobState =
  | { phase: ActivePhase; progress: number }
  | { phase: 'succeeded'; finishedAtMs: number }
  | { phase: 'failed'; finishedAtMs: number; reason: 'input_moderation' | 'internal_error'; message: string }
  | { phase: 'cancelled'; finishedAtMs: number };

const QUEUED_END = 0.1;
const PREPROCESSING_END = 0.2;
const RUNNING_END = 0.9;
/** Where a neverFinish job stops: in the middle of running. */
const NEVER_FINISH_AT = 0.5;

function moderationFailsAtMs(job: EmulatedJob): number {
  return job.createdAtMs + job.durationMs * QUEUED_END;
}

/** When the job reaches its terminal state on its own; null when it never will. */
export function naturalEndMs(job: EmulatedJob): number | null {
  if (job.moderated) return moderationFailsAtMs(job);
  return job.neverFinish ? null : job.createdAtMs + job.durationMs;
}

function stateWithoutCancel(job: EmulatedJob, nowMs: number): JobState {
  const end = naturalEndMs(job);
  if (end !== null && nowMs >= end) {
    if (job.moderated) {
      return { phase: 'failed', finishedAtMs: end, reason: 'input_moderation', message: 'The prompt was blocked by content moderation.' };
    }
    if (job.renderError !== null) return { phase: 'failed', finishedAtMs: end, reason: 'internal_error', message: job.renderError };
    return { phase: 'succeeded', finishedAtMs: end };
  }
  const elapsed = job.durationMs <= 0 ? 1 : (nowMs - job.createdAtMs) / job.durationMs;
  const fraction = Math.max(0, Math.min(job.neverFinish ? NEVER_FINISH_AT : 1, elapsed));
  const progress = Math.min(99, Math.max(0, Math.floor(((fraction - QUEUED_END) / (1 - QUEUED_END)) * 100)));
  if (fraction < QUEUED_END) return { phase: 'queued', progress: 0 };
  if (fraction < PREPROCESSING_END) return { phase: 'preprocessing', progress };
  if (fraction < RUNNING_END) return { phase: 'running', progress };
  return { phase: 'processing', progress };
}

export function jobState(job: EmulatedJob, nowMs: number): JobState {
  if (job.cancelledAtMs !== null && nowMs >= job.cancelledAtMs) {
    const before = stateWithoutCancel(job, job.cancelledAtMs);
    if (!isTerminal(before)) return { phase: 'cancelled', finishedAtMs: job.cancelledAtMs };
  }
  return stateWithoutCancel(job, nowMs);
}

export function isTerminal(state: JobState): boolean {
  return state.phase === 'succeeded' || state.phase === 'failed' || state.phase === 'cancelled';
}
