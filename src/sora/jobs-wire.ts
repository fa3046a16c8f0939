/**
 * What the jobs API (Sora) answers, checked on arrival, and how it maps onto
 * the normalised SoraJob. Unknown extra fields are dropped; a missing id or an
 * unknown status is a broken answer, not something to guess around.
 */
import { z } from 'zod';
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
