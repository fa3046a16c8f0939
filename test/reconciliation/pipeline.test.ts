/**
 * The whole pipeline (Azurite, the Sora emulator, the local host with time
 * skipping) when a create's outcome is unknown: Sora took the job but the
 * answer was lost, or a 5xx that made nothing. The request ends as it should
 * with exactly as many Sora jobs as it needs — counted in the emulator.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { SubmitOutcome } from '../../src/contracts/activities';
import type { VideoProgress } from '../../src/contracts/orchestration';
import type { SoraEmulator } from '../../src/local/sora-emulator';
import { startPipeline, type Pipeline } from '../integration/support';

let p: Pipeline;
let emulator: SoraEmulator;

beforeAll(async () => {
  p = await startPipeline({ settings: { JOB_DEADLINE_MINUTES: '2' } });
  if (!p.stack.emulator) throw new Error('the pipeline has no emulator');
  emulator = p.stack.emulator;
});
afterEach(() => {
  emulator.faults.clear();
});
afterAll(async () => {
  await p.close();
});

function jobsWithPrompt(prompt: string): string[] {
  return emulator.createdJobs().filter((job) => job.prompt === prompt).map((job) => job.id);
}

async function progressOf(id: string): Promise<VideoProgress> {
  return (await p.stack.host.client.getStatus(id)).customStatus as VideoProgress;
}

/** What each submitVideoJob call answered, read from the instance's history through the durable HTTP API. */
async function submitOutcomes(id: string): Promise<string[]> {
  const response = await fetch(`${p.baseUrl}/runtime/webhooks/durabletask/instances/${id}?showHistory=true&showHistoryOutput=true`);
  const { historyEvents } = (await response.json()) as { historyEvents: { EventType?: string; FunctionName?: string; Result?: unknown }[] };
  return historyEvents
    .filter((e) => e.EventType === 'TaskCompleted' && e.FunctionName === 'submitVideoJob')
    .map((e) => {
      const outcome = (typeof e.Result === 'string' ? JSON.parse(e.Result) : e.Result) as SubmitOutcome;
      return outcome.kind === 'accepted' ? 'accepted' : `${outcome.kind}:${outcome.error.code ?? ''}`;
    });
}

it("create accepted, answer lost: the job Sora made is found and adopted, the request succeeds with that one job", async () => {
  const prompt = 'A kite over the dunes, answer lost';
  emulator.faults.add({ kind: 'acceptedThenReset', operation: 'createJob', times: 1 });
  const { id } = await p.api.create({ prompt, n_seconds: 1 });
  const view = await p.waitUntilFinished(id);

  expect(view.status).toBe('succeeded');
  expect(view.videos).toHaveLength(1);
  expect(jobsWithPrompt(prompt)).toEqual([view.soraJobId]);
  expect(await submitOutcomes(id)).toEqual(['unsure:network_error', 'accepted']);
  expect((await progressOf(id)).submit).toEqual({ calls: 2, waiting: null, code: null });
});

it('a 5xx on create that made no job: nothing is found, the job is created once, the request succeeds', async () => {
  const prompt = 'A kite over the dunes, 500 on create';
  emulator.faults.add({ kind: 'status', operation: 'createJob', status: 500, times: 1 });
  const { id } = await p.api.create({ prompt, n_seconds: 1 });
  const view = await p.waitUntilFinished(id);

  expect(view.status).toBe('succeeded');
  expect(jobsWithPrompt(prompt)).toEqual([view.soraJobId]);
  expect(await submitOutcomes(id)).toEqual(['unsure:internal_error', 'accepted']);
});

it('two requests with the same prompt: the one whose answer was lost adopts its own job, not the other’s', async () => {
  const prompt = 'Two identical lanterns';
  const first = await p.api.create({ prompt, n_seconds: 1 });
  // The first request's job exists (and is claimed) before the second one's create is lost.
  while ((await progressOf(first.id)).soraJobId === null) await new Promise((resolve) => setTimeout(resolve, 20));
  emulator.faults.add({ kind: 'acceptedThenReset', operation: 'createJob', times: 1 });
  const second = await p.api.create({ prompt, n_seconds: 1 });

  const [a, b] = await Promise.all([p.waitUntilFinished(first.id), p.waitUntilFinished(second.id)]);
  expect([a.status, b.status]).toEqual(['succeeded', 'succeeded']);
  // The older job matches the second request too; it belongs to the first, so the second took the newer one.
  expect(jobsWithPrompt(prompt)).toEqual([a.soraJobId, b.soraJobId]);
  expect(await submitOutcomes(second.id)).toEqual(['unsure:network_error', 'accepted']);
});

it('giving up at the deadline while still unsure cancels the job the lost create made', async () => {
  const prompt = 'Lost and never found in time';
  emulator.faults.add({ kind: 'acceptedThenReset', operation: 'createJob', times: 1 });
  // Still running when the request gives up (a finished job would be deleted rather than cancelled).
  emulator.faults.add({ kind: 'neverFinish', times: 1 });
  // The searches after the lost answer fail until the 2-minute deadline comes (calls at about 30 s, 60 s and 100 s);
  // the search made on giving up works.
  emulator.faults.add({ kind: 'status', operation: 'listJobs', status: 503, times: 3 });
  const { id } = await p.api.create({ prompt, n_seconds: 1 });
  const view = await p.waitUntilFinished(id);

  const [made] = jobsWithPrompt(prompt);
  expect(view.status).toBe('timed_out');
  expect(view.soraJobId).toBe(made);
  expect((await p.sora.getJob(made ?? '')).status).toBe('cancelled');
  expect((await progressOf(id)).submit).toEqual({ calls: 4, waiting: 'unsure', code: 'service_unavailable' });
});
