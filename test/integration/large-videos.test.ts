/**
 * Large videos through the whole pipeline with the emulator's default limits
 * (60 requests a minute, two running jobs) and the app's default store
 * settings (8 MiB blocks, 4 ranges, a 64 MiB budget for every copy on the
 * worker): four variants of 128 MiB and one of 512 MiB end succeeded, each
 * blob SHA-256-identical to what Sora served. And a copy that keeps failing
 * ends the request failed with its error in the same answer that says failed.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { VideoView } from '../../src/requests/video-view';
import { FINISHED_STATUSES } from '../../src/contracts/public-status';
import { sha256OfSoraContent, sha256OfUrl, startPipeline, type Pipeline } from './support';

const MiB = 1024 * 1024;
let p: Pipeline;

beforeAll(async () => {
  p = await startPipeline();
});
afterEach(() => {
  p.stack.emulator?.faults.clear();
});
afterAll(async () => {
  await p.close();
});

/** Every stored video is what Sora served for its generation, by SHA-256, in the view and in the blob. */
async function expectStoredAsServed(view: VideoView, bytes: number): Promise<void> {
  const job = await p.sora.getJob(view.soraJobId ?? '');
  expect(view.videos.map((v) => v.bytes)).toEqual(job.generations.map(() => bytes));
  await Promise.all(
    view.videos.map(async (video) => {
      const served = await sha256OfSoraContent(p.sora, job.generations[video.variant]?.id ?? '');
      expect(video.sha256).toBe(served);
      expect(await sha256OfUrl(video.url)).toBe(served);
    }),
  );
}

describe('a copy that keeps failing', () => {
  // First in the file: its retries move the emulator's clock past the minute its requests count in.
  it('ends the request failed, and every answer that says failed carries the error', async () => {
    p.stack.emulator?.faults.add({ kind: 'contentNotFound', forSeconds: 3600 });
    const { id } = await p.api.create({ prompt: 'Never there', n_seconds: 1, n_variants: 2 });
    const views: VideoView[] = [];
    for (let view = await p.api.get(id); ; view = await p.api.get(id)) {
      views.push(view);
      if (FINISHED_STATUSES.includes(view.status)) break;
    }
    const failed = views.filter((v) => v.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.map((v) => v.error?.code)).toEqual(failed.map(() => 'store_failed'));
    const view = views[views.length - 1];
    // The copy's first call is a GET (no HEAD before it), whose error body says what Sora said, with its request id.
    expect(view?.error?.message).toMatch(/^Activity function 'storeVideo' failed: Sora 404 NotFound: Content for generation 'gen_[0-9a-z]+' is not available yet\. \[request id [0-9a-f-]{36}\]$/);
    expect(view?.videos).toEqual([]);
  });
});

describe('large videos with the service’s request rate', () => {
  it('stores four variants of 128 MiB, each blob identical to what Sora served', async () => {
    p.stack.emulator?.faults.add({ kind: 'contentSize', bytes: 128 * MiB });
    const { id } = await p.api.create({ prompt: 'Four large variants', n_seconds: 1, n_variants: 4 });
    const view = await p.waitUntilFinished(id);
    expect(view.status).toBe('succeeded');
    expect(view.videos.map((v) => v.variant)).toEqual([0, 1, 2, 3]);
    await expectStoredAsServed(view, 128 * MiB);
  });

  it('stores one variant of 512 MiB, the blob identical to what Sora served', async () => {
    p.stack.emulator?.faults.add({ kind: 'contentSize', bytes: 512 * MiB });
    const { id } = await p.api.create({ prompt: 'One very large variant', n_seconds: 1 });
    const view = await p.waitUntilFinished(id);
    expect(view.status).toBe('succeeded');
    await expectStoredAsServed(view, 512 * MiB);
  });
});
