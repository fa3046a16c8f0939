/** Jobs API (Sora) wire objects: `video.generation.job` and `video.generation`. */
import type { EmulatedGeneration, EmulatedJob } from './jobs';
import { jobState } from './lifecycle';

/** Content is kept about 24 hours, like the service. */
export const EXPIRES_AFTER_SECONDS = 24 * 60 * 60;

const seconds = (ms: number): number => Math.floor(ms / 1000);

export function generationView(job: EmulatedJob, generation: EmulatedGeneration): Record<string, unknown> {
  return {
    object: 'video.generation',
    id: generation.id,
    job_id: job.id,
    created_at: seconds(job.createdAtMs + job.durationMs),
    width: job.width,
    height: job.height,
    n_seconds: job.seconds,
    prompt: job.prompt,
  };
}

export function jobView(job: EmulatedJob, nowMs: number): Record<string, unknown> {
  const state = jobState(job, nowMs);
  const finished = 'finishedAtMs' in state ? seconds(state.finishedAtMs) : null;
  return {
    object: 'video.generation.job',
    id: job.id,
    status: state.phase,
    created_at: seconds(job.createdAtMs),
    finished_at: finished,
    expires_at: state.phase === 'succeeded' ? seconds(job.createdAtMs) + EXPIRES_AFTER_SECONDS : null,
    generations: state.phase === 'succeeded' ? job.generations.map((g) => generationView(job, g)) : [],
    prompt: job.prompt,
    model: job.deployment,
    n_variants: job.variants,
    n_seconds: job.seconds,
    height: job.height,
    width: job.width,
    ...(job.inpaintItems ? { inpaint_items: job.inpaintItems } : {}),
    failure_reason: state.phase === 'failed' ? state.reason : null,
  };
}
