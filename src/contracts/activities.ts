/**
 * Inputs and outcomes of the activities. Expected service answers (throttling,
 * a refused request) come back as values so the orchestrator can decide with
 * Sora's retry-after; only the unexpected is thrown.
 */
import type { SoraJob } from '../sora/types';
import type { ServiceErrorInfo, VideoSpec } from './orchestration';

export interface SubmitVideoJobInput {
  requestId: string;
  spec: VideoSpec;
}

export type SubmitOutcome =
  | { kind: 'accepted'; job: SoraJob }
  /** The service certainly did not take the job (429 before acceptance): safe to submit again. */
  | { kind: 'throttled'; error: ServiceErrorInfo; retryAfterMs: number | null }
  | { kind: 'rejected'; error: ServiceErrorInfo };

export type CheckOutcome =
  | { kind: 'status'; job: SoraJob }
  /** 408/429/5xx/network: look again later. */
  | { kind: 'unavailable'; error: ServiceErrorInfo; retryAfterMs: number | null }
  | { kind: 'rejected'; error: ServiceErrorInfo };

export interface CancelVideoJobInput {
  api: VideoSpec['api'];
  soraJobId: string;
}

export interface GetVideoJobInput {
  api: VideoSpec['api'];
  soraJobId: string;
}

export interface StoreVideoInput {
  requestId: string;
  api: VideoSpec['api'];
  soraJobId: string;
  generationId: string;
  variant: number;
  container: string;
}
