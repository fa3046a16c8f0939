import { describe, expect, it } from 'vitest';
import { emptyDurationLog, JOBS_KEPT_PER_SHAPE, observationsOf, recordDuration, SHAPES_KEPT, type JobShape } from '../../src/entities/duration-log';

const big: JobShape = { size: '1920x1080', seconds: 20, variants: 1 };
const small: JobShape = { size: '480x480', seconds: 5, variants: 1 };

describe("the job-durations entity's log", () => {
  it('keeps durations per shape', () => {
    const log = emptyDurationLog();
    recordDuration(log, big, { soraJobId: 'task_1', durationMs: 300_000, at: 1 });
    recordDuration(log, small, { soraJobId: 'task_2', durationMs: 70_000, at: 2 });
    expect(observationsOf(log, big).map((o) => o.durationMs)).toEqual([300_000]);
    expect(observationsOf(log, small).map((o) => o.durationMs)).toEqual([70_000]);
    expect(observationsOf(log, { ...small, variants: 2 })).toEqual([]);
  });

  it('counts a job recorded twice (a signal delivered again) once', () => {
    const log = emptyDurationLog();
    expect(recordDuration(log, big, { soraJobId: 'task_1', durationMs: 300_000, at: 1 })).toBe(true);
    expect(recordDuration(log, big, { soraJobId: 'task_1', durationMs: 300_000, at: 1 })).toBe(false);
    expect(observationsOf(log, big)).toHaveLength(1);
  });

  it('keeps the latest jobs of a shape only', () => {
    const log = emptyDurationLog();
    for (let i = 0; i < JOBS_KEPT_PER_SHAPE + 5; i++) recordDuration(log, big, { soraJobId: `task_${String(i)}`, durationMs: i, at: i });
    const kept = observationsOf(log, big);
    expect(kept).toHaveLength(JOBS_KEPT_PER_SHAPE);
    expect(kept[0]?.soraJobId).toBe('task_5');
    expect(kept[kept.length - 1]?.soraJobId).toBe(`task_${String(JOBS_KEPT_PER_SHAPE + 4)}`);
  });

  it('keeps a bounded number of shapes, dropping the one seen longest ago', () => {
    const log = emptyDurationLog();
    recordDuration(log, big, { soraJobId: 'task_big', durationMs: 300_000, at: 0 });
    for (let i = 1; i <= SHAPES_KEPT; i++) recordDuration(log, { size: '480x480', seconds: i, variants: 1 }, { soraJobId: `task_${String(i)}`, durationMs: 1, at: i });
    expect(log.shapes).toHaveLength(SHAPES_KEPT);
    expect(observationsOf(log, big)).toEqual([]);
    expect(observationsOf(log, { size: '480x480', seconds: 1, variants: 1 })).toHaveLength(1);
  });
});
