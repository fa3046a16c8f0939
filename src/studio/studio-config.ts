/**
 * What the studio page offers its choices from: the APIs this app has a
 * deployment for and each API's sizes, lengths and variants, taken from the
 * same rules the server checks requests with (sora/rules.ts), so the page
 * never offers what the API would refuse and never retypes a rule.
 */
import type { AppConfig } from '../config';
import { FINISHED_STATUSES, type PublicStatus } from '../contracts/public-status';
import { JOBS_DEFAULTS } from '../contracts/video-request';
import { apiChoiceOf, mediaLimitsOf } from '../requests/settle-video-spec';
import {
  JOBS_MAX_VARIANTS_BY_SIZE,
  MAX_IMAGE_INPUTS,
  MAX_VIDEO_INPUT_SECONDS,
  MAX_VIDEO_INPUTS,
  N_SECONDS_MAX,
  N_SECONDS_MIN,
  VIDEOS_DEFAULT_SECONDS,
  VIDEOS_DEFAULT_SIZE,
  VIDEOS_SECONDS,
  VIDEOS_SIZES,
} from '../sora/rules';
import type { SoraApi } from '../sora/types';

/** One API's choices. `media`: inpaint items (images and a video at frames) or one reference image of the requested size. */
export interface ApiRules {
  sizes: { size: string; maxVariants: number }[];
  defaultSize: string;
  seconds: number[];
  defaultSeconds: number;
  media: 'inpaint' | 'reference';
  /** Whether a finished video of this API can be remixed (POST /api/videos/{id}/remix). */
  remix: boolean;
}

export interface StudioConfig {
  defaultApi: SoraApi;
  apis: Partial<Record<SoraApi, ApiRules>>;
  media: { maxImageBytes: number; maxVideoBytes: number; maxImages: number; maxVideos: number; maxVideoSeconds: number };
  /** The statuses a request ends in: the page stops following it there. */
  finishedStatuses: readonly PublicStatus[];
}

const JOBS_RULES: ApiRules = {
  sizes: Object.entries(JOBS_MAX_VARIANTS_BY_SIZE).map(([size, maxVariants]) => ({ size, maxVariants })),
  defaultSize: `${JOBS_DEFAULTS.width}x${JOBS_DEFAULTS.height}`,
  seconds: Array.from({ length: N_SECONDS_MAX - N_SECONDS_MIN + 1 }, (_, i) => N_SECONDS_MIN + i),
  defaultSeconds: JOBS_DEFAULTS.n_seconds,
  media: 'inpaint',
  remix: false,
};

/** Sora 2 and OpenAI-compatible endpoints share the videos schema: one video per request, a reference image, remix. */
const VIDEOS_RULES: ApiRules = {
  sizes: VIDEOS_SIZES.map((size) => ({ size, maxVariants: 1 })),
  defaultSize: VIDEOS_DEFAULT_SIZE,
  seconds: VIDEOS_SECONDS.map(Number),
  defaultSeconds: Number(VIDEOS_DEFAULT_SECONDS),
  media: 'reference',
  remix: true,
};

const RULES_OF_API: Record<SoraApi, ApiRules> = { jobs: JOBS_RULES, videos: VIDEOS_RULES, openai: VIDEOS_RULES };

export function studioConfigOf(config: AppConfig): StudioConfig {
  const choice = apiChoiceOf(config);
  return {
    defaultApi: choice.default,
    apis: Object.fromEntries(choice.available.map((api) => [api, RULES_OF_API[api]])),
    media: { ...mediaLimitsOf(config), maxImages: MAX_IMAGE_INPUTS, maxVideos: MAX_VIDEO_INPUTS, maxVideoSeconds: MAX_VIDEO_INPUT_SECONDS },
    finishedStatuses: FINISHED_STATUSES,
  };
}
