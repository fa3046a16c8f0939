/**
 * What the emulator renders and how it serves it: real H.264 MP4s of exactly
 * the requested size and length, variants that differ, the prompt drawn,
 * image and video inputs visibly composited (from their frame, cropped),
 * JPEG thumbnails and spritesheets, GET/HEAD/Range, one render per distinct
 * request, and the 'service' timing.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesOf, errorOf, ffmpeg, form, type Harness, jobBody, meanDifference, near, pixelAt, probe, startHarness } from './support';

let h: Harness;
const GREEN = [0x20, 0xc0, 0x60];
const PURPLE = [0xc0, 0x20, 0xa0];
const ORANGE = [0xf0, 0x90, 0x10];

beforeAll(async () => {
  h = await startHarness({ maxRunningJobs: 100 });
});

afterAll(async () => {
  await h.close();
});

interface Job {
  id: string;
  status: string;
  finished_at: number | null;
  created_at: number;
  generations: { id: string }[];
}

async function finishedJob(response: Response): Promise<Job> {
  expect(response.status).toBe(200);
  const job = (await response.json()) as Job;
  h.clock.advance(10);
  const done = (await (await h.call(`/video/generations/jobs/${job.id}`)).json()) as Job;
  expect(done.status).toBe('succeeded');
  return done;
}

async function saveContent(path: string, file: string): Promise<string> {
  const response = await h.call(path);
  expect(response.status).toBe(200);
  const target = join(h.dir, file);
  await writeFile(target, await bytesOf(response));
  return target;
}

/** Top-level MP4 box types in order (ftyp, moov, mdat, …). */
function topLevelBoxes(mp4: Buffer): string[] {
  const boxes: string[] = [];
  for (let at = 0; at + 8 <= mp4.length; ) {
    const size = mp4.readUInt32BE(at);
    boxes.push(mp4.toString('latin1', at + 4, at + 8));
    if (size < 8) break;
    at += size;
  }
  return boxes;
}

const isJpeg = (bytes: Buffer): boolean => bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;

