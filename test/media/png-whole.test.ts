/**
 * A PNG is whole only when every chunk is complete with a correct CRC and the
 * file ends right after its IEND chunk: real files from ffmpeg and hand-built
 * ones with split image data and extra chunks pass however they are cut into
 * chunks; the same files cut short anywhere, followed by more bytes, or with a
 * damaged chunk, do not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PngReader } from '../../src/media/png-reader';
import { ffmpegFiles, inspect, oneByteChunks, randomChunks, sha256, still, type Ffmpeg } from './fixtures';
import { decodeErrors, everySplit, handBuiltPng, PNG_SIGNATURE, pngChunk, read } from './whole-fixtures';

const readPng = (...chunks: Uint8Array[]) => read(() => new PngReader(), chunks);
const BEFORE_IEND = 'is a PNG that ends before its IEND chunk (truncated?)';

let ffmpeg: Ffmpeg;
let picture: Buffer;
let small: Buffer;
const handBuilt = handBuiltPng(40, 30, 3);

beforeAll(async () => {
  ffmpeg = await ffmpegFiles();
  [picture, small] = await Promise.all([ffmpeg.make('png', still(334, 188)), ffmpeg.make('png', still(32, 24))]);
});
afterAll(() => ffmpeg.close());

/** The chunk types of a PNG, in order, and where each chunk starts. */
function chunks(png: Buffer): { type: string; at: number; end: number }[] {
  const found = [];
  for (let at = 8; at < png.length; at += 12 + png.readUInt32BE(at)) found.push({ type: png.toString('latin1', at + 4, at + 8), at, end: at + 12 + png.readUInt32BE(at) });
  return found;
}

describe('whole PNGs', () => {
  it('a real PNG is whole in one piece, byte by byte and in random chunks, and passes through unchanged', async () => {
    const whole = await inspect([picture]);
    expect(whole.facts).toStrictEqual({ bytes: picture.length, signature: { kind: 'png', type: 'image', contentType: 'image/png' }, width: 334, height: 188, flaw: undefined });
    expect(whole.outputSha256).toBe(sha256(picture));
    expect((await inspect(oneByteChunks(picture))).facts).toStrictEqual(whole.facts);
    for (const seed of [1, 2, 3]) expect((await inspect(randomChunks(picture, seed))).facts, `seed ${seed}`).toStrictEqual(whole.facts);
  });

  it('a hand-built PNG with its image data over three IDAT chunks, a text chunk and a private chunk decodes cleanly', async () => {
    expect(chunks(handBuilt).map((c) => c.type)).toEqual(['IHDR', 'tEXt', 'IDAT', 'IDAT', 'IDAT', 'prIv', 'IEND']);
    expect(await decodeErrors(handBuilt, 'png')).toBe('');
  });

  it.each([
    ['real', () => small, 32, 24],
    ['hand-built', () => handBuilt, 40, 30],
  ])('a %s PNG is whole however it is cut in two, and byte by byte', (_name, png, width, height) => {
    const bytes = png();
    for (const { at, chunks } of everySplit(bytes)) expect(readPng(...chunks), `split at ${at}`).toStrictEqual({ width, height, flaw: undefined });
    expect(readPng(...oneByteChunks(bytes))).toStrictEqual({ width, height, flaw: undefined });
  });
});

describe('PNGs cut short', () => {
  it('the first half of a real PNG is cut short inside its image data, its size still read', async () => {
    const { facts } = await inspect(randomChunks(picture.subarray(0, Math.floor(picture.length / 2)), 4));
    expect(facts).toMatchObject({ signature: { kind: 'png' }, width: 334, height: 188, flaw: "is a PNG that ends inside its 'IDAT' chunk (truncated?)" });
  });

  it('every prefix of a hand-built PNG is cut short, naming the chunk it ends inside once its type is read, or saying it ends before IEND', () => {
    const layout = chunks(handBuilt);
    for (let length = 1; length < handBuilt.length; length++) {
      const inside = layout.find((c) => c.at + 8 <= length && length < c.end);
      const expected = inside ? `is a PNG that ends inside its '${inside.type}' chunk (truncated?)` : BEFORE_IEND;
      expect(readPng(handBuilt.subarray(0, length)).flaw, `cut at ${length}`).toBe(expected);
    }
  });

  it('a PNG cut inside its header has no size, and says so', () => {
    expect(readPng(handBuilt.subarray(0, 20))).toStrictEqual({ problem: 'is a PNG whose header does not give its size (truncated or damaged?)', flaw: "is a PNG that ends inside its 'IHDR' chunk (truncated?)" });
  });
});

