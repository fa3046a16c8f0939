/**
 * The third API: the same videos client pointed at an OpenAI-compatible base
 * URL (the emulator's `/v1` front) with a bearer key and a model name; and
 * how a deployment or model that is gone reads, on every API.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSoraEmulator, type SoraEmulator } from '../../src/local/sora-emulator';
import { createVideoService, type JobsClient, type VideosClient } from '../../src/sora';
import { deploymentFailureMessage, deploymentFailureOf } from '../../src/sora/deployment-failure';
import { bytesOf, rejection } from './support';

let now = Date.parse('2026-11-25T12:00:00Z');
const clock = { now: () => now };
let emulator: SoraEmulator;
let gateway: VideosClient;
let jobs: JobsClient;

beforeAll(async () => {
  emulator = await startSoraEmulator({ port: 0, clock, jobSeconds: 10, requestsPerMinute: 10_000, log: () => undefined });
  gateway = createVideoService({ api: 'openai', baseUrl: emulator.openAiBaseUrl, model: emulator.deployments.videos, apiKey: emulator.apiKey });
  jobs = createVideoService({ api: 'jobs', endpoint: emulator.endpoint, deployment: emulator.deployments.jobs, apiKey: emulator.apiKey });
});

afterAll(async () => {
  await emulator.close();
});

afterEach(() => {
  emulator.retired.clear();
});

const text = { prompt: 'a lantern in the fog', width: 720, height: 1280, nSeconds: 4, nVariants: 1 };

describe('the openai API (an OpenAI-compatible endpoint)', () => {
  it('creates, follows, downloads and remixes through the plain base URL with a bearer key', async () => {
    expect(gateway).toMatchObject({ api: 'openai', deployment: 'sora-2' });
    const job = await gateway.submit(text);
    expect(job).toMatchObject({ status: 'queued', generations: [] });
    expect(job.id).toMatch(/^video_/);
    now += 10_000;
    const done = await gateway.getJob(job.id);
    expect(done).toMatchObject({ status: 'succeeded', generations: [{ id: job.id }] });
    const content = await gateway.openContent(job.id);
    expect((await bytesOf(content)).subarray(4, 8).toString('latin1')).toBe('ftyp');

    const remix = await gateway.submit({ ...text, prompt: 'the lantern goes out', remixOf: job.id });
    expect((await gateway.retrieve(remix.id)).remixed_from_video_id).toBe(job.id);
    await expect(gateway.probe()).resolves.toBeUndefined();
  });

  it('reads a model the endpoint lacks as deployment_not_found, naming the model and the setting', async () => {
    const other = createVideoService({ api: 'openai', baseUrl: emulator.openAiBaseUrl, model: 'veo-9', apiKey: emulator.apiKey });
    const error = await rejection(other.submit(text));
    expect(error).toMatchObject({ status: 404, code: 'model_not_found', retryable: false });
    expect(deploymentFailureOf(error)).toBe('deployment_not_found');
    expect(deploymentFailureMessage('deployment_not_found', { api: 'openai', deployment: 'veo-9', setting: 'OPENAI_VIDEO_MODEL' }, error)).toBe(
      "The OpenAI-compatible endpoint has no model 'veo-9'. Pick a model it serves and set OPENAI_VIDEO_MODEL to it. (the service answered 404 model_not_found: The model 'veo-9' does not exist or you do not have access to it.)",
    );
  });
});

describe('a deployment that is gone', () => {
  it('reads a 410 on any call as model_retired', async () => {
    emulator.retired.add('sora-2');
    const error = await rejection(gateway.probe());
    expect(error).toMatchObject({ status: 410, code: 'ModelDeprecated', retryable: false });
    expect(deploymentFailureOf(error)).toBe('model_retired');
    expect(deploymentFailureMessage('model_retired', { api: 'videos', deployment: 'sora-2', setting: 'AZURE_OPENAI_VIDEOS_DEPLOYMENT' }, error)).toMatch(
      /^Deployment 'sora-2' \(videos API\) is retired \(410 Gone\): its model no longer serves any call\. Deploy a model your region still offers \(az cognitiveservices model list -l <region>\) and set AZURE_OPENAI_VIDEOS_DEPLOYMENT to that deployment's name\. \(the service answered 410 ModelDeprecated: The model of deployment 'sora-2' has been retired/,
    );
  });

  it("reads Azure's DeploymentNotFound as deployment_not_found, and a missing job as neither", async () => {
    const misnamed = createVideoService({ api: 'jobs', endpoint: emulator.endpoint, deployment: 'sora-typo', apiKey: emulator.apiKey });
    const gone = await rejection(misnamed.submit({ prompt: 'x', width: 480, height: 480, nSeconds: 1, nVariants: 1 }));
    expect(gone).toMatchObject({ status: 404, code: 'DeploymentNotFound' });
    expect(deploymentFailureOf(gone)).toBe('deployment_not_found');

    const noJob = await rejection(jobs.getJob('task_nope'));
    expect(noJob.status).toBe(404);
    expect(deploymentFailureOf(noJob)).toBeUndefined();
  });
});
