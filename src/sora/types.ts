/**
 * The one interface the orchestration uses to talk to a video service,
 * whichever API is behind it: Azure OpenAI's jobs API (Sora), its videos API
 * (Sora 2), or any OpenAI-compatible endpoint that speaks the same videos
 * schema. Every implementation normalises to these shapes.
 */
import type { Readable } from 'node:stream';
import type { JobsCreatedSince } from './listed-jobs';
import type { CropBounds } from './rules';

/**
 * `jobs` and `videos` are Azure OpenAI deployments on one resource; `openai`
 * is any endpoint speaking OpenAI's videos schema (a base URL, a bearer key
 * and a model name), such as OpenAI itself or a gateway in front of other models.
 */
export const SORA_APIS = ['jobs', 'videos', 'openai'] as const;
export type SoraApi = (typeof SORA_APIS)[number];

/** The APIs served by an Azure OpenAI resource, each through a named deployment. */
export const AZURE_SORA_APIS = ['jobs', 'videos'] as const satisfies readonly SoraApi[];
export type AzureSoraApi = (typeof AZURE_SORA_APIS)[number];

/** Whether the API speaks the videos schema (Sora 2's `/videos` routes): one video per request, `size`/`seconds`, remix. */
export function usesVideosSchema(api: SoraApi): boolean {
  return api !== 'jobs';
}

/**
 * A job's status in the jobs API's vocabulary. The videos API's statuses map
 * onto it: queued → queued, in_progress → running, completed → succeeded.
 */
export type SoraJobStatus = 'queued' | 'preprocessing' | 'running' | 'processing' | 'succeeded' | 'failed' | 'cancelled';

export const TERMINAL_SORA_STATUSES: readonly SoraJobStatus[] = ['succeeded', 'failed', 'cancelled'];

export interface SoraGeneration {
  /** Jobs API: the generation id (`gen_…`). Videos API: the video id (one generation per video). */
  id: string;
}

export interface SoraJob {
  /** Jobs API: `task_…`; videos API: `video_…`. */
  id: string;
  status: SoraJobStatus;
  /** 0–100 when the service reports it (videos API); null otherwise. */
  progress: number | null;
  /** Unix seconds. */
  createdAt: number;
  finishedAt: number | null;
  expiresAt: number | null;
  /** Filled once the job succeeded. */
  generations: SoraGeneration[];
  /** Jobs API `failure_reason`; videos API `error.code`. */
  failureReason: string | null;
  /** Videos API `error.message`, when given. */
  failureMessage: string | null;
}

/** A media input, read from wherever it lives only when the request is sent. */
export interface SoraInputFile {
  fileName: string;
  /** Opens the bytes; called once per attempt so a retried submit re-reads them. */
  open: () => Promise<Readable> | Readable;
  contentType: string;
  /** Known length lets the multipart body carry a content-length. */
  size?: number;
}

export interface SoraInpaintItem {
  type: 'image' | 'video';
  fileName: string;
  frameIndex: number;
  cropBounds?: CropBounds;
}

export interface SoraVideoRequest {
  prompt: string;
  width: number;
  height: number;
  nSeconds: number;
  /** Jobs API only; the videos API makes one video per request. */
  nVariants: number;
  /** Jobs API: image/video inputs (multipart). */
  inpaintItems?: SoraInpaintItem[];
  /** Files named by `inpaintItems` (jobs API) or the one `input_reference` (videos API). */
  files?: SoraInputFile[];
  /** Videos API: remix an earlier video instead of creating from scratch. */
  remixOf?: string;
}

export interface SoraCallOptions {
  signal?: AbortSignal;
}

export interface ByteRange {
  /** Inclusive first byte. */
  start: number;
  /** Inclusive last byte. */
  end: number;
}

export interface SoraContentInfo {
  contentLength: number | null;
  contentType: string;
  acceptRanges: boolean;
  lastModified: string | null;
}

export interface SoraContent extends SoraContentInfo {
  /** The body, streamed; the caller must consume or destroy it. */
  body: Readable;
}

/** One byte range of content, read straight from the connection into the caller's buffers. */
export interface ContentRangeReader {
  /** Fills `target[0, length)` with the range's next bytes; rejects if the transfer breaks first. */
  fill(target: Buffer, length: number): Promise<void>;
  /** Lets go of the connection (before the range's end too); no byte reaches a buffer after it. */
  close(): void;
}

export interface SoraContentRange extends SoraContentInfo {
  reader: ContentRangeReader;
}

/**
 * The answer to "everything from the first byte": what it says of the whole
 * content, and its bytes for a reader that fills its own buffers — one
 * request that sizes a copy and carries its first bytes, where a HEAD and
 * then a GET would cost the request rate two.
 */
export interface SoraContentStart {
  /** The whole content's size (Content-Range of a 206, Content-Length of a 200); null when the answer does not say. */
  size: number | null;
  /** The service served a range: others may be asked for. */
  acceptRanges: boolean;
  /** The answer's bytes from byte 0; null when they cannot be read straight into buffers (no length given). */
  reader: ContentRangeReader | null;
  /** How many bytes from byte 0 the reader holds: a service may serve less of a range than asked. */
  readable: number;
}

export interface VideoService {
  readonly api: SoraApi;
  /** The Azure deployment (or, for `openai`, the model) every call is meant for. */
  readonly deployment: string;
  /**
   * The cheapest call that needs the service, the credentials and the route:
   * a list of at most one job. Resolves when the service answered 2xx, else
   * throws the SoraError it answered.
   */
  probe(options?: SoraCallOptions): Promise<void>;
  submit(request: SoraVideoRequest, options?: SoraCallOptions): Promise<SoraJob>;
  getJob(jobId: string, options?: SoraCallOptions): Promise<SoraJob>;
  /** Jobs created at or after `sinceSeconds` (unix seconds), with the request each describes: how a create whose answer was lost is found. */
  listCreatedSince(sinceSeconds: number, options?: SoraCallOptions): Promise<JobsCreatedSince>;
  /** Cancels or deletes the job; a job the service no longer knows counts as done. */
  cancel(jobId: string, options?: SoraCallOptions): Promise<void>;
  headContent(generationId: string, options?: SoraCallOptions): Promise<SoraContentInfo>;
  openContent(generationId: string, options?: SoraCallOptions & { range?: ByteRange }): Promise<SoraContent>;
  /** The bytes of `range`, for a reader that fills its own buffers (the store copy): no buffer allocated per read. */
  readContentRange(generationId: string, range: ByteRange, options?: SoraCallOptions): Promise<SoraContentRange>;
  /** The content from its first byte, with its size: the store copy's first request (no HEAD before it). */
  readContentStart(generationId: string, options?: SoraCallOptions): Promise<SoraContentStart>;
  openThumbnail(generationId: string, options?: SoraCallOptions): Promise<SoraContent>;
}
