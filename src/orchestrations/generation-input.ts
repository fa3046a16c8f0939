/**
 * Resolves everything the orchestrator decides by from the settings, once, in
 * the starter: the orchestrator itself never reads settings or the clock.
 */
import type { AppConfig } from '../config';
import type { AdmissionPolicy, VideoGenerationInput, VideoSpec } from '../contracts/orchestration';
import { deploymentKey } from '../entities/deployment-key';
import { pollPolicy } from './poll-policy';

/** 429s on submit are retried this many times in all, each after Sora's retry-after. */
const MAX_SUBMIT_ATTEMPTS = 6;
/** Store retries: 5 s, 10 s, 20 s, 40 s — long enough for the service's brief 404 after success. */
const STORE_RETRY = { firstRetryMs: 5_000, maxAttempts: 5 };
/**
 * A granted slot is held past the deadline by this much (the copy into Blob
 * Storage comes after the job ends), so only a holder that vanished loses it.
 */
const LEASE_BEYOND_DEADLINE_MS = 30 * 60_000;
/** A queued request asks the limiter again this often: its position refreshes, and a grant whose event was lost is found. */
const ADMISSION_RECHECK_MS = 60_000;

export function buildGenerationInput(requestId: string, spec: VideoSpec, config: AppConfig, acceptedAt: Date): VideoGenerationInput {
  return {
    requestId,
    spec,
    policy: {
      poll: pollPolicy(spec, config),
      deadlineMs: config.deadlineMs,
      maxSubmitAttempts: MAX_SUBMIT_ATTEMPTS,
      store: STORE_RETRY,
      admission: admissionPolicy(spec, config),
    },
    output: { container: config.storage.videosContainer },
    acceptedAt: acceptedAt.toISOString(),
  };
}

/** The limiter of the deployment the request's API uses, or null when admission is off (capacity 0). */
function admissionPolicy(spec: VideoSpec, config: AppConfig): AdmissionPolicy | null {
  if (config.admissionCapacity === 0) return null;
  const deployment = config.sora.deployments[spec.api];
  // The starter only accepts APIs that have a deployment (settle-video-spec.ts).
  if (deployment === undefined) throw new Error(`No deployment is configured for the ${spec.api} API`);
  return {
    limiterKey: deploymentKey(spec.api, deployment),
    capacity: config.admissionCapacity,
    leaseMs: config.deadlineMs + LEASE_BEYOND_DEADLINE_MS,
    recheckMs: ADMISSION_RECHECK_MS,
  };
}
