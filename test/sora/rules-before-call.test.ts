/**
 * Requests our rules reject never reach the network: the fetch given to the
 * client counts calls, and every case below must leave it at zero.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createVideoService, type SoraInputFile, type SoraVideoRequest } from '../../src/sora';
import { rejection } from './support';

function countingFetch() {
  const calls: string[] = [];
  const fetch: typeof globalThis.fetch = (input) => {
    calls.push(String(input instanceof Request ? input.url : input));
    return Promise.reject(new Error('no request may be sent'));
  };
  return { calls, fetch };
}

function file(fileName: string, contentType = 'image/png'): SoraInputFile {
  return { fileName, contentType, open: () => Readable.from([Buffer.from('x')]), size: 1 };
}

const base: SoraVideoRequest = { prompt: 'a cat', width: 480, height: 480, nSeconds: 5, nVariants: 1 };

describe('jobs API rules are checked before any call', () => {
  const cases: [string, SoraVideoRequest, string][] = [
    ['empty prompt', { ...base, prompt: '  ' }, 'prompt'],
    ['unsupported size', { ...base, width: 500, height: 500 }, 'width'],
    ['too many variants for 1080p', { ...base, width: 1920, height: 1080, nVariants: 2 }, 'n_variants'],
    ['too long', { ...base, nSeconds: 21 }, 'n_seconds'],
    ['fractional seconds', { ...base, nSeconds: 2.5 }, 'n_seconds'],
    [
      'three images',
      {
        ...base,
        inpaintItems: ['a', 'b', 'c'].map((n) => ({ type: 'image' as const, fileName: `${n}.png`, frameIndex: 0 })),
        files: ['a', 'b', 'c'].map((n) => file(`${n}.png`)),
      },
      'inpaint_items',
    ],
    ['item without its file', { ...base, inpaintItems: [{ type: 'image', fileName: 'a.png', frameIndex: 0 }], files: [] }, 'inpaint_items[0].file_name'],
    ['file without an item', { ...base, files: [file('stray.png')] }, 'files'],
    [
      'crop bounds out of range',
      {
        ...base,
        inpaintItems: [
          { type: 'image', fileName: 'a.png', frameIndex: 0, cropBounds: { left_fraction: 0, top_fraction: 0, right_fraction: 1.5, bottom_fraction: 1 } },
        ],
        files: [file('a.png')],
      },
      'inpaint_items[0].crop_bounds.right_fraction',
    ],
    ['remix', { ...base, remixOf: 'video_1' }, 'remix_of'],
  ];

  it.each(cases)('%s', async (_name, request, field) => {
    const counter = countingFetch();
    const sora = createVideoService({ api: 'jobs', endpoint: 'http://sora.invalid', deployment: 'sora', apiKey: 'k', fetch: counter.fetch });
    const error = await rejection(sora.submit(request));
    expect(error).toMatchObject({ status: 400, code: 'invalid_request', retryable: false });
    expect(error.violations?.map((v) => v.field)).toContain(field);
    expect(error.message).toContain(field);
    expect(counter.calls).toEqual([]);
  });
});

describe('videos API rules are checked before any call', () => {
  const ok: SoraVideoRequest = { prompt: 'a cat', width: 720, height: 1280, nSeconds: 4, nVariants: 1 };
  const cases: [string, SoraVideoRequest, string][] = [
    ['empty prompt', { ...ok, prompt: '' }, 'prompt'],
    ['a jobs-only size', { ...ok, width: 480, height: 480 }, 'size'],
    ['unsupported length', { ...ok, nSeconds: 5 }, 'seconds'],
    ['more than one variant', { ...ok, nVariants: 2 }, 'n_variants'],
    ['inpaint items', { ...ok, inpaintItems: [{ type: 'image', fileName: 'a.png', frameIndex: 0 }], files: [file('a.png')] }, 'inpaint_items'],
    ['two references', { ...ok, files: [file('a.png'), file('b.png')] }, 'input_reference'],
    ['a video as reference', { ...ok, files: [file('a.mp4', 'video/mp4')] }, 'input_reference'],
    ['remix with an empty prompt', { ...ok, prompt: ' ', remixOf: 'video_1' }, 'prompt'],
    ['remix with media', { ...ok, remixOf: 'video_1', files: [file('a.png')] }, 'input_reference'],
  ];

  it.each(cases)('%s', async (_name, request, field) => {
    const counter = countingFetch();
    const sora = createVideoService({ api: 'videos', endpoint: 'http://sora.invalid', deployment: 'sora-2', apiKey: 'k', fetch: counter.fetch });
    const error = await rejection(sora.submit(request));
    expect(error).toMatchObject({ status: 400, code: 'invalid_request', retryable: false });
    expect(error.violations?.map((v) => v.field)).toContain(field);
    expect(counter.calls).toEqual([]);
  });
});

describe('a valid request does reach the network', () => {
  it('calls fetch once (so the cases above could fail)', async () => {
    const counter = countingFetch();
    const sora = createVideoService({ api: 'jobs', endpoint: 'http://sora.invalid', deployment: 'sora', apiKey: 'k', fetch: counter.fetch });
    const error = await rejection(sora.submit(base));
    expect(error).toMatchObject({ code: 'network_error', status: undefined, retryable: true });
    expect(counter.calls).toEqual(['http://sora.invalid/openai/v1/video/generations/jobs?api-version=preview']);
  });
});