describe('jobs API renders', () => {
  let job: Job;
  const files: string[] = [];

  beforeAll(async () => {
    job = await finishedJob(await h.json('/video/generations/jobs', jobBody({ width: 854, height: 480, n_seconds: 3, n_variants: 2, prompt: 'two variants of a harbour' })));
    for (const [i, generation] of job.generations.entries()) files.push(await saveContent(`/video/generations/${generation.id}/content/video`, `variant-${i}.mp4`));
  });

  it('are H.264 yuv420p MP4s with moov before mdat, at exactly width×height and n_seconds', async () => {
    expect(files).toHaveLength(2);
    for (const file of files) {
      expect(await probe(file)).toMatchObject({ format: 'mov,mp4,m4a,3gp,3g2,mj2', codec: 'h264', pixelFormat: 'yuv420p', width: 854, height: 480, durationSeconds: 3 });
      const own = topLevelBoxes(await readFile(file));
      expect(own[0]).toBe('ftyp');
      expect(own.indexOf('moov')).toBeLessThan(own.indexOf('mdat'));
      // The whole stream decodes without errors (ffmpeg exits non-zero otherwise).
      await ffmpeg(['-v', 'error', '-xerror', '-i', file, '-f', 'null', '-']);
    }
  });

  it('differ visibly from variant to variant', async () => {
    const points: [number, number][] = [
      [100, 100],
      [400, 200],
      [700, 300],
    ];
    const differences = await Promise.all(
      points.map(async ([x, y]) => {
        const [a, b] = await Promise.all(files.map((f) => pixelAt(f, 1, x, y)));
        return !near(a ?? [], b ?? [], 40);
      }),
    );
    expect(differences).toContain(true);
  });

  it('draw the prompt: the same request with another prompt differs only where the text is', async () => {
    const other = await finishedJob(await h.json('/video/generations/jobs', jobBody({ width: 854, height: 480, n_seconds: 3, prompt: 'WWWW MMMM a completely different caption' })));
    const otherFile = await saveContent(`/video/generations/${other.generations[0]?.id ?? ''}/content/video`, 'other-prompt.mp4');
    const strip = (file: string, y: number): Promise<Buffer> =>
      ffmpeg(['-ss', '1', '-i', file, '-frames:v', '1', '-vf', `format=rgb24,crop=854:60:0:${y}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
    const first = files[0] ?? '';
    // Lossy encoding moves a few values anywhere; the caption strip changes a lot.
    expect(meanDifference(await strip(first, 0), await strip(otherFile, 0))).toBeLessThan(3);
    expect(meanDifference(await strip(first, 420), await strip(otherFile, 420))).toBeGreaterThan(10);
  });

  it('answer HEAD and GET with length, ranges, last-modified; Range gives 206 and 416', async () => {
    const path = `/video/generations/${job.generations[0]?.id ?? ''}/content/video?api-version=preview`;
    const whole = await bytesOf(await h.call(path));
    const head = await h.call(path, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('video/mp4');
    expect(head.headers.get('content-length')).toBe(String(whole.length));
    expect(head.headers.get('accept-ranges')).toBe('bytes');
    expect(head.headers.get('last-modified')).toBe(new Date((job.finished_at ?? 0) * 1000).toUTCString());
    expect(await head.text()).toBe('');

    const range = await h.call(path, { headers: { range: 'bytes=100-199' } });
    expect(range.status).toBe(206);
    expect(range.headers.get('content-range')).toBe(`bytes 100-199/${whole.length}`);
    expect((await bytesOf(range)).equals(whole.subarray(100, 200))).toBe(true);

    const suffix = await h.call(path, { headers: { range: 'bytes=-10' } });
    expect((await bytesOf(suffix)).equals(whole.subarray(whole.length - 10))).toBe(true);

    const beyond = await h.call(path, { headers: { range: `bytes=${whole.length}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${whole.length}`);

    expect((await bytesOf(await h.call(`${path}&quality=low`))).length).toBe(whole.length);
    const badQuality = await h.call(`${path}&quality=medium`);
    expect(badQuality.status).toBe(400);
    expect((await errorOf(badQuality)).param).toBe('quality');
  });

  it('serve a JPEG thumbnail (image/jpg) of the video size', async () => {
    const response = await h.call(`/video/generations/${job.generations[1]?.id ?? ''}/content/thumbnail`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpg');
    const bytes = await bytesOf(response);
    expect(isJpeg(bytes)).toBe(true);
    const file = join(h.dir, 'thumb.jpg');
    await writeFile(file, bytes);
    expect(await probe(file)).toMatchObject({ codec: 'mjpeg', width: 854, height: 480 });
  });

  it('answer 404 for a generation that does not exist', async () => {
    expect((await h.call('/video/generations/gen_nope/content/video')).status).toBe(404);
  });
});

describe('media inputs are visibly used', () => {
  it('an image from its frame_index on, with crop bounds applied, and a video composited', async () => {
    const halves = join(h.dir, 'halves.png');
    const clip = join(h.dir, 'green.mp4');
    await Promise.all([
      // Left half green, right half purple.
      ffmpeg(['-f', 'lavfi', '-i', 'color=c=0x20C060:size=240x480', '-f', 'lavfi', '-i', 'color=c=0xC020A0:size=240x480', '-filter_complex', 'hstack', '-frames:v', '1', halves]),
      ffmpeg(['-f', 'lavfi', '-i', 'color=c=0xF09010:size=320x240:rate=12', '-t', '2', '-pix_fmt', 'yuv420p', clip]),
    ]);
    const items = [
      { type: 'image', file_name: 'halves.png', frame_index: 12, crop_bounds: { left_fraction: 0.5, top_fraction: 0, right_fraction: 1, bottom_fraction: 1 } },
      { type: 'video', file_name: 'green.mp4' },
    ];
    const data = await form({ model: 'sora', prompt: 'inputs', width: '480', height: '480', n_seconds: '2', inpaint_items: JSON.stringify(items) }, [
      ['files', 'halves.png', halves, 'image/png'],
      ['files', 'green.mp4', clip, 'video/mp4'],
    ]);
    const job = await finishedJob(await h.call('/video/generations/jobs', { method: 'POST', body: data }));
    const file = await saveContent(`/video/generations/${job.generations[0]?.id ?? ''}/content/video`, 'inputs.mp4');

    // The image sits in the left half from frame 12 (1 s at 12 fps): only its right (purple) half, cropped.
    expect(near(await pixelAt(file, 0.5, 90, 240), PURPLE)).toBe(false);
    expect(near(await pixelAt(file, 1.5, 90, 240), PURPLE)).toBe(true);
    // The video sits in the right half from the start.
    expect(near(await pixelAt(file, 0.5, 360, 240), ORANGE)).toBe(true);
  });
});

describe('videos API renders', () => {
  it('uses input_reference as the opening frame, serves video, thumbnail and spritesheet, and remixes', async () => {
    const reference = join(h.dir, 'reference.png');
    await ffmpeg(['-f', 'lavfi', '-i', 'color=c=0x20C060:size=1280x720', '-frames:v', '1', reference]);
    const created = await h.call('/videos', {
      method: 'POST',
      body: await form({ model: 'sora-2', prompt: 'from a green picture', size: '1280x720', seconds: '4' }, [['input_reference', 'reference.png', reference, 'image/png']]),
    });
    const video = (await created.json()) as { id: string };
    h.clock.advance(10);
    const file = await saveContent(`/videos/${video.id}/content?variant=video`, 'sora2.mp4');
    expect(await probe(file)).toMatchObject({ codec: 'h264', width: 1280, height: 720, durationSeconds: 4 });
    expect(near(await pixelAt(file, 0.3, 640, 100), GREEN)).toBe(true);
    expect(near(await pixelAt(file, 2, 640, 100), GREEN)).toBe(false);

    for (const variant of ['thumbnail', 'spritesheet']) {
      const response = await h.call(`/videos/${video.id}/content?variant=${variant}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/jpeg');
      expect(isJpeg(await bytesOf(response))).toBe(true);
    }
    expect((await h.call(`/videos/${video.id}/content?variant=poster`)).status).toBe(400);

    const remix = (await (await h.json(`/videos/${video.id}/remix`, { prompt: 'the same, at night' })).json()) as { id: string; remixed_from_video_id: string; size: string; seconds: string };
    expect(remix).toMatchObject({ remixed_from_video_id: video.id, size: '1280x720', seconds: '4' });
    h.clock.advance(10);
    const remixed = await saveContent(`/videos/${remix.id}/content`, 'remix.mp4');
    expect(await probe(remixed)).toMatchObject({ width: 1280, height: 720, durationSeconds: 4 });
    // The source appears as an inset in the left half: its green opening second shows there.
    expect(near(await pixelAt(remixed, 0.3, 320, 360), GREEN)).toBe(true);
  });

  it('answers 404 for content of a video that is not completed', async () => {
    const video = (await (await h.json('/videos', { model: 'sora-2', prompt: 'not yet' })).json()) as { id: string };
    expect((await h.call(`/videos/${video.id}/content`)).status).toBe(404);
  });
});

describe('render cache', () => {
  it('renders identical requests once, even when their content is fetched concurrently', async () => {
    const fresh = await startHarness({ maxRunningJobs: 100 });
    try {
      const body = jobBody({ prompt: 'cached twice' });
      const [a, b] = await Promise.all([fresh.json('/video/generations/jobs', body), fresh.json('/video/generations/jobs', body)]);
      const ids = await Promise.all([a, b].map(async (r) => ((await r.json()) as Job).id));
      fresh.clock.advance(10);
      const generations = await Promise.all(ids.map(async (id) => ((await (await fresh.call(`/video/generations/jobs/${id}`)).json()) as Job).generations[0]?.id ?? ''));
      const bodies = await Promise.all(generations.map(async (g) => bytesOf(await fresh.call(`/video/generations/${g}/content/video`))));
      expect(bodies[0]?.equals(bodies[1] ?? Buffer.alloc(0))).toBe(true);
      const rendered = await readdir(join(fresh.dir, 'cache', 'renders'));
      expect(rendered.filter((f) => f.endsWith('-video.mp4'))).toHaveLength(1);
      expect(rendered.filter((f) => f.startsWith('tmp-'))).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});

describe("timing 'service'", () => {
  it('takes the typical 1–5 minutes by size and length', async () => {
    const service = await startHarness({ timing: 'service', maxRunningJobs: 100 });
    try {
      const small = (await (await service.json('/video/generations/jobs', jobBody({ n_seconds: 1 }))).json()) as Job;
      // A blocked prompt fails after the queued tenth of the job's duration: 1080p for 20 s takes 300 s, so it fails at 30 s.
      const large = (await (await service.json('/video/generations/jobs', jobBody({ width: 1920, height: 1080, n_seconds: 20, prompt: 'forbidden' }))).json()) as Job;
      service.clock.advance(61);
      const statusOf = async (id: string): Promise<Job> => (await (await service.call(`/video/generations/jobs/${id}`)).json()) as Job;
      expect((await statusOf(small.id)).status).toBe('processing');
      service.clock.advance(0.5);
      expect((await statusOf(small.id)).status).toBe('succeeded');
      const failed = await statusOf(large.id);
      expect((failed.finished_at ?? 0) - failed.created_at).toBe(30);
    } finally {
      await service.close();
    }
  });
});
