/** Videos API (Sora 2) wire objects: `video` and `video.deleted`. */
import type { EmulatedJob } from './jobs';
import { EXPIRES_AFTER_SECONDS } from './jobs-view';
import { jobState } from './lifecycle';

const seconds = (ms: number): number => Math.floor(ms / 1000);

/**
 * Neither Azure's nor OpenAI's video docs name the code of a moderation
 * failure; OpenAI's image API uses `moderation_blocked`, so the emulator does too.
 */
const ERROR_CODE = { input_moderation: 'moderation_blocked', internal_error: 'internal_error' } as const;

export function videoView(job: EmulatedJob, nowMs: number): Record<string, unknown> {
  const state = jobState(job, nowMs);
  const base = {
    id: job.id,
    object: 'video',
    model: job.deployment,
    created_at: seconds(job.createdAtMs),
    expires_at: seconds(job.createdAtMs) + EXPIRES_AFTER_SECONDS,
    remixed_from_video_id: job.remixedFrom,
    seconds: String(job.seconds),
    size: `${job.width}x${job.height}`,
    prompt: job.prompt,
  };
  switch (state.phase) {
    case 'queued':
      return { ...base, status: 'queued', progress: 0, completed_at: null, error: null };
    case 'preprocessing':
    case 'running':
    case 'processing':
      return { ...base, status: 'in_progress', progress: state.progress, completed_at: null, error: null };
    case 'succeeded':
      return { ...base, status: 'completed', progress: 100, completed_at: seconds(state.finishedAtMs), error: null };
    case 'failed':
      return { ...base, status: 'failed', progress: 0, completed_at: seconds(state.finishedAtMs), error: { code: ERROR_CODE[state.reason], message: state.message } };
    case 'cancelled':
      return { ...base, status: 'cancelled', progress: 0, completed_at: seconds(state.finishedAtMs), error: null };
  }
}
