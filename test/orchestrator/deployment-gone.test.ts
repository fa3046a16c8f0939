/**
 * A deployment that is gone (410: model retired; 404 DeploymentNotFound)
 * ends the request at the first answer that says so, wherever it comes:
 * the create, a status check, or the copy of a finished video — no back-off,
 * no second call, no durable retry. The real orchestrator on the local host,
 * activities scripted by typed fakes.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ServiceErrorInfo } from '../../src/contracts/orchestration';
import type { LocalHost } from '../../src/local/host';
import { startFakeActivityHost, startRequest } from './support/fake-activity-host';
import { jobIdOf, request, succeedingActivities } from './support/scenario';
import { userView } from './support/user-view';

let host: LocalHost;

beforeAll(async () => {
  host = await startFakeActivityHost({ timeSkipping: true });
});
afterAll(async () => {
  await host.close();
});

const retired: ServiceErrorInfo = {
  status: 410,
  code: 'model_retired',
  message: "Deployment 'sora' (jobs API) is retired (410 Gone): its model no longer serves any call.",
  param: null,
  requestId: 'sora-req-410',
};

it('fails with model_retired after one create that Sora refused with 410', async () => {
  const input = request('gone-at-create');
  const calls = await startRequest(host, input, { ...succeedingActivities(input.requestId), submitVideoJob: () => ({ kind: 'rejected', error: retired }) });

  await host.waitForIdle();
  expect(await userView(host, input.requestId)).toMatchObject({
    runtimeStatus: 'Completed',
    status: 'failed',
    result: { outcome: 'failed', soraJobId: null, error: retired },
  });
  expect(calls.submitVideoJob).toHaveLength(1);
  expect(calls.getVideoJob).toEqual([]);
  expect(calls.abandonSubmission).toEqual([]);
  expect(calls.deleteInputs).toEqual([input.spec.inputs]);
});

it('fails with model_retired at the first status check that answers 410, without cancelling a job nobody can reach', async () => {
  const input = request('gone-at-check');
  const calls = await startRequest(host, input, { ...succeedingActivities(input.requestId), getVideoJob: () => ({ kind: 'rejected', error: retired }) });

  await host.waitForIdle();
  expect(await userView(host, input.requestId)).toMatchObject({ status: 'failed', result: { outcome: 'failed', soraJobId: jobIdOf(input.requestId), error: retired } });
  expect(calls.getVideoJob).toHaveLength(1);
  expect(calls.cancelVideoJob).toEqual([]);
});

it('fails with model_retired when the copy of the finished video is refused, with one store call per variant and no retry', async () => {
  const input = request('gone-at-store');
  input.spec.nVariants = 2;
  const finished = succeedingActivities(input.requestId);
  const calls = await startRequest(host, input, {
    ...finished,
    getVideoJob: () => ({
      kind: 'status',
      job: { id: jobIdOf(input.requestId), status: 'succeeded', progress: null, createdAt: 0, finishedAt: 1, expiresAt: null, generations: [{ id: 'gen_a' }, { id: 'gen_b' }], failureReason: null, failureMessage: null },
    }),
    storeVideo: () => ({ kind: 'deployment_gone', error: retired }),
  });

  await host.waitForIdle();
  expect(await userView(host, input.requestId)).toMatchObject({
    status: 'failed',
    progress: { stage: 'failed', variantsStored: 0 },
    result: { outcome: 'failed', soraJobId: jobIdOf(input.requestId), error: retired },
  });
  expect(calls.storeVideo.map((c) => c.generationId)).toEqual(['gen_a', 'gen_b']);
  expect(calls.writeManifest).toEqual([]);
  expect(calls.deleteInputs).toEqual([input.spec.inputs]);
});
