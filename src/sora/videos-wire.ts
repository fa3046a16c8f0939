/**
 * What the videos API (Sora 2) answers, checked on arrival, and how it maps
 * onto the normalised SoraJob: in_progress → running, completed → succeeded,
 * and a finished video is its own single generation.
 */
import { z } from 'zod';
import type { DescribedRequest } from './listed-jobs';
import type { SoraJob, SoraJobStatus } from './types';

const VIDEO_STATUS: Readonly<Record<VideosVideo['status'], SoraJobStatus>> = {
  queued: 'queued',
  in_progress: 'running',
  completed: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
};

export const videosVideoSchema = z.object({
  object: z.literal('video').optional(),
  id: z.string().min(1),
  model: z.string().optional(),
  status: z.enum(['queued', 'in_progress', 'completed', 'failed', 'cancelled']),
  progress: z.number().nullable().optional(),
  created_at: z.number(),
  completed_at: z.number().nullable().optional(),
  expires_at: z.number().nullable().optional(),
  error: z.object({ code: z.string(), message: z.string().optional() }).nullable().optional(),
  remixed_from_video_id: z.string().nullable().optional(),
  seconds: z.string().optional(),
  size: z.string().optional(),
  prompt: z.string().nullable().optional(),
});
export type VideosVideo = z.output<typeof videosVideoSchema>;

export const videosListSchema = z.object({
  object: z.literal('list').optional(),
  data: z.array(videosVideoSchema),
  has_more: z.boolean().default(false),
  first_id: z.string().nullable().optional(),
  last_id: z.string().nullable().optional(),
});
export type VideosList = z.output<typeof videosListSchema>;

export const videosDeletedSchema = z.object({
  id: z.string(),
  object: z.literal('video.deleted').optional(),
  deleted: z.boolean(),
});

export function jobFromVideo(video: VideosVideo): SoraJob {
  const status = VIDEO_STATUS[video.status];
  return {
    id: video.id,
    status,
    progress: video.progress ?? null,
    createdAt: video.created_at,
    finishedAt: video.completed_at ?? null,
    expiresAt: video.expires_at ?? null,
    generations: status === 'succeeded' ? [{ id: video.id }] : [],
    failureReason: video.error?.code ?? null,
    failureMessage: video.error?.message ?? null,
  };
}

/** The request a video says it was made from (`size` is `WxH`, `seconds` a string), for matching a create whose answer was lost. */
export function describeVideo(video: VideosVideo): DescribedRequest {
  const [width, height] = (video.size ?? '').split('x').map((n) => (/^\d+$/.test(n) ? Number(n) : null));
  const seconds = video.seconds !== undefined && /^\d+$/.test(video.seconds) ? Number(video.seconds) : null;
  return {
    prompt: video.prompt ?? null,
    width: width ?? null,
    height: height ?? null,
    nSeconds: seconds,
    nVariants: null,
    inpaintItems: null,
    remixOf: video.remixed_from_video_id ?? null,
  };
}
