/**
 * What the jobs API (Sora) answers, checked on arrival, and how it maps onto
 * the normalised SoraJob. Unknown extra fields are dropped; a missing id or an
 * unknown status is a broken answer, not something to guess around.
 */
import { z } from 'zod';
import type { DescribedRequest } from './listed-jobs';
import { inpaintItemSchema } from './rules';
import type { SoraJob } from './types';

const unixSeconds = z.number().nullable().optional();

export const jobsGenerationSchema = z.object({
  object: z.literal('video.generation').optional(),
  id: z.string().min(1),
  job_id: z.string().optional(),
  created_at: z.number().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  n_seconds: z.number().optional(),
  prompt: z.string().optional(),
});
export type JobsGeneration = z.output<typeof jobsGenerationSchema>;

export const jobsJobSchema = z.object({
  object: z.literal('video.generation.job').optional(),
  id: z.string().min(1),
  status: z.enum(['queued', 'preprocessing', 'running', 'processing', 'succeeded', 'failed', 'cancelled']),
  created_at: z.number(),
  finished_at: unixSeconds,
  expires_at: unixSeconds,
  generations: z.array(jobsGenerationSchema).default([]),
  prompt: z.string().optional(),
  model: z.string().optional(),
  n_variants: z.number().optional(),
  n_seconds: z.number().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  // Kept as sent and read leniently by describeJobsJob: an odd echo must not break reading a job's status.
  inpaint_items: z.unknown().optional(),
  failure_reason: z.string().nullable().optional(),
});
export type JobsJob = z.output<typeof jobsJobSchema>;

export const jobsListSchema = z.object({
  object: z.literal('list').optional(),
  data: z.array(jobsJobSchema),
  has_more: z.boolean().default(false),
  first_id: z.string().nullable().optional(),
  last_id: z.string().nullable().optional(),
});
export type JobsList = z.output<typeof jobsListSchema>;

export function jobFromWire(job: JobsJob): SoraJob {
  return {
    id: job.id,
    status: job.status,
    progress: null,
    createdAt: job.created_at,
    finishedAt: job.finished_at ?? null,
    expiresAt: job.expires_at ?? null,
    generations: job.generations.map((g) => ({ id: g.id })),
    failureReason: job.failure_reason ?? null,
    failureMessage: null,
  };
}

/** The request a job says it was made from, for matching a create whose answer was lost. */
export function describeJobsJob(job: JobsJob): DescribedRequest {
  return {
    prompt: job.prompt ?? null,
    width: job.width ?? null,
    height: job.height ?? null,
    nSeconds: job.n_seconds ?? null,
    nVariants: job.n_variants ?? null,
    inpaintItems: inpaintItemsOf(job.inpaint_items),
    remixOf: null,
  };
}

const echoedItemsSchema = z.array(inpaintItemSchema);

/**
 * The spec makes `inpaint_items` optional, so a job without it may have had
 * media or not: not reported. An echo that cannot be read is not reported either.
 */
function inpaintItemsOf(echo: unknown): DescribedRequest['inpaintItems'] {
  const parsed = echoedItemsSchema.safeParse(echo);
  if (!parsed.success) return null;
  return parsed.data.map((item) => ({
    type: item.type,
    fileName: item.file_name,
    frameIndex: item.frame_index,
    ...(item.crop_bounds ? { cropBounds: item.crop_bounds } : {}),
  }));
}
