/**
 * Image + text and video + text requests through the whole pipeline, as a
 * multipart form in Sora's own shape and as JSON naming blobs already in the
 * inputs container; every bad-media case refused with a 400 naming the part
 * and nothing left behind.
 */
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaFixtures, type MediaFixtures } from './media-fixtures';
import { startPipeline, type Pipeline } from './support';

let p: Pipeline;
let media: MediaFixtures;
let inputs: ContainerClient;
let jpeg: Buffer;
let clip: Buffer;

beforeAll(async () => {
  [p, media] = await Promise.all([startPipeline({ settings: { INPUT_MAX_IMAGE_MIB: '0.5' } }), mediaFixtures()]);
  inputs = BlobServiceClient.fromConnectionString(p.stack.settings.VideoStorage ?? '').getContainerClient('video-inputs');
  await inputs.createIfNotExists();
  [jpeg, clip] = await Promise.all([media.image(320, 240), media.video(3)]);
});
afterAll(async () => {
  await Promise.all([p.close(), media.close()]);
});

interface Part {
  name: string;
  data: Buffer;
  type?: string;
}

function form(fields: Record<string, unknown>, files: Part[]): FormData {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.append(key, typeof value === 'string' ? value : JSON.stringify(value));
  for (const file of files) body.append('files', new Blob([file.data], { type: file.type ?? 'application/octet-stream' }), file.name);
  return body;
}

async function postForm(body: FormData): Promise<Response> {
  return fetch(`${p.baseUrl}/api/videos`, { method: 'POST', body });
}

async function inputBlobs(): Promise<string[]> {
  const names: string[] = [];
  for await (const blob of inputs.listBlobsFlat()) names.push(blob.name);
  return names;
}

/** The job as Sora (the emulator) recorded it, to see exactly what reached it. */
async function soraJob(jobId: string): Promise<{ inpaint_items?: unknown[] }> {
  const emulator = p.stack.emulator;
  if (!emulator) throw new Error('no emulator');
  const response = await fetch(`${emulator.endpoint}/openai/v1/video/generations/jobs/${jobId}?api-version=preview`, { headers: { 'api-key': emulator.apiKey } });
  return (await response.json()) as { inpaint_items?: unknown[] };
}

describe('inputs through the pipeline', () => {
  it('image + text as a multipart form: succeeds, carries frame index and crop bounds to Sora exactly, removes the upload', async () => {
    const item = { frame_index: 12, type: 'image', file_name: 'cat.jpg', crop_bounds: { left_fraction: 0.1, top_fraction: 0.2, right_fraction: 0.9, bottom_fraction: 0.8 } };
    const response = await postForm(form({ model: 'sora', prompt: 'The cat comes to life', width: '480', height: '480', n_seconds: '2', n_variants: '1', inpaint_items: [item] }, [{ name: 'cat.jpg', data: jpeg, type: 'image/jpeg' }]));
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    const view = await p.waitUntilFinished(id);
    expect(view.status).toBe('succeeded');
    expect(view.videos).toHaveLength(1);
    expect((view as unknown as { inputs: unknown[] }).inputs).toEqual([{ type: 'image', fileName: 'cat.jpg', frameIndex: 12, bytes: jpeg.length }]);
    expect((await soraJob(view.soraJobId ?? '')).inpaint_items).toEqual([item]);
    expect(await inputBlobs()).toEqual([]);
  });

  it('video + text as a multipart form: succeeds', async () => {
    const response = await postForm(
      form({ prompt: 'Extend this clip', n_seconds: '2', inpaint_items: [{ frame_index: 0, type: 'video', file_name: 'clip.mp4' }] }, [{ name: 'clip.mp4', data: clip, type: 'video/mp4' }]),
    );
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    const view = await p.waitUntilFinished(id);
    expect(view.status).toBe('succeeded');
    expect((await soraJob(view.soraJobId ?? '')).inpaint_items).toEqual([{ frame_index: 0, type: 'video', file_name: 'clip.mp4' }]);
    expect(await inputBlobs()).toEqual([]);
  });

  it('image and video referenced as blobs in the inputs container (event-driven pipelines): succeeds and leaves the caller’s blobs alone', async () => {
    await inputs.getBlockBlobClient('pipeline/still.jpg').uploadData(jpeg);
    await inputs.getBlockBlobClient('pipeline/clip.mp4').uploadData(clip);
    const { id } = await p.api.create({
      prompt: 'A still and a clip',
      n_seconds: 2,
      inpaint_items: [
        { frame_index: 0, type: 'video', blob: 'pipeline/clip.mp4' },
        { frame_index: 20, type: 'image', blob: 'pipeline/still.jpg' },
      ],
    });
    const view = await p.waitUntilFinished(id);
    expect(view.status).toBe('succeeded');
    expect((await soraJob(view.soraJobId ?? '')).inpaint_items).toEqual([
      { frame_index: 0, type: 'video', file_name: 'clip.mp4' },
      { frame_index: 20, type: 'image', file_name: 'still.jpg' },
    ]);
    expect((await inputBlobs()).sort()).toEqual(['pipeline/clip.mp4', 'pipeline/still.jpg']);
    await Promise.all([inputs.deleteBlob('pipeline/still.jpg'), inputs.deleteBlob('pipeline/clip.mp4')]);
  });
});

