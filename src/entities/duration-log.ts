/**
 * The job-durations entity's state as pure functions: per job shape, the
 * durations of its most recent jobs. Bounded in both directions (jobs kept
 * per shape, shapes kept per deployment), so the entity's state stays small
 * however long the app runs, and idempotent: a job recorded twice (a signal
 * delivered again) counts once.
 */
import type { DurationObservation } from './duration-estimate';

/** What makes jobs comparable: the service's time grows with pixels, length and variants. */
export interface JobShape {
  size: string;
  seconds: number;
  variants: number;
}

export interface ShapeDurations {
  shape: JobShape;
  /** Oldest first. */
  observations: DurationObservation[];
}

export interface DurationLogState {
  shapes: ShapeDurations[];
}

/** Jobs kept per shape: enough for a high percentile, few enough that the service's current pace dominates. */
export const JOBS_KEPT_PER_SHAPE = 20;
/** Shapes kept per deployment; the one seen longest ago makes room for a new one. */
export const SHAPES_KEPT = 32;

export function emptyDurationLog(): DurationLogState {
  return { shapes: [] };
}

export function sameShape(a: JobShape, b: JobShape): boolean {
  return a.size === b.size && a.seconds === b.seconds && a.variants === b.variants;
}

export function observationsOf(state: DurationLogState, shape: JobShape): DurationObservation[] {
  return state.shapes.find((s) => sameShape(s.shape, shape))?.observations ?? [];
}

/** Adds a finished job's duration; answers whether it was new (false for a job already recorded). */
export function recordDuration(state: DurationLogState, shape: JobShape, observation: DurationObservation): boolean {
  let entry = state.shapes.find((s) => sameShape(s.shape, shape));
  if (entry?.observations.some((o) => o.soraJobId === observation.soraJobId)) return false;
  if (entry === undefined) {
    entry = { shape, observations: [] };
    state.shapes.push(entry);
  }
  entry.observations.push(observation);
  entry.observations.splice(0, Math.max(0, entry.observations.length - JOBS_KEPT_PER_SHAPE));
  if (state.shapes.length > SHAPES_KEPT) {
    state.shapes.sort((a, b) => lastSeen(b) - lastSeen(a));
    state.shapes.length = SHAPES_KEPT;
  }
  return true;
}

function lastSeen(entry: ShapeDurations): number {
  return Math.max(...entry.observations.map((o) => o.at));
}
