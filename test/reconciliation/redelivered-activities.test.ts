/**
 * Activities are at-least-once: Azure runs one again when the worker died
 * after it ran but before its result was recorded. The host's chaos option
 * does exactly that here, on the whole pipeline, and the request still ends
 * with one Sora job and one copy of each blob.
 */
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ActivityResultInfo } from '../../src/local/host';
import type { SoraEmulator } from '../../src/local/sora-emulator';
import { sha256OfSoraContent, sha256OfUrl, startPipeline, type Pipeline } from '../integration/support';

const LOST = { submit: 'lost-submit-result', store: 'lost-store-result' };

let p: Pipeline;
let emulator: SoraEmulator;
const runs: ActivityResultInfo[] = [];

beforeAll(async () => {
  p = await startPipeline({
    chaos: {
      // The first result of the named activity of each of these requests is lost, as if the worker died right then.
      loseActivityResults: (result) => {
        runs.push(result);
        return result.run === 1 && ((result.instanceId === LOST.submit && result.name === 'submitVideoJob') || (result.instanceId === LOST.store && result.name === 'storeVideo'));
      },
    },
  });
  if (!p.stack.emulator) throw new Error('the pipeline has no emulator');
  emulator = p.stack.emulator;
});
afterAll(async () => {
  await p.close();
});

function jobsWithPrompt(prompt: string): string[] {
  return emulator.createdJobs().filter((job) => job.prompt === prompt).map((job) => job.id);
}

function runsOf(instanceId: string, name: string): number[] {
  return runs.filter((r) => r.instanceId === instanceId && r.name === name).map((r) => r.run);
}

it('a submit whose result was lost runs again and adopts the job it made: one Sora job, succeeded', async () => {
  const prompt = 'A lighthouse keeper waves, submit result lost';
  await p.api.create({ id: LOST.submit, prompt, n_seconds: 1 });
  const view = await p.waitUntilFinished(LOST.submit);

  expect(runsOf(LOST.submit, 'submitVideoJob')).toEqual([1, 2]);
  expect(view.status).toBe('succeeded');
  expect(jobsWithPrompt(prompt)).toEqual([view.soraJobId]);
  expect(view.videos).toHaveLength(1);
});

it('a store whose result was lost runs again into the same blob: one blob per variant, the bytes Sora served', async () => {
  const prompt = 'A paper crane unfolds, store result lost';
  await p.api.create({ id: LOST.store, prompt, n_seconds: 1 });
  const view = await p.waitUntilFinished(LOST.store);

  expect(runsOf(LOST.store, 'storeVideo')).toEqual([1, 2]);
  expect(view.status).toBe('succeeded');
  expect(jobsWithPrompt(prompt)).toEqual([view.soraJobId]);
  const [video] = view.videos;
  if (!video) throw new Error('no video in the view');
  const videos = BlobServiceClient.fromConnectionString(p.stack.settings.VideoStorage ?? '').getContainerClient('videos');
  const names: string[] = [];
  for await (const blob of videos.listBlobsFlat({ prefix: `${LOST.store}/` })) names.push(blob.name);
  expect(names.sort()).toEqual([`${LOST.store}/0.jpg`, `${LOST.store}/0.mp4`, `${LOST.store}/manifest.json`]);
  const job = await p.sora.getJob(view.soraJobId ?? '');
  const served = await sha256OfSoraContent(p.sora, job.generations[0]?.id ?? '');
  expect(await sha256OfUrl(video.url)).toBe(served);
  expect(video.sha256).toBe(served);
});
