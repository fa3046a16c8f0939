/**
 * Images made by a real encoder (ffmpeg) stream through the inspector in chunks
 * of every awkward size; their kind and pixel size come out right and every byte
 * passes through unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fourCC } from '../../src/media/four-cc';
import { ffmpegFiles, inspect, oneByteChunks, randomChunks, sha256, still, type Ffmpeg } from './fixtures';

let ffmpeg: Ffmpeg;
const images: Record<string, Buffer> = {};

beforeAll(async () => {
  ffmpeg = await ffmpegFiles();
  [images.jpeg, images.png, images.webpLossy, images.webpLossless, images.webpExtended] = await Promise.all([
    ffmpeg.make('jpg', still(322, 244)),
    ffmpeg.make('png', still(334, 188)),
    ffmpeg.make('webp', still(250, 140, '-c:v', 'libwebp')),
    ffmpeg.make('webp', still(252, 142, '-c:v', 'libwebp', '-lossless', '1')),
    // testsrc2 makes even sizes only. A translucent image makes libwebp write the extended (VP8X) header with an alpha chunk.
    ffmpeg.make('webp', still(254, 144, '-vf', 'format=yuva420p,colorchannelmixer=aa=0.5', '-c:v', 'libwebp')),
  ]);
});
afterAll(() => ffmpeg.close());

const cases = [
  ['jpeg', 'jpeg', 322, 244],
  ['png', 'png', 334, 188],
  ['webpLossy', 'webp', 250, 140],
  ['webpLossless', 'webp', 252, 142],
  ['webpExtended', 'webp', 254, 144],
] as const;

describe('inspecting images', () => {
  it('made the WebP variants it claims (VP8, VP8L, VP8X)', () => {
    expect([images.webpLossy, images.webpLossless, images.webpExtended].map((b) => b && fourCC(b, 12))).toEqual(['VP8 ', 'VP8L', 'VP8X']);
  });

  it.each(cases)('reads a %s image whole, byte by byte and in random chunks', async (name, kind, width, height) => {
    const file = images[name] ?? Buffer.alloc(0);
    const whole = await inspect([file]);
    expect(whole.facts).toEqual({ bytes: file.length, signature: expect.objectContaining({ kind, type: 'image' }) as unknown, width, height });
    expect(whole.outputSha256).toBe(sha256(file));

    expect((await inspect(oneByteChunks(file))).facts).toEqual(whole.facts);
    for (const seed of [1, 2, 3, 4, 5]) {
      const chunked = await inspect(randomChunks(file, seed));
      expect(chunked.facts, `seed ${seed}`).toEqual(whole.facts);
      expect(chunked.outputSha256).toBe(whole.outputSha256);
    }
  });

  it('finds a JPEG frame header behind 1.5 MB of metadata segments, holding none of them', async () => {
    const jpeg = images.jpeg ?? Buffer.alloc(0);
    // 24 full-size APP1 segments (the most a segment can hold), like a phone's EXIF and extended XMP.
    const app1 = Buffer.alloc(2 + 65535, 0x41);
    app1.writeUInt16BE(0xffe1, 0);
    app1.writeUInt16BE(65535, 2);
    const padded = Buffer.concat([jpeg.subarray(0, 2), ...Array.from({ length: 24 }, () => app1), jpeg.subarray(2)]);
    expect(padded.length).toBeGreaterThan(1_500_000);
    const { facts } = await inspect(randomChunks(padded, 7));
    expect(facts).toMatchObject({ bytes: padded.length, width: 322, height: 244 });
  });

  it('tells a damaged JPEG from a whole one', async () => {
    const jpeg = images.jpeg ?? Buffer.alloc(0);
    const sofAt = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    expect(sofAt).toBeGreaterThan(2);
    // Cut before the frame header: kind known, size not.
    const cut = await inspect([jpeg.subarray(0, sofAt + 5)]);
    expect(cut.facts).toMatchObject({ signature: { kind: 'jpeg' }, problem: expect.stringContaining('ended before its frame header') as unknown });
    expect(cut.facts.width).toBeUndefined();
    // Image data (SOS) before any frame header.
    const sos = Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02, 0x00]);
    expect((await inspect([sos])).facts.problem).toContain('without a frame header');
    // Garbage where the next marker should be.
    const garbage = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0x12, 0x34]);
    expect((await inspect([garbage])).facts.problem).toContain('a marker was expected');
  });

  it.each([
    ['png', 20],
    ['webpLossy', 27],
    ['webpLossless', 22],
    ['webpExtended', 28],
  ] as const)('reports a %s cut at %i bytes, inside its header, as of unknown size', async (name, length) => {
    const { facts } = await inspect([(images[name] ?? Buffer.alloc(0)).subarray(0, length)]);
    expect(facts.signature?.type).toBe('image');
    expect(facts.width).toBeUndefined();
    expect(facts.height).toBeUndefined();
    expect(facts.problem).toContain('does not give its size');
  });

  it('reports a text file named .jpg as no known kind', async () => {
    const text = Buffer.from('This is not a photo, whatever its name says.\n'.repeat(20));
    const { facts } = await inspect(randomChunks(text, 3));
    expect(facts).toEqual({ bytes: text.length });
  });

  it('reports an empty file and a file of a few bytes without throwing', async () => {
    expect((await inspect([])).facts).toEqual({ bytes: 0 });
    const { facts } = await inspect([Buffer.from([0xff, 0xd8, 0xff])]);
    expect(facts).toMatchObject({ bytes: 3, signature: { kind: 'jpeg' } });
    expect(facts.width).toBeUndefined();
  });
});
