/**
 * What travels through the task hub: the orchestration's input, custom status
 * and output. Only ids, names, numbers and short texts — never keys, tokens,
 * links or media bytes (ARCHITECTURE.md).
 */
import type { DurationSource, PriorSource } from '../entities/duration-estimate';
import type { JobShape } from '../entities/duration-log';
import type { CropBounds } from '../sora/rules';
import type { SoraApi, SoraJobStatus } from '../sora/types';
import type { PublicStatus } from './public-status';

/** The request as the orchestrator needs it, already validated by the starter. */
export interface VideoSpec {
  api: SoraApi;
  prompt: string;
  width: number;
  height: number;
  nSeconds: number;
  nVariants: number;
  /** Media parked in the inputs container; only their names travel. */
  inputs?: InputMedia[];
  /** Sora 2: remix the video of an earlier request. */
  remixOf?: { requestId: string; soraVideoId: string };
}

/**
 * One image or video input, checked by its bytes when it arrived. Jobs API:
 * an inpaint item; videos API: the `input_reference` image.
 */
export interface InputMedia {
  type: 'image' | 'video';
  /** The name Sora sees (the multipart file name). */
  fileName: string;
  container: string;
  blobName: string;
  contentType: string;
  bytes: number;
  frameIndex: number;
  cropBounds?: CropBounds;
  /** Uploads are removed when the request finishes; blobs a client referenced are left to the lifecycle rule. */
  origin: 'upload' | 'reference';
}

/** Everything the orchestrator decides by, resolved from settings by the starter. */
export interface VideoPolicy {
  poll: PollPolicy;
  /** The job is cancelled and the request ends `timed_out` this long after the orchestration starts. */
  deadlineMs: number;
  /** How often a throttled (429) submit is tried before the request fails. */
  maxSubmitAttempts: number;
  /** Retries of one variant's copy into Blob Storage (covers the service's transient 404 after success). */
  store: { firstRetryMs: number; maxAttempts: number };
  /** A slot from the deployment's limiter entity before submitting; null when admission is off. */
  admission: AdmissionPolicy | null;
}

export interface AdmissionPolicy {
  /** The limiter entity's key: the API and deployment whose capacity the request shares. */
  limiterKey: string;
  /** Jobs the deployment runs at once. */
  capacity: number;
  /** How long a granted slot stays held without a release (longer than the deadline, so only a vanished holder loses it). */
  leaseMs: number;
  /** While queued, the limiter is asked again this often (the queue position refreshes; a lost grant is found). */
  recheckMs: number;
}

export interface PollPolicy {
  minDelayMs: number;
  maxDelayMs: number;
  /** How long the service typically takes for this size and length. */
  expectedDurationMs: number;
  /** Where `expectedDurationMs` comes from: POLL_EXPECTED_JOB_SECONDS or the size-based typical (absent in inputs from before learning). */
  expectedFrom?: PriorSource;
  /**
   * The deployment's job-durations entity and this job's shape: the expected
   * duration is asked there before the job and the real one recorded after.
   * Absent in inputs started before durations were learned (they replay as they ran).
   */
  learning?: { entityKey: string; shape: JobShape };
  /** Once learned: how much slower than usual a slow job of the shape runs; the overdue phase backs off around it. */
  spreadMs?: number | null;
}

export interface VideoGenerationInput {
  requestId: string;
  spec: VideoSpec;
  policy: VideoPolicy;
  /** Container and folder for the outputs: `{container}/{requestId}/…`. */
  output: { container: string };
  /** ISO time the starter accepted the request. */
  acceptedAt: string;
  /** The batch this request belongs to, when a batch started it. */
  batchId?: string;
  /** Who hears of the end, besides the results queue (src/events/pipeline-fields.ts); absent: nobody more. */
  notify?: RequestNotify;
}

export interface RequestNotify {
  /** The client's own id for the request, echoed in its completion event. */
  correlationId: string | null;
  /** Where the signed completion event is POSTed (checked when the request arrived). */
  callbackUrl: string | null;
}

/** Custom status: where the request is, small and secret-free. */
export interface VideoProgress {
  stage: PublicStatus;
  soraJobId: string | null;
  soraStatus: SoraJobStatus | null;
  /** 0–100 when the service reports it. */
  progress: number | null;
  checks: number;
  submittedAt: string | null;
  /** When the job is expected to be done (the poll schedule's estimate), for progress displays. */
  expectedDoneAt: string | null;
  /** The job length the schedule expects and where that comes from: `setting`, `typical` or `learned from N jobs` of this shape. */
  expectedDuration: { seconds: number; source: DurationSource } | null;
  lastCheckAt: string | null;
  nextCheckAt: string | null;
  variantsStored: number;
  /** While the stage is `waiting`: the request's place in the deployment's queue, from 1. */
  queuePosition: number | null;
  /** While the stage is `waiting`: when the request is expected to get its slot (src/orchestrations/start-estimate.ts). */
  estimatedStartAt: string | null;
  /**
   * The create: calls made and, while the next one waits, why — `throttled`
   * (Sora answered 429) or `unsure` (Sora may have the job but its answer was
   * lost; the next call finds and adopts it before creating one) — with the
   * error code that came back.
   */
  submit: { calls: number; waiting: 'throttled' | 'unsure' | null; code: string | null };
}

/** A Sora error as it reaches the client: Sora's code, message and request id, never a stack. */
export interface ServiceErrorInfo {
  status: number | null;
  code: string | null;
  message: string;
  param: string | null;
  requestId: string | null;
}

export interface StoredVideo {
  variant: number;
  generationId: string;
  blobName: string;
  thumbnailBlobName: string | null;
  contentType: string;
  bytes: number;
  sha256: string;
}

export interface VideoManifest {
  requestId: string;
  api: SoraApi;
  soraJobId: string;
  spec: VideoSpec;
  acceptedAt: string;
  completedAt: string;
  container: string;
  videos: StoredVideo[];
}

export type VideoResult =
  | { outcome: 'succeeded'; soraJobId: string; manifestBlobName: string; manifest: VideoManifest }
  | { outcome: 'failed'; soraJobId: string | null; error: ServiceErrorInfo }
  | { outcome: 'cancelled'; soraJobId: string | null }
  | { outcome: 'timed_out'; soraJobId: string | null };
