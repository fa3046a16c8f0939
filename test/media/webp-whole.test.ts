/**
 * A WebP is one RIFF chunk: whole only when the file is exactly as long as its
 * RIFF header declares. Real lossy, lossless and extended WebPs from ffmpeg
 * pass however they are cut into chunks; cut short or followed by more bytes,
 * they do not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebpReader } from '../../src/media/webp-reader';
import { ffmpegFiles, inspect, oneByteChunks, randomChunks, sha256, still, type Ffmpeg } from './fixtures';
import { everySplit, read } from './whole-fixtures';

const readWebp = (...chunks: Uint8Array[]) => read(() => new WebpReader(), chunks);

let ffmpeg: Ffmpeg;
const webp: Record<'lossy' | 'lossless' | 'extended' | 'small', Buffer> = { lossy: Buffer.alloc(0), lossless: Buffer.alloc(0), extended: Buffer.alloc(0), small: Buffer.alloc(0) };

beforeAll(async () => {
  ffmpeg = await ffmpegFiles();
  [webp.lossy, webp.lossless, webp.extended, webp.small] = await Promise.all([
    ffmpeg.make('webp', still(250, 140, '-c:v', 'libwebp')),
    ffmpeg.make('webp', still(252, 142, '-c:v', 'libwebp', '-lossless', '1')),
    // A translucent image makes libwebp write the extended (VP8X) header with an alpha chunk.
    ffmpeg.make('webp', still(254, 144, '-vf', 'format=yuva420p,colorchannelmixer=aa=0.5', '-c:v', 'libwebp')),
    ffmpeg.make('webp', still(32, 24, '-c:v', 'libwebp')),
  ]);
});
afterAll(() => ffmpeg.close());

const riffEnd = (file: Buffer) => 8 + file.readUInt32LE(4);

describe('whole WebPs', () => {
  it.each([
    ['lossy', 250, 140],
    ['lossless', 252, 142],
    ['extended', 254, 144],
  ] as const)('a real %s WebP is exactly its declared size, whole in one piece, byte by byte and in random chunks', async (name, width, height) => {
    const file = webp[name];
    expect(riffEnd(file)).toBe(file.length);
    const whole = await inspect([file]);
    expect(whole.facts).toStrictEqual({ bytes: file.length, signature: { kind: 'webp', type: 'image', contentType: 'image/webp' }, width, height, flaw: undefined });
    expect(whole.outputSha256).toBe(sha256(file));
    expect((await inspect(oneByteChunks(file))).facts).toStrictEqual(whole.facts);
    for (const seed of [1, 2, 3]) expect((await inspect(randomChunks(file, seed))).facts, `seed ${seed}`).toStrictEqual(whole.facts);
  });

  it('a small real WebP is whole however it is cut in two', () => {
    for (const { at, chunks } of everySplit(webp.small)) expect(readWebp(...chunks), `split at ${at}`).toStrictEqual({ width: 32, height: 24, flaw: undefined });
  });
});

describe('WebPs not of their declared size', () => {
  it('the first half of a real WebP is cut short, saying how much arrived', async () => {
    const half = webp.lossy.subarray(0, Math.floor(webp.lossy.length / 2));
    const { facts } = await inspect(randomChunks(half, 4));
    expect(facts).toMatchObject({ width: 250, height: 140, flaw: `is a WebP that ends before its declared end: ${half.length} of ${webp.lossy.length} bytes (truncated?)` });
  });

  it('every prefix of a small WebP is cut short', () => {
    const { small } = webp;
    for (let length = 8; length < small.length; length++) {
      expect(readWebp(small.subarray(0, length)).flaw, `cut at ${length}`).toBe(`is a WebP that ends before its declared end: ${length} of ${small.length} bytes (truncated?)`);
    }
    for (let length = 1; length < 8; length++) expect(readWebp(small.subarray(0, length)).flaw, `cut at ${length}`).toBe('is a WebP that ends inside its RIFF header (truncated?)');
  });

  it('a WebP cut inside its header has no size, and says so', () => {
    expect(readWebp(webp.lossless.subarray(0, 22))).toStrictEqual({
      problem: 'is a WebP whose header does not give its size (truncated or damaged?)',
      flaw: `is a WebP that ends before its declared end: 22 of ${webp.lossless.length} bytes (truncated?)`,
    });
  });

  // Refused on purpose, rather than guess what Sora does with them: see ParsedFacts.flaw.
  it.each([1, 2, 4096])('%i bytes after the declared end are counted and refused, however they arrive', (extra) => {
    const padded = Buffer.concat([webp.extended, Buffer.alloc(extra, 0x20)]);
    const flaw = `is a WebP with ${extra} bytes after its declared end (RIFF size); send the image alone`;
    expect(readWebp(padded)).toStrictEqual({ width: 254, height: 144, flaw });
    expect(readWebp(...oneByteChunks(padded)).flaw).toBe(flaw);
  });
});
