/**
 * The videos API client (Sora 2) against the Sora emulator over real HTTP, on
 * a manual clock: every operation, text, input_reference and remix.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSoraEmulator, type SoraEmulator } from '../../src/local/sora-emulator';
import { createVideoService, type VideosClient } from '../../src/sora';
import { fileInput, makeTestMedia, type TestMedia } from './media';
import { bytesOf, rejection } from './support';

let now = Date.parse('2026-11-25T12:00:00Z');
const clock = { now: () => now };
const advance = (seconds: number): void => {
  now += seconds * 1000;
};

let emulator: SoraEmulator;
let sora: VideosClient;
let media: TestMedia;

beforeAll(async () => {
  [emulator, media] = await Promise.all([
    startSoraEmulator({ port: 0, clock, jobSeconds: 10, maxRunningJobs: 50, requestsPerMinute: 10_000, log: () => undefined }),
    makeTestMedia(),
  ]);
  sora = createVideoService({ api: 'videos', endpoint: emulator.endpoint, deployment: emulator.deployments.videos, apiKey: emulator.apiKey });
});

afterAll(async () => {
  await emulator.close();
  await media.remove();
});

afterEach(() => {
  emulator.faults.clear();
});

const text = { prompt: 'a paper boat on a river', width: 720, height: 1280, nSeconds: 4, nVariants: 1 };

describe('videos API', () => {
  it('creates a video and maps its statuses: queued, in_progress → running, completed → succeeded', async () => {
    const created = await sora.submit(text);
    expect(created).toMatchObject({ status: 'queued', progress: 0, generations: [], failureReason: null, failureMessage: null });
    expect(created.id).toMatch(/^video_/);

    advance(5);
    const running = await sora.getJob(created.id);
    expect(running.status).toBe('running');
    expect(running.progress).toBeGreaterThan(0);
    expect(running.progress).toBeLessThan(100);

    advance(6);
    const done = await sora.getJob(created.id);
    expect(done).toMatchObject({ status: 'succeeded', progress: 100, generations: [{ id: created.id }] });
    expect(done.finishedAt).not.toBeNull();

    const raw = await sora.retrieve(created.id);
    expect(raw).toMatchObject({ id: created.id, status: 'completed', size: '720x1280', seconds: '4', remixed_from_video_id: null });

    const page = await sora.list({ limit: 100, order: 'desc' });
    expect(page.data[0]?.id).toBe(created.id);

    await sora.delete(created.id);
    expect(await rejection(sora.getJob(created.id))).toMatchObject({ status: 404, code: 'video_not_found', retryable: false });
  });

  it('serves content: HEAD, video, a byte range, thumbnail and spritesheet', async () => {
    const video = await sora.submit({ ...text, width: 1280, height: 720 });
    advance(11);
    const info = await sora.headContent(video.id);
    expect(info).toMatchObject({ contentType: 'video/mp4', acceptRanges: true });
    const whole = await bytesOf(await sora.openContent(video.id));
    expect(whole.length).toBe(info.contentLength);
    expect(whole.subarray(4, 8).toString('latin1')).toBe('ftyp');

    const tail = await sora.openContent(video.id, { range: { start: whole.length - 64, end: whole.length - 1 } });
    expect((await bytesOf(tail)).equals(whole.subarray(whole.length - 64))).toBe(true);

    for (const image of [await sora.openThumbnail(video.id), await sora.openVariant(video.id, 'spritesheet')]) {
      expect(image.contentType).toBe('image/jpeg');
      expect((await bytesOf(image)).subarray(0, 2).equals(Buffer.from([0xff, 0xd8]))).toBe(true);
    }
  });

  it('sends an input_reference image as a streamed multipart part', async () => {
    const reference = await fileInput(media.portraitPng, 'image/png');
    const video = await sora.submit({ ...text, files: [reference] });
    expect(video.status).toBe('queued');
    expect(reference.opened()).toBe(1);
    advance(11);
    expect((await sora.getJob(video.id)).status).toBe('succeeded');
  });

  it('passes on the service rejecting a reference whose size differs, naming the field', async () => {
    const reference = await fileInput(media.squarePng, 'image/png');
    const error = await rejection(sora.submit({ ...text, files: [reference] }));
    expect(error).toMatchObject({ status: 400, param: 'input_reference', retryable: false });
    expect(error.message).toContain('720x1280');
  });

  it('remixes a finished video', async () => {
    const source = await sora.submit(text);
    advance(11);
    const remix = await sora.submit({ ...text, prompt: 'the same boat, at night', remixOf: source.id });
    expect(remix.status).toBe('queued');
    expect(remix.id).not.toBe(source.id);
    expect((await sora.retrieve(remix.id)).remixed_from_video_id).toBe(source.id);
    advance(11);
    expect((await sora.getJob(remix.id)).status).toBe('succeeded');
  });

  it('cancels by deleting, and treats a video that is already gone as cancelled', async () => {
    const video = await sora.submit(text);
    await sora.cancel(video.id);
    expect((await rejection(sora.getJob(video.id))).status).toBe(404);
    await expect(sora.cancel(video.id)).resolves.toBeUndefined();
    expect((await rejection(sora.delete(video.id))).status).toBe(404);
  });

  it('reports a moderated prompt as failed with the service code and message', async () => {
    const video = await sora.submit({ ...text, prompt: 'something forbidden' });
    advance(11);
    const failed = await sora.getJob(video.id);
    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toBe('moderation_blocked');
    expect(failed.failureMessage).toMatch(/moderation/);
    expect(failed.generations).toEqual([]);
  });
});
