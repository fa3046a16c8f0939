import { describe, expect, it } from 'vitest';
import { estimateDuration, MIN_LEARNED_JOBS, weightedQuantile, type DurationObservation } from '../../src/entities/duration-estimate';

const HOUR = 60 * 60_000;
const NOW = 1_000 * HOUR;
const setting = { durationMs: 60_000, source: 'setting' } as const;

function jobs(...durationsS: number[]): DurationObservation[] {
  return durationsS.map((s, i) => ({ soraJobId: `task_${String(i)}`, durationMs: s * 1000, at: NOW - 60_000 }));
}

describe('estimated job duration', () => {
  it('keeps the prior while fewer than three jobs of the shape were seen', () => {
    expect(MIN_LEARNED_JOBS).toBe(3);
    expect(estimateDuration([], setting, NOW)).toEqual({ durationMs: 60_000, spreadMs: null, source: 'setting' });
    expect(estimateDuration(jobs(300, 300), { durationMs: 90_000, source: 'typical' }, NOW)).toEqual({ durationMs: 90_000, spreadMs: null, source: 'typical' });
  });

  it('learns from three jobs: a 300 s shape is expected to take 300 s although the setting says 60 s', () => {
    expect(estimateDuration(jobs(300, 300, 300), setting, NOW)).toEqual({ durationMs: 300_000, spreadMs: 0, source: 'learned from 3 jobs' });
  });

  it('expects a high percentile, with the distance from the median as the spread', () => {
    const estimate = estimateDuration(jobs(200, 210, 220, 230, 240, 250, 260, 270, 280, 400), setting, NOW);
    // 90 % of the jobs were done by 280 s; the median took 240 s.
    expect(estimate).toEqual({ durationMs: 280_000, spreadMs: 40_000, source: 'learned from 10 jobs' });
  });

  it('weighs recent jobs more than old ones: the service slowed down', () => {
    const old = [100, 100, 100, 100, 100].map((s, i) => ({ soraJobId: `old_${String(i)}`, durationMs: s * 1000, at: NOW - 48 * HOUR }));
    const recent = [300, 300, 300].map((s, i) => ({ soraJobId: `new_${String(i)}`, durationMs: s * 1000, at: NOW - 10 * 60_000 }));
    // Five old jobs against three recent: by count the median would be 100 s; by weight the recent ones decide.
    expect(estimateDuration([...old, ...recent], setting, NOW)).toEqual({ durationMs: 300_000, spreadMs: 0, source: 'learned from 8 jobs' });
  });

  it('forgets jobs older than a week: the prior comes back', () => {
    const stale = jobs(300, 300, 300).map((o) => ({ ...o, at: NOW - 8 * 24 * HOUR }));
    expect(estimateDuration(stale, setting, NOW)).toEqual({ durationMs: 60_000, spreadMs: null, source: 'setting' });
  });
});

describe('weighted quantile', () => {
  it('is the smallest value whose cumulative weight reaches the share', () => {
    const values = [
      { value: 3, weight: 1 },
      { value: 1, weight: 1 },
      { value: 2, weight: 2 },
    ];
    expect(weightedQuantile(values, 0.25)).toBe(1);
    expect(weightedQuantile(values, 0.5)).toBe(2);
    expect(weightedQuantile(values, 0.9)).toBe(3);
  });
});
