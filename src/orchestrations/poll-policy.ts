/**
 * The poll policy from the settings: the delays, the expected duration the
 * schedule starts from (POLL_EXPECTED_JOB_SECONDS, else the service's typical
 * for the size and length) and the job-durations entity that may replace it
 * with what this deployment's jobs of the same shape really took.
 */
import type { AppConfig } from '../config';
import type { PollPolicy, VideoSpec } from '../contracts/orchestration';
import { deploymentKey } from '../entities/deployment-key';
import { typicalJobDurationMs } from '../sora/typical-duration';

export function pollPolicy(spec: VideoSpec, config: AppConfig): PollPolicy {
  const { minDelayMs, maxDelayMs, expectedJobMs } = config.poll;
  const deployment = config.sora.deployments[spec.api];
  return {
    minDelayMs,
    maxDelayMs,
    expectedDurationMs: expectedJobMs ?? typicalJobDurationMs(spec.width, spec.height, spec.nSeconds, spec.nVariants),
    expectedFrom: expectedJobMs === undefined ? 'typical' : 'setting',
    ...(deployment === undefined
      ? {}
      : { learning: { entityKey: deploymentKey(spec.api, deployment), shape: { size: `${String(spec.width)}x${String(spec.height)}`, seconds: spec.nSeconds, variants: spec.nVariants } } }),
  };
}