describe('a client id in a form', () => {
  const items = [{ frame_index: 0, type: 'image', file_name: 'cat.jpg' }];
  const send = (fields: Record<string, unknown>) => postForm(form({ n_seconds: '1', inpaint_items: items, ...fields }, [{ name: 'cat.jpg', data: jpeg }]));

  it('names the request and its upload folder; the same form again is that request (200), another prompt a 409, neither storing anything', async () => {
    // A prompt the emulator's moderation blocks: the request ends without rendering a video.
    const first = await send({ id: 'form-order-1', prompt: 'A forbidden cat' });
    expect(first.status).toBe(202);
    expect(first.headers.get('location')).toBe('/api/videos/form-order-1');
    const started = await p.stack.host.client.getStatus('form-order-1', { showInput: true });
    expect((started.input as { spec: { inputs: { blobName: string }[] } }).spec.inputs.map((i) => i.blobName)).toEqual(['form-order-1/cat.jpg']);
    await p.waitUntilFinished('form-order-1');
    expect(await inputBlobs()).toEqual([]);

    const again = await send({ id: 'form-order-1', prompt: 'A forbidden cat' });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: 'form-order-1', status: 'failed', inputs: [{ type: 'image', fileName: 'cat.jpg', frameIndex: 0, bytes: jpeg.length }] });
    const clash = await send({ id: 'form-order-1', prompt: 'A forbidden dog' });
    expect(clash.status).toBe(409);
    expect(await inputBlobs()).toEqual([]);
  });

  it('refuses an id that comes after the file parts (the files would already be stored under another): 400, nothing stored or started', async () => {
    const before = (await p.stack.host.client.getStatusAll()).length;
    const body = form({ prompt: 'x', n_seconds: '1', inpaint_items: items }, [{ name: 'cat.jpg', data: jpeg }]);
    body.append('id', 'too-late');
    const response = await postForm(body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { invalidFields: string[] }).invalidFields).toEqual(['id']);
    expect(await inputBlobs()).toEqual([]);
    expect((await p.stack.host.client.getStatusAll()).length).toBe(before);
  });
});

describe('bad media', () => {
  const image = (file_name: string, frame_index = 0) => ({ frame_index, type: 'image', file_name });
  const video = (file_name: string) => ({ frame_index: 0, type: 'video', file_name });
  interface Case {
    items: unknown[];
    files: Part[];
  }

  const cases: [string, () => Case | Promise<Case>, string[]][] = [
    ['a text file named .jpg (wrong signature)', () => ({ items: [image('cat.jpg')], files: [{ name: 'cat.jpg', data: Buffer.from('not really a picture'), type: 'image/jpeg' }] }), ['files[cat.jpg]']],
    ['an image over the size limit', () => ({ items: [image('big.jpg')], files: [{ name: 'big.jpg', data: Buffer.concat([jpeg, Buffer.alloc(600 * 1024)]) }] }), ['files[big.jpg]']],
    ['three images', () => ({ items: [image('a.jpg'), image('b.jpg', 1), image('c.jpg', 2)], files: ['a.jpg', 'b.jpg', 'c.jpg'].map((name) => ({ name, data: jpeg })) }), ['inpaint_items']],
    ['two videos', () => ({ items: [video('a.mp4'), video('b.mp4')], files: ['a.mp4', 'b.mp4'].map((name) => ({ name, data: clip })) }), ['inpaint_items']],
    ['a video longer than 5 s', async () => ({ items: [video('long.mp4')], files: [{ name: 'long.mp4', data: await media.video(6) }] }), ['files[long.mp4]']],
    ['a video sent as an image item', () => ({ items: [image('clip.mp4')], files: [{ name: 'clip.mp4', data: clip }] }), ['files[clip.mp4]']],
    ['a file part no inpaint item names', () => ({ items: [image('cat.jpg')], files: [{ name: 'cat.jpg', data: jpeg }, { name: 'stray.jpg', data: jpeg }] }), ['files']],
    ['an inpaint item with no file part', () => ({ items: [image('cat.jpg'), image('missing.jpg', 3)], files: [{ name: 'cat.jpg', data: jpeg }] }), ['inpaint_items[1].file_name']],
    ['a file name that climbs out of its folder', () => ({ items: [image('../evil.jpg')], files: [{ name: '../evil.jpg', data: jpeg }] }), ['files[../evil.jpg]', 'inpaint_items[0].file_name']],
  ];

  it.each(cases)('%s: 400 naming the part, nothing started, nothing stored', async (_name, build, fields) => {
    const { items, files } = await build();
    const before = (await p.stack.host.client.getStatusAll()).length;
    const response = await postForm(form({ prompt: 'x', n_seconds: '1', inpaint_items: items }, files));
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await response.json()) as { invalidFields: string[] };
    expect(problem.invalidFields.sort()).toEqual([...fields].sort());
    expect(await inputBlobs()).toEqual([]);
    expect((await p.stack.host.client.getStatusAll()).length).toBe(before);
  });

  it('a JSON blob reference to something that is not there, or outside the folder: 400 naming it', async () => {
    const missing = await p.post({ prompt: 'x', inpaint_items: [{ frame_index: 0, type: 'image', blob: 'nowhere/none.jpg' }] });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { invalidFields: string[] }).invalidFields).toEqual(['inpaint_items[0].blob']);
    const escape = await p.post({ prompt: 'x', inpaint_items: [{ frame_index: 0, type: 'image', blob: '../videos/x.jpg' }] });
    expect(escape.status).toBe(400);
    expect(((await escape.json()) as { invalidFields: string[] }).invalidFields).toEqual(['inpaint_items[0].blob']);
  });
});
