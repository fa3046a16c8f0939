/**
 * Every request rule of SORA-API.md, enforced over HTTP: a 400 whose `param`
 * names the broken field and whose message says what is wrong — and the
 * boundary values on the other side of each rule are accepted.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, ffmpeg, form, type Harness, jobBody, startHarness } from './support';

let h: Harness;
let media: { png480: string; png720x1280: string; jpg480: string; clip2s: string; clip7s: string; text: string };

beforeAll(async () => {
  h = await startHarness({ maxRunningJobs: 1000 });
  // Accepted jobs here never finish, so this file does not spend CPU rendering them.
  h.emulator.faults.add({ kind: 'neverFinish' });
  const at = (name: string): string => join(h.dir, name);
  media = { png480: at('a.png'), png720x1280: at('portrait.png'), jpg480: at('b.jpg'), clip2s: at('clip.mp4'), clip7s: at('long.mp4'), text: at('notes.txt') };
  await Promise.all([
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=480x480', '-frames:v', '1', media.png480]),
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=720x1280', '-frames:v', '1', media.png720x1280]),
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=480x480', '-frames:v', '1', media.jpg480]),
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10', '-t', '2', '-pix_fmt', 'yuv420p', media.clip2s]),
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10', '-t', '7', '-pix_fmt', 'yuv420p', media.clip7s]),
    writeFile(media.text, 'not an image'),
  ]);
});

afterAll(async () => {
  await h.close();
});

async function expectRejected(response: Response, param: string, message: RegExp): Promise<void> {
  expect(response.status).toBe(400);
  const error = await errorOf(response);
  expect(error).toMatchObject({ param, type: 'invalid_request_error' });
  expect(error.message).toMatch(message);
}

const createJob = (body: Record<string, unknown>): Promise<Response> => h.json('/video/generations/jobs?api-version=preview', body);
const createJobForm = (data: FormData): Promise<Response> => h.call('/video/generations/jobs?api-version=preview', { method: 'POST', body: data });

describe('jobs API (JSON)', () => {
  it.each([
    ['model missing', { model: undefined }, 'model', /required/],
    ['prompt missing', { prompt: undefined }, 'prompt', /required/],
    ['prompt blank', { prompt: '   ' }, 'prompt', /empty/],
    ['width missing', { width: undefined }, 'width', /required/],
    ['height as a string', { height: '480' }, 'height', /integer/],
    ['unsupported size 1280x1280', { width: 1280, height: 1280 }, 'width', /1280x1280 is not a supported size/],
    ['unsupported size 640x480', { width: 640, height: 480 }, 'width', /not a supported size/],
    ['n_seconds 0', { n_seconds: 0 }, 'n_seconds', /between 1 and 20/],
    ['n_seconds 21', { n_seconds: 21 }, 'n_seconds', /between 1 and 20/],
    ['n_seconds 2.5', { n_seconds: 2.5 }, 'n_seconds', /integer/],
    ['n_variants 0', { n_variants: 0 }, 'n_variants', /at least 1/],
    ['n_variants 5 at 480x480', { n_variants: 5 }, 'n_variants', /at most 4 for 480x480/],
    ['n_variants 5 at 854x480', { width: 854, height: 480, n_variants: 5 }, 'n_variants', /at most 4/],
    ['n_variants 3 at 720x720', { width: 720, height: 720, n_variants: 3 }, 'n_variants', /at most 2 for 720x720/],
    ['n_variants 3 at 1280x720', { width: 1280, height: 720, n_variants: 3 }, 'n_variants', /at most 2/],
    ['n_variants 2 at 1080x1080', { width: 1080, height: 1080, n_variants: 2 }, 'n_variants', /at most 1 for 1080x1080/],
    ['n_variants 2 at 1920x1080', { width: 1920, height: 1080, n_variants: 2 }, 'n_variants', /at most 1/],
    ['inpaint items without file parts', { inpaint_items: [{ type: 'image', file_name: 'a.png' }] }, 'inpaint_items[0].file_name', /no file part/],
  ])('refuses %s', async (_name, overrides, param, message) => {
    await expectRejected(await createJob(jobBody(overrides)), param, message);
  });

  it.each([
    ['480x480', 4],
    ['480x854', 4],
    ['854x480', 4],
    ['720x720', 2],
    ['720x1280', 2],
    ['1280x720', 2],
    ['1080x1080', 1],
    ['1080x1920', 1],
    ['1920x1080', 1],
  ])('accepts %s with its most variants (%i)', async (size, variants) => {
    const [width, height] = size.split('x').map(Number);
    const response = await createJob(jobBody({ width, height, n_variants: variants }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ width, height, n_variants: variants, status: 'queued' });
  });

  it.each([1, 20])('accepts n_seconds %i and defaults to 5', async (seconds) => {
    expect(await (await createJob(jobBody({ n_seconds: seconds }))).json()).toMatchObject({ n_seconds: seconds });
    expect(await (await createJob(jobBody({ n_seconds: undefined }))).json()).toMatchObject({ n_seconds: 5, n_variants: 1 });
  });
});

describe('jobs API (multipart with media)', () => {
  const fields = (items: unknown, extra: Record<string, string> = {}): Record<string, string> => ({
    model: 'sora',
    prompt: 'a garden',
    width: '480',
    height: '480',
    n_seconds: '2',
    inpaint_items: typeof items === 'string' ? items : JSON.stringify(items),
    ...extra,
  });
  const image = (name: string, path = ''): [string, string, string, string] => ['files', name, path, 'image/png'];

  it('accepts two images and one video with crop bounds, numbers sent as strings', async () => {
    const items = [
      { type: 'image', file_name: 'a.png', crop_bounds: { left_fraction: 0.1, top_fraction: 0.1, right_fraction: 0.9, bottom_fraction: 0.9 } },
      { type: 'image', file_name: 'b.jpg', frame_index: 6 },
      { type: 'video', file_name: 'clip.mp4' },
    ];
    const response = await createJobForm(
      await form(fields(items), [image('a.png', media.png480), ['files', 'b.jpg', media.jpg480, 'image/jpeg'], ['files', 'clip.mp4', media.clip2s, 'video/mp4']]),
    );
    expect(response.status).toBe(200);
    const job = (await response.json()) as { inpaint_items: { frame_index: number; crop_bounds?: unknown }[]; n_seconds: number };
    expect(job.n_seconds).toBe(2);
    expect(job.inpaint_items.map((i) => i.frame_index)).toEqual([0, 6, 0]);
  });

  it.each([
    ['a non-number width', { width: 'wide' }, [], 'width', /integer/],
    ['inpaint_items that are not JSON', { inpaint_items: '[{' }, [], 'inpaint_items', /array/],
    ['an unknown item type', { inpaint_items: JSON.stringify([{ type: 'audio', file_name: 'a.png' }]) }, ['a.png'], 'inpaint_items[0].type', /'image' or 'video'/],
    ['a negative frame_index', { inpaint_items: JSON.stringify([{ type: 'image', file_name: 'a.png', frame_index: -1 }]) }, ['a.png'], 'inpaint_items[0].frame_index', /0 or more/],
    [
      'a crop fraction above 1',
      { inpaint_items: JSON.stringify([{ type: 'image', file_name: 'a.png', crop_bounds: { left_fraction: 1.5 } }]) },
      ['a.png'],
      'inpaint_items[0].crop_bounds.left_fraction',
      /between 0 and 1/,
    ],
    [
      'left_fraction not below right_fraction',
      { inpaint_items: JSON.stringify([{ type: 'image', file_name: 'a.png', crop_bounds: { left_fraction: 0.6, right_fraction: 0.5 } }]) },
      ['a.png'],
      'inpaint_items[0].crop_bounds.left_fraction',
      /less than right_fraction/,
    ],
    [
      'top_fraction not below bottom_fraction',
      { inpaint_items: JSON.stringify([{ type: 'image', file_name: 'a.png', crop_bounds: { top_fraction: 0.5, bottom_fraction: 0.5 } }]) },
      ['a.png'],
      'inpaint_items[0].crop_bounds.top_fraction',
      /less than bottom_fraction/,
    ],
    ['an item naming a missing part', { inpaint_items: JSON.stringify([{ type: 'image', file_name: 'missing.png' }]) }, ['a.png'], 'inpaint_items[0].file_name', /missing.png/],
    ['a part no item names', { inpaint_items: JSON.stringify([{ type: 'image', file_name: 'a.png' }]) }, ['a.png', 'extra.png'], 'files', /extra.png.*not named/],
    ['two parts with one name', { inpaint_items: JSON.stringify([{ type: 'image', file_name: 'a.png' }]) }, ['a.png', 'a.png'], 'files', /unique/],
    [
      'three images',
      { inpaint_items: JSON.stringify(['a.png', 'b.png', 'c.png'].map((file_name) => ({ type: 'image', file_name }))) },
      ['a.png', 'b.png', 'c.png'],
      'inpaint_items',
      /at most 2 images/,
    ],
  ])('refuses %s', async (_name, overrides, parts, param, message) => {
    const data = await form(fields([], overrides), (parts as string[]).map((name) => image(name, media.png480)));
    await expectRejected(await createJobForm(data), param, message);
  });

  it('refuses two videos', async () => {
    const items = [
      { type: 'video', file_name: 'one.mp4' },
      { type: 'video', file_name: 'two.mp4' },
    ];
    const data = await form(fields(items), [
      ['files', 'one.mp4', media.clip2s, 'video/mp4'],
      ['files', 'two.mp4', media.clip2s, 'video/mp4'],
    ]);
    await expectRejected(await createJobForm(data), 'inpaint_items', /at most 1 video/);
  });

  it('refuses a video input longer than five seconds', async () => {
    const data = await form(fields([{ type: 'video', file_name: 'long.mp4' }]), [['files', 'long.mp4', media.clip7s, 'video/mp4']]);
    await expectRejected(await createJobForm(data), 'inpaint_items[0]', /7\.00 seconds long; video inputs may be at most 5 seconds/);
  });

  it('refuses an image item whose file is not an image', async () => {
    const asVideo = await form(fields([{ type: 'image', file_name: 'clip.mp4' }]), [['files', 'clip.mp4', media.clip2s, 'video/mp4']]);
    await expectRejected(await createJobForm(asVideo), 'inpaint_items[0]', /not a supported image/);
    const asText = await form(fields([{ type: 'image', file_name: 'notes.txt' }]), [['files', 'notes.txt', media.text, 'text/plain']]);
    await expectRejected(await createJobForm(asText), 'inpaint_items[0]', /JPEG, PNG or WebP/);
  });

  it('refuses file parts under another field name', async () => {
    const data = await form(fields([{ type: 'image', file_name: 'a.png' }]), [['image', 'a.png', media.png480, 'image/png']]);
    await expectRejected(await createJobForm(data), 'image', /'files' parts/);
  });
});

describe('videos API', () => {
  const createVideo = (body: Record<string, unknown>): Promise<Response> => h.json('/videos', { model: 'sora-2', prompt: 'a paper boat', ...body });

  it.each([
    ['size 1080x1080', { size: '1080x1080' }, 'size', /one of 720x1280, 1280x720/],
    ['size 1792x1024', { size: '1792x1024' }, 'size', /one of/],
    ['seconds "5"', { seconds: '5' }, 'seconds', /"4", "8", "12"/],
    ['seconds as a number', { seconds: 4 }, 'seconds', /a string/],
    ['prompt missing', { prompt: undefined }, 'prompt', /required/],
    ['model missing', { model: undefined }, 'model', /required/],
  ])('refuses %s', async (_name, body, param, message) => {
    await expectRejected(await createVideo(body), param, message);
  });

  it.each([
    ['720x1280', '4'],
    ['1280x720', '8'],
    ['720x1280', '12'],
  ])('accepts %s for %s seconds', async (size, seconds) => {
    expect(await (await createVideo({ size, seconds })).json()).toMatchObject({ size, seconds, status: 'queued' });
  });

  it('accepts an input_reference of the requested resolution and refuses other resolutions or non-images', async () => {
    const send = async (path: string, type: string, size = '720x1280'): Promise<Response> =>
      h.call('/videos', { method: 'POST', body: await form({ model: 'sora-2', prompt: 'from a picture', size, seconds: '4' }, [['input_reference', 'ref', path, type]]) });
    expect((await send(media.png720x1280, 'image/png')).status).toBe(200);
    await expectRejected(await send(media.png480, 'image/png'), 'input_reference', /input_reference is 480x480 but size is 720x1280/);
    await expectRejected(await send(media.png720x1280, 'image/png', '1280x720'), 'input_reference', /720x1280 but size is 1280x720/);
    await expectRejected(await send(media.clip2s, 'video/mp4'), 'input_reference', /JPEG, PNG or WebP/);
  });

  it('refuses a remix without a prompt', async () => {
    const video = (await (await createVideo({})).json()) as { id: string };
    await expectRejected(await h.json(`/videos/${video.id}/remix`, {}), 'prompt', /required/);
  });
});
