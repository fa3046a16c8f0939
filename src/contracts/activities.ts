/**
 * Inputs and outcomes of the activities. Expected service answers (throttling,
 * a refused request) come back as values so the orchestrator can decide with
 * Sora's retry-after; only the unexpected is thrown.
 */
import type { SoraJob } from '../sora/types';
import type { ServiceErrorInfo, StoredVideo, VideoSpec } from './orchestration';

export interface SubmitVideoJobInput {
  requestId: string;
  spec: VideoSpec;
  /** The orchestrator's submit call: 1, 2, …; a re-executed run of one call has the same number. */
  attempt: number;
}

export type SubmitOutcome =
  /** The request's job: just created, or one an earlier call made and the ledger or the service's list gave back. */
  | { kind: 'accepted'; job: SoraJob }
  /** The service certainly did not take the job (429 before acceptance): safe to submit again. */
  | { kind: 'throttled'; error: ServiceErrorInfo; retryAfterMs: number | null }
  | { kind: 'rejected'; error: ServiceErrorInfo }
  /**
   * The service may hold a job for this request that nobody has seen (a 5xx,
   * timeout or reset after the create was sent), or the search for it could
   * not finish. Wait `retryAfterMs`, then call again: the next call looks for
   * that job before it creates anything.
   */
  | { kind: 'unsure'; error: ServiceErrorInfo; retryAfterMs: number };

/** Giving up while a create is unsure: find the job it may have made and cancel it. */
export interface AbandonSubmissionInput {
  requestId: string;
  spec: VideoSpec;
}

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

/**
 * A variant the store cannot copy however often it tries: the deployment
 * answers 410 (model retired) or 404 DeploymentNotFound. Returned rather than
 * thrown, so the durable retries that cover the service's brief 404s do not
 * run for it.
 */
export interface StoreRefused {
  kind: 'deployment_gone';
  error: ServiceErrorInfo;
}

export type StoreOutcome = StoredVideo | StoreRefused;

export function isStoreRefused(outcome: StoreOutcome): outcome is StoreRefused {
  return 'kind' in outcome;
}