describe('PNGs with more than the image, or a damaged chunk', () => {
  // Refused on purpose, rather than guess what Sora does with them: see ParsedFacts.flaw.
  it.each([
    ['one zero byte', Buffer.from([0])],
    ['a whole second PNG', handBuiltPng(8, 8, 1)],
  ])('bytes after IEND (%s) are counted and refused', (_name, extra) => {
    const flaw = `is a PNG with ${extra.length} bytes after its IEND chunk; send the image alone`;
    expect(readPng(handBuilt, extra)).toStrictEqual({ width: 40, height: 30, flaw });
    expect(readPng(...oneByteChunks(Buffer.concat([handBuilt, extra]))).flaw).toBe(flaw);
  });

  /** The hand-built PNG with the chunk of type `type` replaced. */
  const replacing = (type: string, replacement: Buffer) => {
    const c = chunks(handBuilt).find((x) => x.type === type);
    if (!c) throw new Error(`no ${type} chunk`);
    return Buffer.concat([handBuilt.subarray(0, c.at), replacement, handBuilt.subarray(c.end)]);
  };
  const flipped = (at: number) => {
    const copy = Buffer.from(handBuilt);
    copy[at] = (copy[at] ?? 0) ^ 0x01;
    return copy;
  };
  const idat = chunks(handBuilt).find((c) => c.type === 'IDAT') ?? { at: 0, end: 0 };

  it.each([
    ['a flipped bit in image data', () => flipped(idat.at + 20), "is a damaged PNG: its 'IDAT' chunk fails its CRC check"],
    ['a flipped bit in a CRC', () => flipped(idat.end - 1), "is a damaged PNG: its 'IDAT' chunk fails its CRC check"],
    ['a chunk type that is not letters', () => replacing('prIv', pngChunk('pr1v')), 'is a damaged PNG: a chunk type is not four letters'],
    ['a length over 2^31 - 1', () => Buffer.concat([handBuilt.subarray(0, idat.at), Buffer.from([0x80, 0, 0, 0]), handBuilt.subarray(idat.at + 4)]), "is a damaged PNG: its 'IDAT' chunk declares an impossible length"],
    ['no image data', () => Buffer.concat([PNG_SIGNATURE, handBuilt.subarray(8, 8 + 25), pngChunk('IEND')]), 'is a PNG without image data (IDAT)'],
    ['a second header', () => replacing('prIv', handBuilt.subarray(8, 8 + 25)), 'is a damaged PNG: its header (IHDR) is not one 13-byte chunk'],
  ])('%s is named as the flaw', (_name, png, flaw) => {
    expect(readPng(png())).toStrictEqual({ width: 40, height: 30, flaw });
  });

  it('a PNG whose first chunk is not its header has no size, and says why', () => {
    const flaw = 'is a damaged PNG: its first chunk is not its header (IHDR)';
    const textFirst = Buffer.concat([PNG_SIGNATURE, pngChunk('tEXt', Buffer.from('a\0b')), handBuilt.subarray(8)]);
    expect(readPng(textFirst)).toStrictEqual({ problem: 'is a PNG whose header does not give its size (truncated or damaged?)', flaw });
  });

  it('reads the header after an Apple CgBI chunk, as image-size does', () => {
    const cgbi = Buffer.concat([PNG_SIGNATURE, pngChunk('CgBI', Buffer.from([0x50, 0x00, 0x20, 0x06])), handBuilt.subarray(8)]);
    expect(readPng(cgbi)).toStrictEqual({ width: 40, height: 30, flaw: undefined });
  });
});
