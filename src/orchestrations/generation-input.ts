/**
 * Resolves everything the orchestrator decides by from the settings, once, in
 * the starter: the orchestrator itself never reads settings or the clock.
 */
import type { AppConfig } from '../config';
import type { VideoGenerationInput, VideoSpec } from '../contracts/orchestration';
import { typicalJobDurationMs } from '../sora/typical-duration';

/** 429s on submit are retried this many times in all, each after Sora's retry-after. */
const MAX_SUBMIT_ATTEMPTS = 6;
/** Store retries: 5 s, 10 s, 20 s, 40 s — long enough for the service's brief 404 after success. */
const STORE_RETRY = { firstRetryMs: 5_000, maxAttempts: 5 };

export function buildGenerationInput(requestId: string, spec: VideoSpec, config: AppConfig, acceptedAt: Date): VideoGenerationInput {
  return {
    requestId,
    spec,
    policy: {
      poll: {
        minDelayMs: config.poll.minDelayMs,
        maxDelayMs: config.poll.maxDelayMs,
        expectedDurationMs: config.poll.expectedJobMs ?? typicalJobDurationMs(spec.width, spec.height, spec.nSeconds, spec.nVariants),
      },
      deadlineMs: config.deadlineMs,
      maxSubmitAttempts: MAX_SUBMIT_ATTEMPTS,
      store: STORE_RETRY,
    },
    output: { container: config.storage.videosContainer },
    acceptedAt: acceptedAt.toISOString(),
  };
}
