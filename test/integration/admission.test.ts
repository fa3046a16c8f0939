/**
 * Admission through the public API on the whole local stack: the emulator
 * runs at most two jobs per deployment (as Sora does) and answers a third
 * create with 429. With ADMISSION_CAPACITY 2 the requests beyond two wait
 * (`waiting`, with their place in the queue) instead of being throttled, and
 * start in the order they came. Time skipping is held while the requests are
 * posted, so each one has asked the limiter before any job runs.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SETTINGS } from '../../src/config';
import { startPipeline, type Pipeline } from './support';

let p: Pipeline;

beforeAll(async () => {
  p = await startPipeline({ settings: { [SETTINGS.admissionCapacity]: '2' } });
});
afterAll(async () => {
  await p.close();
});

it('queues requests beyond the deployment’s two slots, shows their place, and runs all of them without a 429, first come first served', async () => {
  const prompts = ['A red kite', 'A blue kite', 'A green kite', 'A yellow kite', 'A white kite'];
  p.stack.pauseTimeSkipping();
  const ids: string[] = [];
  for (const prompt of prompts) {
    ids.push((await p.api.create({ prompt, n_seconds: 1 })).id);
    // Each request reaches the limiter before the next is posted: the queue order is the posting order.
    await p.stack.host.waitForIdle();
  }

  const early = await Promise.all(ids.map((id) => p.api.get(id)));
  expect(early.map((view) => view.status)).toEqual(['submitted', 'submitted', 'waiting', 'waiting', 'waiting']);
  expect(early.map((view) => view.progress?.queuePosition)).toEqual([null, null, 1, 2, 3]);
  expect(early.map((view) => view.soraJobId === null)).toEqual([false, false, true, true, true]);
  // The estimated start: the first in line when the first running job is expected to end (10 s emulator
  // jobs, from the slot's grant, between that request's creation and its submit); the second when the
  // other one is; the third one job after the first.
  const [first, second, ...queued] = early;
  const estimates = queued.map((view) => Date.parse(view.progress?.estimatedStartAt ?? ''));
  const [firstInLine, secondInLine, thirdInLine] = estimates;
  const runningEnds = [first, second].map((view) => ({ from: Date.parse(view?.createdAt ?? '') + 10_000, to: Date.parse(view?.progress?.expectedDoneAt ?? '') }));
  expect(firstInLine).toBeGreaterThanOrEqual(Math.min(...runningEnds.map((end) => end.from)));
  expect(firstInLine).toBeLessThanOrEqual(Math.min(...runningEnds.map((end) => end.to)));
  expect(secondInLine).toBeGreaterThanOrEqual(Math.max(...runningEnds.map((end) => end.from)));
  expect(secondInLine).toBeLessThanOrEqual(Math.max(...runningEnds.map((end) => end.to)));
  expect((thirdInLine ?? 0) - (firstInLine ?? 0)).toBe(10_000);
  expect(await capacityOf('jobs')).toEqual({ api: 'jobs', deployment: p.stack.settings[SETTINGS.openAiJobsDeployment], capacity: 2, running: 2, queued: 3 });

  p.stack.resumeTimeSkipping();
  const finished = [];
  for (const id of ids) finished.push(await p.waitUntilFinished(id));
  expect(finished.map((view) => view.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded', 'succeeded']);
  // Every create was answered at its first call: a 429 would have made the request call again.
  expect(finished.map((view) => view.progress?.submit)).toEqual(prompts.map(() => ({ calls: 1, waiting: null, code: null })));
  // Slots were handed out in arrival order, two at a time: the first two ran first, the next two when
  // those ended (which of the pair submits first is up to the activities), the fifth after one of those.
  const submittedAt = finished.map((view) => Date.parse(view.progress?.submittedAt ?? ''));
  const waves = [submittedAt.slice(0, 2), submittedAt.slice(2, 4), submittedAt.slice(4)];
  for (const [earlier, later] of [[waves[0], waves[1]], [waves[1], waves[2]]]) {
    expect(Math.min(...(later ?? []))).toBeGreaterThan(Math.max(...(earlier ?? [])));
  }
  expect(await capacityOf('jobs')).toMatchObject({ capacity: 2, running: 0, queued: 0 });
});

it('takes a request cancelled while it waits out of the queue at once: no Sora job for it, and the next waiter runs in its place', async () => {
  const prompts = ['A red boat', 'A blue boat', 'A green boat', 'A yellow boat'];
  p.stack.pauseTimeSkipping();
  const ids: string[] = [];
  for (const prompt of prompts) {
    ids.push((await p.api.create({ prompt, n_seconds: 1 })).id);
    await p.stack.host.waitForIdle();
  }
  const cancelledId = ids[2];
  expect((await Promise.all(ids.map((id) => p.api.get(id)))).map((view) => view.status)).toEqual(['submitted', 'submitted', 'waiting', 'waiting']);

  await p.api.cancel(cancelledId ?? '');
  await p.stack.host.waitForIdle();
  const cancelled = await p.api.get(cancelledId ?? '');
  expect([cancelled.status, cancelled.soraJobId]).toEqual(['cancelled', null]);
  // It left the queue at once: the deployment counts one waiter, the one behind it (whose shown position
  // refreshes at its next recheck of the limiter).
  expect(await capacityOf('jobs')).toMatchObject({ capacity: 2, running: 2, queued: 1 });

  p.stack.resumeTimeSkipping();
  const finished = [];
  for (const id of ids) finished.push(await p.waitUntilFinished(id));
  expect(finished.map((view) => view.status)).toEqual(['succeeded', 'succeeded', 'cancelled', 'succeeded']);
  // The emulator was asked for every job but the cancelled request's, each at the first call.
  const created = (p.stack.emulator?.createdJobs() ?? []).map((job) => job.prompt).filter((prompt) => prompts.includes(prompt));
  expect(created.sort()).toEqual(['A blue boat', 'A red boat', 'A yellow boat']);
  expect(finished.filter((view) => view.status === 'succeeded').map((view) => view.progress?.submit.calls)).toEqual([1, 1, 1]);
  expect(await capacityOf('jobs')).toMatchObject({ capacity: 2, running: 0, queued: 0 });
});

async function capacityOf(api: string): Promise<unknown> {
  const response = await fetch(`${p.baseUrl}/api/capacity`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { deployments: { api: string }[] };
  return body.deployments.find((deployment) => deployment.api === api);
}
