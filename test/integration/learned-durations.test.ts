/**
 * The poll schedule learns how long a deployment's jobs really take. The
 * emulator runs in the service's timing (1920x1080, 20 s takes 300 s) while
 * POLL_EXPECTED_JOB_SECONDS says 60 s: the first jobs of that shape are
 * watched by the setting and seen late, and after three of them the fourth is
 * watched by what they took. Time skipping turns the minutes into milliseconds.
 */
import * as df from 'durable-functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTINGS } from '../../src/config';
import type { VideoProgress } from '../../src/contracts/orchestration';
import type { DurationLogState } from '../../src/entities/duration-log';
import { deploymentKey } from '../../src/entities/deployment-key';
import { JOB_DURATIONS, type RecordDurationInput } from '../../src/entities/job-durations';
import type { DeploymentDurations } from '../../src/requests/read-job-durations';
import { startPipeline, type Pipeline } from './support';

const SLOW = { width: 1920, height: 1080, n_seconds: 20 };
const SLOW_JOB_MS = 300_000;

let p: Pipeline;

beforeAll(async () => {
  p = await startPipeline({ emulator: { timing: 'service' }, settings: { [SETTINGS.pollExpectedJobSeconds]: '60' } });
});
afterAll(async () => {
  await p.close();
});

/** One request run to the end: what its custom status says, and how long after the job ended its last check came. */
async function runJob(prompt: string, shape: { width: number; height: number; n_seconds: number }): Promise<{ progress: VideoProgress; lagMs: number }> {
  const { id } = await p.api.create({ prompt, ...shape });
  const view = await p.waitUntilFinished(id);
  expect(view.status).toBe('succeeded');
  const progress = (await p.stack.host.client.getStatus(id)).customStatus as VideoProgress;
  const job = await p.sora.getJob(view.soraJobId ?? '');
  return { progress, lagMs: Date.parse(progress.lastCheckAt ?? '') - (job.finishedAt ?? NaN) * 1000 };
}

describe('after three 300 s jobs while the setting says 60 s', () => {
  const runs: { progress: VideoProgress; lagMs: number }[] = [];

  beforeAll(async () => {
    for (const n of [1, 2, 3, 4]) runs.push(await runJob(`A slow harbour at night, take ${String(n)}`, SLOW));
  });

  it('watches the first jobs by the setting, and sees them late with many checks', () => {
    expect(runs[0]?.progress.expectedDuration).toEqual({ seconds: 60, source: 'setting' });
    expect(runs[2]?.progress.expectedDuration).toEqual({ seconds: 60, source: 'setting' });
    expect(runs[0]?.progress.checks).toBeGreaterThan(8);
  });

  it('sees the fourth job of the shape with at most 8 status checks and at most 10 s after it ended', () => {
    const fourth = runs[3];
    expect(fourth?.progress.expectedDuration).toEqual({ seconds: SLOW_JOB_MS / 1000, source: 'learned from 3 jobs' });
    expect(fourth?.progress.checks).toBeLessThanOrEqual(8);
    expect(fourth?.lagMs).toBeGreaterThanOrEqual(0);
    expect(fourth?.lagMs).toBeLessThanOrEqual(10_000);
  });

  it('still uses the setting for a shape never seen before', async () => {
    const { progress } = await runJob('A quick sketch of a boat', { width: 480, height: 480, n_seconds: 5 });
    expect(progress.expectedDuration).toEqual({ seconds: 60, source: 'setting' });
  });

  it('shows what it learned per shape on GET /api/capacity', async () => {
    const response = await fetch(`${p.baseUrl}/api/capacity`);
    expect(response.status).toBe(200);
    const { jobDurations } = (await response.json()) as { jobDurations: DeploymentDurations[] };
    const jobs = jobDurations.find((d) => d.api === 'jobs');
    expect(jobs?.shapes.map(({ lastSeenAt: _at, ...shape }) => shape)).toEqual([
      { size: '1920x1080', seconds: 20, variants: 1, jobs: 4, expectedSeconds: 300, spreadSeconds: 0 },
      { size: '480x480', seconds: 5, variants: 1, jobs: 1, expectedSeconds: null, spreadSeconds: null },
    ]);
  });

  it('counts a finished job once although its record is delivered again', async () => {
    const entity = new df.EntityId(JOB_DURATIONS, deploymentKey('jobs', p.stack.settings[SETTINGS.openAiJobsDeployment] ?? ''));
    const read = async () => (await p.stack.host.client.readEntityState<DurationLogState>(entity)).entityState?.shapes[0];
    const recorded = await read();
    const last = recorded?.observations.at(-1);
    if (recorded === undefined || last === undefined) throw new Error('the slow shape has no observations');
    const again: RecordDurationInput = { shape: recorded.shape, observation: last };
    const another: RecordDurationInput = { shape: recorded.shape, observation: { ...last, soraJobId: 'task_another' } };
    await p.stack.host.client.signalEntity(entity, 'record', again);
    // The entity takes one client's signals in order: once this one is in, the repeated one was handled.
    await p.stack.host.client.signalEntity(entity, 'record', another);
    const after = await until(read, (shape) => shape?.observations.at(-1)?.soraJobId === 'task_another');
    expect(after?.observations.map((o) => o.soraJobId)).toEqual([...recorded.observations.map((o) => o.soraJobId), 'task_another']);
  });
});

/** Reads until the entity has handled what was signalled (the host runs entity work outside the caller). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`the entity never got there: ${JSON.stringify(value)}`);
    await p.stack.host.waitForIdle();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
