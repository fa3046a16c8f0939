/**
 * Sora 2 (SORA_API=videos) through the pipeline: a request with a reference
 * image uploaded or referenced as a blob, a remix of the finished video linked
 * both ways, and a reference image of the wrong size refused clearly.
 */
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mediaFixtures, type MediaFixtures } from './media-fixtures';
import { startPipeline, type Pipeline } from './support';

let p: Pipeline;
let media: MediaFixtures;

beforeAll(async () => {
  [p, media] = await Promise.all([startPipeline({ settings: { SORA_API: 'videos' } }), mediaFixtures()]);
});
afterAll(async () => {
  await Promise.all([p.close(), media.close()]);
});

function referenceForm(fields: Record<string, string>, name: string, data: Buffer): FormData {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.append(key, value);
  body.append('input_reference', new Blob([data], { type: 'image/png' }), name);
  return body;
}

it('makes a video from a prompt and a reference image, then a remix of it, linked both ways', async () => {
  const reference = await media.image(720, 1280, 'png');
  const response = await fetch(`${p.baseUrl}/api/videos`, { method: 'POST', body: referenceForm({ prompt: 'A lighthouse at dusk', n_seconds: '4' }, 'lighthouse.png', reference) });
  expect(response.status).toBe(202);
  const { id } = (await response.json()) as { id: string };
  const original = await p.waitUntilFinished(id);
  expect(original).toMatchObject({ status: 'succeeded', api: 'videos', size: '720x1280', n_seconds: 4 });
  expect(original.soraJobId).toMatch(/^video_/);

  const remix = await fetch(`${p.baseUrl}/api/videos/${id}/remix`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'The same lighthouse in a snowstorm' }) });
  expect(remix.status).toBe(202);
  const remixId = ((await remix.json()) as { id: string }).id;
  const remixed = await p.waitUntilFinished(remixId);
  expect(remixed).toMatchObject({ status: 'succeeded', remixOf: id, size: '720x1280' });
  expect(remixed.videos).toHaveLength(1);

  // Sora itself recorded the remix, and the original now lists it.
  const emulator = p.stack.emulator;
  const video = (await (await fetch(`${emulator?.endpoint ?? ''}/openai/v1/videos/${remixed.soraJobId ?? ''}`, { headers: { 'api-key': emulator?.apiKey ?? '' } })).json()) as { remixed_from_video_id: string };
  expect(video.remixed_from_video_id).toBe(original.soraJobId);
  expect((await p.api.get(id)).remixes).toEqual([remixId]);
});

it('takes the reference image from a blob in the inputs container', async () => {
  const inputs = BlobServiceClient.fromConnectionString(p.stack.settings.VideoStorage ?? '').getContainerClient('video-inputs');
  await inputs.createIfNotExists();
  await inputs.getBlockBlobClient('landscape/ref.jpg').uploadData(await media.image(1280, 720));
  const { id } = await p.api.create({ prompt: 'Wide shot', width: 1280, height: 720, input_reference: { blob: 'landscape/ref.jpg' } });
  expect((await p.waitUntilFinished(id)).status).toBe('succeeded');
});

it('refuses a reference image whose resolution is not the requested size, saying so', async () => {
  const response = await fetch(`${p.baseUrl}/api/videos`, { method: 'POST', body: referenceForm({ prompt: 'x' }, 'small.png', await media.image(640, 480, 'png')) });
  expect(response.status).toBe(400);
  const problem = (await response.json()) as { invalidFields: string[]; detail: string };
  expect(problem.invalidFields).toEqual(['input_reference[small.png]']);
  expect(problem.detail).toContain('640x480');
  expect(problem.detail).toContain('720x1280');
});

it('refuses to remix a request that has not succeeded or is unknown', async () => {
  expect((await fetch(`${p.baseUrl}/api/videos/nope/remix`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'x' }) })).status).toBe(404);
  const { id } = await p.api.create({ prompt: 'forbidden words' });
  await p.waitUntilFinished(id);
  const response = await fetch(`${p.baseUrl}/api/videos/${id}/remix`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'again' }) });
  expect(response.status).toBe(409);
});

it('lets a request choose the other API when the app has deployments for both', async () => {
  const response = await p.post({ prompt: 'Back to the jobs API', api: 'jobs', n_variants: 2, n_seconds: 1 });
  expect(response.status).toBe(202);
  const view = await p.waitUntilFinished(((await response.json()) as { id: string }).id);
  expect(view).toMatchObject({ status: 'succeeded', api: 'jobs', size: '480x480', n_variants: 2 });
  expect(view.soraJobId).toMatch(/^task_/);
  expect(view.videos).toHaveLength(2);
});
