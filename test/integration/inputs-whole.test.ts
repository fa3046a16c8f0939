/**
 * Media must be whole to reach Sora. Through the public API, on both intake
 * paths (a multipart upload, and JSON naming a blob already in the inputs
 * container), a JPEG, PNG, WebP or MP4 cut short — the first half of a real
 * file, what a broken upload leaves — or carrying bytes past its end is
 * refused with a 400 naming the part and saying what is missing; nothing is
 * started and no upload stays in storage. Whole PNG and WebP images go all the
 * way through, and the emulator refuses cut files as the app does.
 */
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clip, ffmpegFiles, still, type Ffmpeg } from '../media/fixtures';
import { startPipeline, type Pipeline } from './support';

let p: Pipeline;
let ffmpeg: Ffmpeg;
let inputs: ContainerClient;
const files: Record<'jpeg' | 'png' | 'webp' | 'mp4', Buffer> = { jpeg: Buffer.alloc(0), png: Buffer.alloc(0), webp: Buffer.alloc(0), mp4: Buffer.alloc(0) };

beforeAll(async () => {
  [p, ffmpeg] = await Promise.all([startPipeline(), ffmpegFiles()]);
  inputs = BlobServiceClient.fromConnectionString(p.stack.settings.VideoStorage ?? '').getContainerClient('video-inputs');
  await inputs.createIfNotExists();
  [files.jpeg, files.png, files.webp, files.mp4] = await Promise.all([
    ffmpeg.make('jpg', still(320, 240)),
    ffmpeg.make('png', still(320, 240)),
    ffmpeg.make('webp', still(320, 240, '-c:v', 'libwebp')),
    ffmpeg.make('mp4', clip(2, '-movflags', '+faststart')),
  ]);
});
afterAll(async () => {
  await Promise.all([p.close(), ffmpeg.close()]);
});

const half = (file: Buffer) => file.subarray(0, Math.floor(file.length / 2));

/** A file cut to its first half, as an upload would carry it, and what the API must say about it. */
const cutShort = () =>
  [
    ['a JPEG', 'half.jpg', 'image', half(files.jpeg), 'is a JPEG that ends before its end-of-image marker (truncated?)'],
    ['a PNG', 'half.png', 'image', half(files.png), "is a PNG that ends inside its 'IDAT' chunk (truncated?)"],
    ['a WebP', 'half.webp', 'image', half(files.webp), `is a WebP that ends before its declared end: ${half(files.webp).length} of ${files.webp.length} bytes (truncated?)`],
    ['an MP4', 'half.mp4', 'video', half(files.mp4), "is an MP4 that ends inside its 'mdat' box (truncated?)"],
  ] as const;

function form(fields: Record<string, string>, parts: { name: string; data: Buffer }[]): FormData {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.append(key, value);
  for (const part of parts) body.append('files', new Blob([part.data]), part.name);
  return body;
}

async function inputBlobs(): Promise<string[]> {
  const names: string[] = [];
  for await (const blob of inputs.listBlobsFlat()) names.push(blob.name);
  return names.sort();
}

interface Problem {
  invalidFields: string[];
  errors: { field: string; message: string }[];
}

async function expectRefused(response: Response, field: string, message: string): Promise<void> {
  expect(response.status).toBe(400);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  const problem = (await response.json()) as Problem;
  expect(problem.invalidFields).toEqual([field]);
  expect(problem.errors).toEqual([{ field, message }]);
}

