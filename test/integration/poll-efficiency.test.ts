/**
 * A job as long as the service's slowest (1920x1080, 20 s: about 5 minutes in
 * the emulator's service timing) is noticed with a handful of status checks,
 * not the 60 a fixed 5-second poll would make. Time skipping turns the
 * minutes of durable timers into milliseconds.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { VideoProgress } from '../../src/contracts/orchestration';
import { startPipeline, type Pipeline } from './support';

let p: Pipeline;

beforeAll(async () => {
  p = await startPipeline({ emulator: { timing: 'service' } });
});
afterAll(async () => {
  await p.close();
});

it('detects a 5-minute job with far fewer status calls than a fixed 5-second poll', async () => {
  const started = p.stack.host.clock.now();
  const { id } = await p.api.create({ prompt: 'The slowest job the service makes', width: 1920, height: 1080, n_seconds: 20 });
  const view = await p.waitUntilFinished(id);
  expect(view.status).toBe('succeeded');

  const jobMs = 5 * 60_000;
  const fixedPollChecks = jobMs / 5_000;
  const { checks, lastCheckAt } = (await p.stack.host.client.getStatus(id)).customStatus as VideoProgress;
  expect(checks).toBeLessThanOrEqual(fixedPollChecks / 10);

  // The history agrees: one getVideoJob activity per check.
  const status = await fetch(`${p.baseUrl}/runtime/webhooks/durabletask/instances/${id}?showHistory=true`);
  const { historyEvents } = (await status.json()) as { historyEvents: { EventType: string; FunctionName?: string }[] };
  expect(historyEvents.filter((e) => e.EventType === 'TaskCompleted' && e.FunctionName === 'getVideoJob')).toHaveLength(checks);

  // Still prompt: the job was seen done within one minimum interval (5 s) of finishing.
  const seenAfterMs = Date.parse(lastCheckAt ?? '') - started;
  expect(seenAfterMs).toBeGreaterThanOrEqual(jobMs);
  expect(seenAfterMs).toBeLessThanOrEqual(jobMs + 5_000 + 1_000);
});
