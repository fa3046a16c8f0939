/**
 * The app on an OpenAI-compatible endpoint (SORA_API=openai): the local
 * stack points OPENAI_BASE_URL at the emulator's plain `/v1` front, and a
 * request runs end to end through it — create, checks, copy, remix — while
 * the Azure APIs stay available per request.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { HealthReport } from '../../src/http/health-check';
import { createVideoService } from '../../src/sora';
import { sha256OfSoraContent, sha256OfUrl, startPipeline, type Pipeline } from './support';

let p: Pipeline;

beforeAll(async () => {
  p = await startPipeline({ settings: { SORA_API: 'openai' } });
});
afterAll(async () => {
  await p.close();
});

it('makes a video through the OpenAI-compatible endpoint and stores the bytes it serves', async () => {
  const emulator = p.stack.emulator;
  if (!emulator) throw new Error('standalone stack has no emulator');
  expect(p.stack.settings).toMatchObject({ OPENAI_BASE_URL: emulator.openAiBaseUrl, OPENAI_VIDEO_MODEL: 'sora-2' });

  const { id } = await p.api.create({ prompt: 'A lighthouse at dusk', width: 1280, height: 720, n_seconds: 4 });
  const view = await p.waitUntilFinished(id);
  expect(view).toMatchObject({ status: 'succeeded', api: 'openai', size: '1280x720', n_seconds: 4, n_variants: 1 });
  expect(view.soraJobId).toMatch(/^video_/);
  expect(emulator.createdJobs().filter((job) => job.id === view.soraJobId)).toEqual([{ api: 'videos', surface: 'openai', id: view.soraJobId, prompt: 'A lighthouse at dusk' }]);

  const gateway = createVideoService({ api: 'openai', baseUrl: emulator.openAiBaseUrl, model: 'sora-2', apiKey: emulator.apiKey });
  const [stored] = view.videos;
  expect(await sha256OfUrl(stored?.url ?? '')).toBe(await sha256OfSoraContent(gateway, view.soraJobId ?? ''));

  const remix = await fetch(`${p.baseUrl}/api/videos/${id}/remix`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'The same lighthouse in a storm' }) });
  expect(remix.status).toBe(202);
  const remixed = await p.waitUntilFinished(((await remix.json()) as { id: string }).id);
  expect(remixed).toMatchObject({ status: 'succeeded', api: 'openai', remixOf: id, size: '1280x720' });
  expect((await p.api.get(id)).remixes).toEqual([remixed.id]);
});

it('still lets a request choose an Azure API, and reports every API healthy', async () => {
  const response = await p.post({ prompt: 'Back on Azure', api: 'jobs', n_seconds: 1 });
  expect(response.status).toBe(202);
  expect(await p.waitUntilFinished(((await response.json()) as { id: string }).id)).toMatchObject({ status: 'succeeded', api: 'jobs' });

  const health = await fetch(`${p.baseUrl}/api/health`);
  expect(health.status).toBe(200);
  expect(((await health.json()) as HealthReport).video).toEqual({
    jobs: { state: 'ok', default: false, status: null, code: null },
    videos: { state: 'ok', default: false, status: null, code: null },
    openai: { state: 'ok', default: true, status: null, code: null },
  });
});
