/**
 * The activities against a deployment that is gone, over real HTTP to the
 * Sora emulator with Azurite for the ledger: each says so as an outcome the
 * orchestrator ends on (never `unsure` or `unavailable`, which it would wait
 * out), with our code and a message naming the deployment and the setting
 * to change — after a single call to the service.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createActivities } from '../../src/activities';
import { fingerprintOf } from '../../src/activities/reconciled-submit';
import { loadConfig } from '../../src/config';
import type { VideoSpec } from '../../src/contracts/orchestration';
import { createDependencies } from '../../src/dependencies';
import { SubmissionLedger } from '../../src/storage/submission-ledger';
import { jobsSpec, startParts, type Parts } from './support';

let p: Parts;

beforeAll(async () => {
  p = await startParts();
});
afterEach(() => {
  p.emulator.faults.clear();
  p.emulator.retired.clear();
});
afterAll(async () => {
  await p.close();
});

const refusedCalls = (deployment: string) => p.emulator.retired.list().find((r) => r.deployment === deployment)?.refusedCalls;

async function ledgerOf(requestId: string, spec: VideoSpec) {
  return new SubmissionLedger(p.deps.blobService.getContainerClient(p.deps.config.storage.ledgerContainer)).open(requestId, spec.api, fingerprintOf(spec));
}

it('a create refused with 410 is rejected as model_retired, recorded as certainly not taken, after one call', async () => {
  p.emulator.retired.add('sora');
  const spec = jobsSpec('Too late for this model');
  const outcome = await p.activities.submitVideoJob({ requestId: 'req-retired', spec, attempt: 1 }, p.context());

  expect(outcome).toMatchObject({ kind: 'rejected', error: { status: 410, code: 'model_retired', param: null } });
  const message = outcome.kind === 'rejected' ? outcome.error.message : '';
  expect(message).toContain("Deployment 'sora' (jobs API) is retired (410 Gone)");
  expect(message).toContain('set AZURE_OPENAI_JOBS_DEPLOYMENT');
  expect(message).toContain('az cognitiveservices model list -l <region>');
  expect(refusedCalls('sora')).toBe(1);
  expect((await ledgerOf('req-retired', spec)).attempts.map((a) => [a.state, a.code])).toEqual([['refused', 'ModelDeprecated']]);
});

it('a create whose answer was lost, then a 410 while looking for its job, ends rejected rather than unsure', async () => {
  const spec = jobsSpec('Lost, then retired');
  p.emulator.faults.add({ kind: 'acceptedThenReset', operation: 'createJob', times: 1 });
  expect(await p.activities.submitVideoJob({ requestId: 'req-lost-retired', spec, attempt: 1 }, p.context())).toMatchObject({ kind: 'unsure' });

  p.emulator.retired.add('sora');
  const outcome = await p.activities.submitVideoJob({ requestId: 'req-lost-retired', spec, attempt: 2 }, p.context());
  expect(outcome).toMatchObject({ kind: 'rejected', error: { status: 410, code: 'model_retired' } });
  expect(refusedCalls('sora')).toBe(1);
});

it('a status check answered 410 is rejected as model_retired', async () => {
  const created = await p.activities.submitVideoJob({ requestId: 'req-check-retired', spec: jobsSpec('Checked too late'), attempt: 1 }, p.context());
  const jobId = created.kind === 'accepted' ? created.job.id : '';
  p.emulator.retired.add('sora');
  const check = await p.activities.getVideoJob({ api: 'jobs', soraJobId: jobId }, p.context());
  expect(check).toMatchObject({ kind: 'rejected', error: { status: 410, code: 'model_retired' } });
});

it('a copy answered 410 returns deployment_gone instead of throwing, so no durable retry runs', async () => {
  p.emulator.retired.add('sora-2');
  const stored = await p.activities.storeVideo(
    { requestId: 'req-store-retired', api: 'videos', soraJobId: 'video_1', generationId: 'video_1', variant: 0, container: 'videos' },
    p.context(),
  );
  expect(stored).toMatchObject({ kind: 'deployment_gone', error: { status: 410, code: 'model_retired' } });
  expect(refusedCalls('sora-2')).toBe(1);
});

it('a deployment name the resource does not have is rejected as deployment_not_found, naming it and its setting', async () => {
  const config = loadConfig({
    AZURE_OPENAI_ENDPOINT: p.emulator.endpoint,
    AZURE_OPENAI_API_KEY: p.emulator.apiKey,
    AZURE_OPENAI_VIDEOS_DEPLOYMENT: 'sora-2-typo',
    VideoStorage: p.azurite.connectionString,
  });
  const activities = createActivities(() => createDependencies(config));
  const spec: VideoSpec = { api: 'videos', prompt: 'Wrong name', width: 720, height: 1280, nSeconds: 4, nVariants: 1 };
  const outcome = await activities.submitVideoJob({ requestId: 'req-typo', spec, attempt: 1 }, p.context());
  expect(outcome).toMatchObject({ kind: 'rejected', error: { status: 404, code: 'deployment_not_found' } });
  const message = outcome.kind === 'rejected' ? outcome.error.message : '';
  expect(message).toContain("Deployment 'sora-2-typo' (videos API) does not exist on the Azure OpenAI resource");
  expect(message).toContain('set AZURE_OPENAI_VIDEOS_DEPLOYMENT');
});
