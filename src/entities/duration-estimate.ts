/**
 * How long a job of one shape is expected to take, from the durations jobs of
 * that shape really took — a pure function of the observations, the prior
 * and the caller's clock, so the job-durations entity stays deterministic and
 * the rule is unit-tested on its own.
 *
 * The expectation is a high percentile rather than the mean: looking a
 * little late costs one short wait, looking early costs a status call per
 * halving. Recent jobs count more than old ones (a service slows down and
 * recovers within hours), and a shape seen fewer than a few times keeps the
 * prior — the setting, or the size-based typical — because one slow or quick
 * job says little.
 */

/** One finished job's real duration, recorded once per Sora job. */
export interface DurationObservation {
  soraJobId: string;
  durationMs: number;
  /** When the job was seen finished (the orchestration's clock). */
  at: number;
}

/** Where the expectation comes from before enough jobs of the shape were seen. */
export type PriorSource = 'setting' | 'typical';
export type DurationSource = PriorSource | `learned from ${string} jobs`;

export interface DurationPrior {
  durationMs: number;
  source: PriorSource;
}

export interface DurationEstimate {
  durationMs: number;
  /** How much slower than usual a slow job of the shape runs (high percentile − median); null while the prior is used. */
  spreadMs: number | null;
  source: DurationSource;
}

/** Jobs of a shape that must have been seen before their durations replace the prior. */
export const MIN_LEARNED_JOBS = 3;
/** The share of recent jobs expected to be done by the expected duration. */
const EXPECTED_QUANTILE = 0.9;
/** An observation this old weighs half as much as one just made. */
const HALF_LIFE_MS = 6 * 60 * 60_000;
/** Older observations are ignored: what the service did a week ago says nothing about today. */
const MAX_OBSERVATION_AGE_MS = 7 * 24 * 60 * 60_000;

/** What recent jobs of a shape say, or null while fewer than MIN_LEARNED_JOBS were seen in the last week. */
export interface LearnedDuration {
  durationMs: number;
  spreadMs: number;
  jobs: number;
}

export function learnedDuration(observations: readonly DurationObservation[], now: number): LearnedDuration | null {
  const recent = observations.filter((o) => now - o.at <= MAX_OBSERVATION_AGE_MS);
  if (recent.length < MIN_LEARNED_JOBS) return null;
  const weighted = recent.map((o) => ({ value: o.durationMs, weight: 0.5 ** (Math.max(0, now - o.at) / HALF_LIFE_MS) }));
  const high = weightedQuantile(weighted, EXPECTED_QUANTILE);
  return { durationMs: high, spreadMs: high - weightedQuantile(weighted, 0.5), jobs: recent.length };
}

export function estimateDuration(observations: readonly DurationObservation[], prior: DurationPrior, now: number): DurationEstimate {
  const learned = learnedDuration(observations, now);
  if (learned === null) return { durationMs: prior.durationMs, spreadMs: null, source: prior.source };
  return { durationMs: learned.durationMs, spreadMs: learned.spreadMs, source: `learned from ${String(learned.jobs)} jobs` };
}

/** The smallest value whose share of the total weight, counting it and every smaller value, reaches `q`. */
export function weightedQuantile(values: readonly { value: number; weight: number }[], q: number): number {
  const sorted = [...values].sort((a, b) => a.value - b.value);
  const total = sorted.reduce((sum, v) => sum + v.weight, 0);
  // A sum of floats may fall a rounding error short of exactly q × total (9 of 10 equal weights for q = 0.9).
  const reach = q * total * (1 - 1e-9);
  let cumulative = 0;
  for (const v of sorted) {
    cumulative += v.weight;
    if (cumulative >= reach) return v.value;
  }
  return sorted[sorted.length - 1]?.value ?? 0;
}