describe('media cut short or carrying more than the file', () => {
  it('each kind cut to its first half, uploaded: 400 naming the part and what is missing, nothing started, nothing stored', async () => {
    for (const [kind, name, type, data, message] of cutShort()) {
      const before = (await p.stack.host.client.getStatusAll()).length;
      const items = JSON.stringify([{ frame_index: 0, type, file_name: name }]);
      const response = await fetch(`${p.baseUrl}/api/videos`, { method: 'POST', body: form({ prompt: 'x', n_seconds: '1', inpaint_items: items }, [{ name, data }]) });
      await expectRefused(response, `files[${name}]`, message);
      expect(await inputBlobs(), kind).toEqual([]);
      expect((await p.stack.host.client.getStatusAll()).length, kind).toBe(before);
    }
  });

  it('each kind cut to its first half, referenced as a blob: 400 naming the reference, nothing started, the caller’s blob left alone', async () => {
    for (const [kind, name, type, data, message] of cutShort()) {
      const blob = `incoming/${name}`;
      await inputs.getBlockBlobClient(blob).uploadData(data);
      const before = (await p.stack.host.client.getStatusAll()).length;
      await expectRefused(await p.post({ prompt: 'x', n_seconds: 1, inpaint_items: [{ frame_index: 0, type, blob }] }), 'inpaint_items[0].blob', message);
      expect((await p.stack.host.client.getStatusAll()).length, kind).toBe(before);
      expect(await inputBlobs(), kind).toEqual([blob]);
      await inputs.deleteBlob(blob);
    }
  });

  it('a JPEG with bytes after its end-of-image marker: 400 saying how many, nothing stored', async () => {
    const items = JSON.stringify([{ frame_index: 0, type: 'image', file_name: 'extra.jpg' }]);
    const data = Buffer.concat([files.jpeg, Buffer.from('appended')]);
    const response = await fetch(`${p.baseUrl}/api/videos`, { method: 'POST', body: form({ prompt: 'x', n_seconds: '1', inpaint_items: items }, [{ name: 'extra.jpg', data }]) });
    await expectRefused(response, 'files[extra.jpg]', 'is a JPEG with 8 bytes after its end-of-image marker; send the image alone');
    expect(await inputBlobs()).toEqual([]);
  });
});

describe('whole media', () => {
  it('a whole PNG and a whole WebP uploaded together go all the way through', async () => {
    const items = JSON.stringify([
      { frame_index: 0, type: 'image', file_name: 'a.png' },
      { frame_index: 10, type: 'image', file_name: 'b.webp' },
    ]);
    const response = await fetch(`${p.baseUrl}/api/videos`, {
      method: 'POST',
      body: form({ prompt: 'Two stills come to life', n_seconds: '1', inpaint_items: items }, [{ name: 'a.png', data: files.png }, { name: 'b.webp', data: files.webp }]),
    });
    expect(response.status).toBe(202);
    const view = await p.waitUntilFinished(((await response.json()) as { id: string }).id);
    expect(view.status).toBe('succeeded');
    expect((view as unknown as { inputs: unknown[] }).inputs).toEqual([
      { type: 'image', fileName: 'a.png', frameIndex: 0, bytes: files.png.length },
      { type: 'image', fileName: 'b.webp', frameIndex: 10, bytes: files.webp.length },
    ]);
  });
});

describe('the emulator, called directly, refuses what the app refuses', () => {
  it.each([
    ['a JPEG cut short', 'half.jpg', 'image', () => half(files.jpeg), 'invalid_image', "File 'half.jpg' is a JPEG that ends before its end-of-image marker (truncated?)."],
    ['an MP4 with its index first, cut short', 'half.mp4', 'video', () => half(files.mp4), 'invalid_video', "File 'half.mp4' is an MP4 that ends inside its 'mdat' box (truncated?)."],
  ])('%s: 400 with the same reason', async (_name, fileName, type, data, code, message) => {
    const emulator = p.stack.emulator;
    if (!emulator) throw new Error('no emulator');
    const body = form(
      { model: emulator.deployments.jobs, prompt: 'x', width: '480', height: '480', n_seconds: '1', inpaint_items: JSON.stringify([{ frame_index: 0, type, file_name: fileName }]) },
      [{ name: fileName, data: data() }],
    );
    const response = await fetch(`${emulator.endpoint}/openai/v1/video/generations/jobs?api-version=preview`, { method: 'POST', headers: { 'api-key': emulator.apiKey }, body });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: unknown }).error).toMatchObject({ code, param: 'inpaint_items[0]', message });
  });
});
