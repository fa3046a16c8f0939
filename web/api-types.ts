/**
 * The shapes the page reads: the app's public HTTP API (README, "HTTP API")
 * and the studio's own configuration (src/studio/studio-config.ts). Values
 * come from the server; only their shape is written here.
 */

export type SoraApi = 'jobs' | 'videos' | 'openai';

export interface ApiRules {
  sizes: { size: string; maxVariants: number }[];
  defaultSize: string;
  seconds: number[];
  defaultSeconds: number;
  media: 'inpaint' | 'reference';
  remix: boolean;
}

export interface StudioConfig {
  defaultApi: SoraApi;
  apis: Partial<Record<SoraApi, ApiRules>>;
  media: { maxImageBytes: number; maxVideoBytes: number; maxImages: number; maxVideos: number; maxVideoSeconds: number };
  finishedStatuses: string[];
}

export interface VideoSummary {
  id: string;
  status: string;
  prompt: string;
  createdAt: string;
  updatedAt: string;
}

export interface VideoProgress {
  progress: number | null;
  submittedAt: string | null;
  expectedDoneAt: string | null;
  variantsStored: number;
  queuePosition: number | null;
  submit: { calls: number; waiting: 'throttled' | 'unsure' | null; code: string | null };
}

export interface StoredVideo {
  variant: number;
  url: string;
  thumbnailUrl: string | null;
  contentType: string;
  bytes: number;
}

export interface VideoView extends VideoSummary {
  api: SoraApi;
  size: string;
  n_seconds: number;
  n_variants: number;
  remixOf: string | null;
  progress: VideoProgress | null;
  error?: { code: string | null; message: string; requestId: string | null };
  videos: StoredVideo[];
}

export interface VideoPage {
  items: VideoSummary[];
  nextCursor: string | null;
}

/** RFC 9457 problem details, as every error of the API is. */
export interface Problem {
  title?: string;
  status?: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}
