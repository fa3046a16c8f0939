/**
 * How long a job takes on the emulator clock: a fixed `jobSeconds`, or with
 * `timing: 'service'` the service's typical 1–5 minutes growing with
 * width × height × seconds × variants (the same estimate the client's poll
 * schedule uses): 60 s + 240 s × min(1, work / (1920 × 1080 × 20)).
 */
import { typicalJobDurationMs } from '../../sora/typical-duration';
import type { ResolvedOptions } from './options';

export function jobDurationMs(options: Pick<ResolvedOptions, 'timing' | 'jobSeconds'>, width: number, height: number, seconds: number, variants: number): number {
  return options.timing === 'service' ? typicalJobDurationMs(width, height, seconds, variants) : options.jobSeconds * 1000;
}
