/**
 * The jobs API client (Sora) against the Sora emulator over real HTTP, on a
 * manual clock: every operation, and each input mode (text, image, video).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSoraEmulator, type SoraEmulator } from '../../src/local/sora-emulator';
import { createVideoService, type JobsClient } from '../../src/sora';
import { fileInput, makeTestMedia, type TestMedia } from './media';
import { bytesOf, rejection } from './support';

let now = Date.parse('2026-11-25T12:00:00Z');
const clock = { now: () => now };
const advance = (seconds: number): void => {
  now += seconds * 1000;
};

let emulator: SoraEmulator;
let sora: JobsClient;
let media: TestMedia;

beforeAll(async () => {
  [emulator, media] = await Promise.all([
    startSoraEmulator({ port: 0, clock, jobSeconds: 10, maxRunningJobs: 50, requestsPerMinute: 10_000, log: () => undefined }),
    makeTestMedia(),
  ]);
  sora = createVideoService({ api: 'jobs', endpoint: emulator.endpoint, deployment: emulator.deployments.jobs, apiKey: emulator.apiKey });
});

afterAll(async () => {
  await emulator.close();
  await media.remove();
});

afterEach(() => {
  emulator.faults.clear();
});

describe('jobs API: text to video', () => {
  it('creates a job, follows it to success, and lists, reads and deletes it', async () => {
    const created = await sora.submit({ prompt: 'a lighthouse at dusk', width: 480, height: 854, nSeconds: 2, nVariants: 2 });
    expect(created).toMatchObject({ status: 'queued', progress: null, generations: [], failureReason: null, finishedAt: null });
    expect(created.id).toMatch(/^task_/);
    expect(created.createdAt).toBe(Math.floor(now / 1000));

    advance(5);
    expect((await sora.getJob(created.id)).status).toBe('running');

    advance(6);
    const done = await sora.getJob(created.id);
    expect(done.status).toBe('succeeded');
    expect(done.finishedAt).not.toBeNull();
    expect(done.expiresAt).not.toBeNull();
    expect(done.generations).toHaveLength(2);

    const page = await sora.listJobs({ statuses: ['succeeded'], limit: 100 });
    expect(page.data.map((j) => j.id)).toContain(created.id);
    expect(page.data.every((j) => j.status === 'succeeded')).toBe(true);

    const generationId = done.generations[0]?.id ?? '';
    const generation = await sora.getGeneration(generationId);
    expect(generation).toMatchObject({ id: generationId, job_id: created.id, width: 480, height: 854, n_seconds: 2 });

    await sora.deleteJob(created.id);
    const gone = await rejection(sora.getJob(created.id));
    expect(gone).toMatchObject({ status: 404, retryable: false });
  });

  it('serves content: HEAD, the whole video, a byte range, low quality, the thumbnail', async () => {
    const job = await sora.submit({ prompt: 'waves on a beach', width: 480, height: 480, nSeconds: 1, nVariants: 1 });
    advance(11);
    const generationId = (await sora.getJob(job.id)).generations[0]?.id ?? '';

    const info = await sora.headContent(generationId);
    expect(info).toMatchObject({ contentType: 'video/mp4', acceptRanges: true });
    expect(info.contentLength).toBeGreaterThan(1000);
    expect(info.lastModified).not.toBeNull();

    const whole = await sora.openContent(generationId);
    const video = await bytesOf(whole);
    expect(video.length).toBe(info.contentLength);
    expect(video.subarray(4, 8).toString('latin1')).toBe('ftyp');

    const part = await sora.openContent(generationId, { range: { start: 100, end: 299 } });
    expect(part.contentLength).toBe(200);
    expect((await bytesOf(part)).equals(video.subarray(100, 300))).toBe(true);

    const low = await bytesOf(await sora.openContent(generationId, { quality: 'low' }));
    expect(low.subarray(4, 8).toString('latin1')).toBe('ftyp');

    const thumbnail = await sora.openThumbnail(generationId);
    expect(thumbnail.contentType).toMatch(/^image\/jpe?g$/);
    const jpeg = await bytesOf(thumbnail);
    expect(jpeg.subarray(0, 2).equals(Buffer.from([0xff, 0xd8]))).toBe(true);
  });

  it('pages through jobs with limit and after', async () => {
    const ids: string[] = [];
    for (const prompt of ['one', 'two', 'three']) ids.push((await sora.submit({ prompt, width: 480, height: 480, nSeconds: 1, nVariants: 1 })).id);
    const first = await sora.listJobs({ limit: 2 });
    expect(first.data).toHaveLength(2);
    expect(first.hasMore).toBe(true);
    expect(first.lastId).toBe(first.data[1]?.id);
    const second = await sora.listJobs({ limit: 2, after: first.lastId ?? undefined });
    expect(second.data[0]?.id).not.toBe(first.data[1]?.id);
    const seen = [...first.data, ...second.data].map((j) => j.id);
    for (const id of ids) expect(seen).toContain(id);
  });

  it('cancels a running job, and treats a job that is already gone as cancelled', async () => {
    const job = await sora.submit({ prompt: 'a slow sunrise', width: 480, height: 480, nSeconds: 1, nVariants: 1 });
    advance(3);
    await sora.cancel(job.id);
    expect((await sora.getJob(job.id)).status).toBe('cancelled');
    await expect(sora.cancel('task_doesnotexist')).resolves.toBeUndefined();
    const strict = await rejection(sora.deleteJob('task_doesnotexist'));
    expect(strict.status).toBe(404);
  });
});

describe('jobs API: media inputs (multipart, streamed from the files)', () => {
  it('sends two images with crop bounds as repeated files parts', async () => {
    const png = await fileInput(media.squarePng, 'image/png');
    const jpeg = await fileInput(media.squareJpeg, 'image/jpeg');
    const job = await sora.submit({
      prompt: 'animate these stills',
      width: 480,
      height: 480,
      nSeconds: 1,
      nVariants: 1,
      inpaintItems: [
        { type: 'image', fileName: png.fileName, frameIndex: 0 },
        { type: 'image', fileName: jpeg.fileName, frameIndex: 5, cropBounds: { left_fraction: 0.1, top_fraction: 0.1, right_fraction: 0.9, bottom_fraction: 0.9 } },
      ],
      files: [png, jpeg],
    });
    expect(job.status).toBe('queued');
    expect(png.opened()).toBe(1);
    expect(jpeg.opened()).toBe(1);
    advance(11);
    const done = await sora.getJob(job.id);
    expect(done.status).toBe('succeeded');
    const video = await bytesOf(await sora.openContent(done.generations[0]?.id ?? ''));
    expect(video.subarray(4, 8).toString('latin1')).toBe('ftyp');
  });

  it('sends a video input', async () => {
    const clip = await fileInput(media.shortMp4, 'video/mp4');
    const job = await sora.submit({
      prompt: 'continue this clip',
      width: 480,
      height: 480,
      nSeconds: 2,
      nVariants: 1,
      inpaintItems: [{ type: 'video', fileName: clip.fileName, frameIndex: 0 }],
      files: [clip],
    });
    expect(job.status).toBe('queued');
    advance(11);
    expect((await sora.getJob(job.id)).status).toBe('succeeded');
  });

  it('lets the service judge the bytes: a PNG that is not an image is a 400 naming the item', async () => {
    const notAnImage = await fileInput(media.shortMp4, 'image/png', 'fake.png');
    const error = await rejection(
      sora.submit({
        prompt: 'x',
        width: 480,
        height: 480,
        nSeconds: 1,
        nVariants: 1,
        inpaintItems: [{ type: 'image', fileName: 'fake.png', frameIndex: 0 }],
        files: [notAnImage],
      }),
    );
    expect(error).toMatchObject({ status: 400, code: 'invalid_image', param: 'inpaint_items[0]', retryable: false });
  });
});
