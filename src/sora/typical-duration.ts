/**
 * How long the service typically takes to render a request: 1 to 5 minutes,
 * growing with pixels × seconds × variants (SORA-API.md). The poll schedule
 * starts from this estimate; the emulator's "service" timing mode follows it.
 */
const MIN_MS = 60_000;
const MAX_MS = 300_000;
/** The largest request the jobs API accepts: 1920×1080, 20 s, 1 variant. */
const LARGEST_WORK = 1920 * 1080 * 20;

export function typicalJobDurationMs(width: number, height: number, seconds: number, variants = 1): number {
  const work = width * height * seconds * variants;
  return Math.round(MIN_MS + (MAX_MS - MIN_MS) * Math.min(1, work / LARGEST_WORK));
}
