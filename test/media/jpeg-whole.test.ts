/**
 * A JPEG is whole only when it reaches its end-of-image marker (EOI) and ends
 * there: real files from ffmpeg and hand-built ones with restart markers,
 * stuffed and fill bytes and several scans pass however they are cut into
 * chunks; the same files cut short anywhere, or followed by more bytes, do not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JpegReader } from '../../src/media/jpeg-reader';
import { ffmpegFiles, inspect, oneByteChunks, randomChunks, sha256, still, type Ffmpeg } from './fixtures';
import { decodeErrors, everySplit, handBuiltJpeg, offsetsOf, read } from './whole-fixtures';

const CUT_SHORT = 'is a JPEG that ends before its end-of-image marker (truncated?)';
const readJpeg = (...chunks: Uint8Array[]) => read(() => new JpegReader(), chunks);

let ffmpeg: Ffmpeg;
let photo: Buffer;
let small: Buffer;

beforeAll(async () => {
  ffmpeg = await ffmpegFiles();
  [photo, small] = await Promise.all([ffmpeg.make('jpg', still(322, 244)), ffmpeg.make('jpg', still(32, 24))]);
});
afterAll(() => ffmpeg.close());

/** SOI, quantisation and Huffman tables, a 16x8 frame header and a start of scan, as a real encoder writes them, without entropy data. */
const headers = () => {
  const sos = photo.indexOf(Buffer.from([0xff, 0xda]));
  const sofAt = photo.indexOf(Buffer.from([0xff, 0xc0]));
  const head = Buffer.from(photo.subarray(0, sos + 2 + photo.readUInt16BE(sos + 2)));
  head.writeUInt16BE(8, sofAt + 5);
  head.writeUInt16BE(16, sofAt + 7);
  return head;
};

describe('whole JPEGs', () => {
  it('a real JPEG is whole in one piece, byte by byte and in random chunks, and passes through unchanged', async () => {
    const whole = await inspect([photo]);
    expect(whole.facts).toStrictEqual({ bytes: photo.length, signature: { kind: 'jpeg', type: 'image', contentType: 'image/jpeg' }, width: 322, height: 244, flaw: undefined });
    expect(whole.outputSha256).toBe(sha256(photo));
    expect((await inspect(oneByteChunks(photo))).facts).toStrictEqual(whole.facts);
    for (const seed of [1, 2, 3]) expect((await inspect(randomChunks(photo, seed))).facts, `seed ${seed}`).toStrictEqual(whole.facts);
  });

  it('a real JPEG is whole however it is cut in two, stuffed bytes and its EOI split included', () => {
    // A real encoder's entropy data holds 0xFF bytes, each stuffed with a 0x00.
    expect(offsetsOf(small, [0xff, 0x00]).length).toBeGreaterThan(0);
    for (const { at, chunks } of everySplit(small)) expect(readJpeg(...chunks), `split at ${at}`).toStrictEqual({ width: 32, height: 24, flaw: undefined });
  });

  it.each([
    ['grey, one scan', { components: 1, blocksWide: 8, blocksHigh: 2, restartInterval: 4 }, 3],
    ['colour, three scans with a comment between, fill bytes before each restart marker', { components: 3, blocksWide: 8, blocksHigh: 2, restartInterval: 4, fillBeforeRestart: 2 }, 9],
  ] as const)('a hand-built JPEG with restart markers and stuffed bytes (%s) decodes cleanly and is whole at every split', async (_name, spec, restarts) => {
    const jpeg = handBuiltJpeg(spec);
    expect(await decodeErrors(jpeg, 'jpg')).toBe('');
    const rst = [0xd0, 0xd1, 0xd2].flatMap((code) => offsetsOf(jpeg, [0xff, code]));
    expect(rst).toHaveLength(restarts);
    expect(offsetsOf(jpeg, [0xff, 0x00])).toHaveLength(restarts + spec.components);
    expect(offsetsOf(jpeg, [0xff, 0xda])).toHaveLength(spec.components);
    for (const { at, chunks } of everySplit(jpeg)) expect(readJpeg(...chunks), `split at ${at}`).toStrictEqual({ width: 64, height: 16, flaw: undefined });
    expect(readJpeg(...oneByteChunks(jpeg))).toStrictEqual({ width: 64, height: 16, flaw: undefined });
  });

  it('fill bytes (0xFF) before the end-of-image marker still end the image', async () => {
    const jpeg = handBuiltJpeg({ components: 1, blocksWide: 2, blocksHigh: 1, restartInterval: 1 });
    const filled = Buffer.concat([jpeg.subarray(0, -2), Buffer.from([0xff, 0xff, 0xd9])]);
    expect(await decodeErrors(filled, 'jpg')).toBe('');
    for (const { at, chunks } of everySplit(filled)) expect(readJpeg(...chunks), `split at ${at}`).toStrictEqual({ width: 16, height: 8, flaw: undefined });
  });
});

describe('JPEGs cut short', () => {
  it('the first half of a real JPEG (what a broken upload leaves) is cut short, its size still read', async () => {
    const { facts } = await inspect(randomChunks(photo.subarray(0, Math.floor(photo.length / 2)), 4));
    expect(facts).toMatchObject({ signature: { kind: 'jpeg' }, width: 322, height: 244, flaw: CUT_SHORT });
  });

  it('a real JPEG cut at any length is cut short, and so is every prefix of a hand-built one with restart markers', () => {
    for (const jpeg of [small, handBuiltJpeg({ components: 3, blocksWide: 8, blocksHigh: 2, restartInterval: 4 })]) {
      for (let length = 3; length < jpeg.length; length++) {
        expect(readJpeg(jpeg.subarray(0, length)).flaw, `cut at ${length} of ${jpeg.length}`).toBe(CUT_SHORT);
      }
    }
  });

  it('is cut short when the stream ends between the 0xFF and the code of its last marker, in a stuffed byte or in a restart marker', () => {
    const jpeg = handBuiltJpeg({ components: 1, blocksWide: 8, blocksHigh: 2, restartInterval: 4 });
    const stuffed = offsetsOf(jpeg, [0xff, 0x00])[1] ?? 0;
    const restart = offsetsOf(jpeg, [0xff, 0xd1])[0] ?? 0;
    for (const length of [jpeg.length - 1, stuffed + 1, restart + 1]) {
      expect(readJpeg(...oneByteChunks(jpeg.subarray(0, length))), `cut at ${length}`).toStrictEqual({ width: 64, height: 16, flaw: CUT_SHORT });
    }
  });

  it('a stuffed 0xFF followed by the data byte 0xD9 is not an end-of-image marker, however the bytes arrive', () => {
    const cut = Buffer.concat([headers(), Buffer.from([0x12, 0xff, 0x00, 0xd9, 0x34])]);
    for (const { at, chunks } of everySplit(cut)) expect(readJpeg(...chunks).flaw, `split at ${at}`).toBe(CUT_SHORT);
    expect(readJpeg(cut, Buffer.from([0xff, 0xd9]))).toStrictEqual({ width: 16, height: 8, flaw: undefined });
  });

  it("an EXIF thumbnail's own end-of-image marker inside a metadata segment does not end the image", () => {
    const thumbnail = handBuiltJpeg({ components: 1, blocksWide: 1, blocksHigh: 1, restartInterval: 1 });
    const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, 0, 0]), Buffer.from('Exif\0\0', 'latin1'), thumbnail]);
    app1.writeUInt16BE(app1.length - 2, 2);
    const withThumbnail = Buffer.concat([small.subarray(0, 2), app1, small.subarray(2)]);
    expect(readJpeg(withThumbnail)).toStrictEqual({ width: 32, height: 24, flaw: undefined });
    expect(readJpeg(withThumbnail.subarray(0, 2 + app1.length + 10)).flaw).toBe(CUT_SHORT);
  });
});

describe('JPEGs with more than the image, or a broken structure', () => {
  // Refused on purpose, rather than guess what Sora does with them: see ParsedFacts.flaw.
  it.each([
    ['one zero byte', Buffer.from([0])],
    ['a second image, as phones append to motion photos', handBuiltJpeg({ components: 1, blocksWide: 1, blocksHigh: 1, restartInterval: 1 })],
  ])('bytes after the end-of-image marker (%s) are counted and refused', (_name, extra) => {
    expect(readJpeg(small, extra)).toStrictEqual({ width: 32, height: 24, flaw: `is a JPEG with ${extra.length} bytes after its end-of-image marker; send the image alone` });
    expect(readJpeg(...oneByteChunks(Buffer.concat([small, extra]))).flaw).toContain(`${extra.length} bytes after its end-of-image marker`);
  });

  it.each([
    ['a segment length below 2', [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x01], 'is a damaged JPEG: a segment declares a length below 2'],
    ['garbage where a marker should be', [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0x12, 0x34], 'is a damaged JPEG: a marker was expected between its segments'],
    ['a stuffed zero between segments', [0xff, 0xd8, 0xff, 0x00, 0x00, 0x04], 'is a damaged JPEG: a marker was expected between its segments'],
    ['image data before a frame header', [0xff, 0xd8, 0xff, 0xda, 0x00, 0x02, 0x00], 'is a JPEG without a frame header before its image data'],
    ['an end-of-image marker before any frame header', [0xff, 0xd8, 0xff, 0xd9], 'is a JPEG without a frame header before its end-of-image marker'],
  ])('%s is named as the flaw and as why there is no size', (_name, bytes, message) => {
    expect(readJpeg(Buffer.from(bytes))).toStrictEqual({ problem: message, flaw: message });
  });

  it('a frame header with no scan before the end-of-image marker has a size but no image', () => {
    const sof = Buffer.from([0xff, 0xc0, 0x00, 0x0b, 8, 0, 8, 0, 16, 1, 1, 0x11, 0]);
    expect(readJpeg(Buffer.from([0xff, 0xd8]), sof, Buffer.from([0xff, 0xd9]))).toStrictEqual({
      width: 16,
      height: 8,
      flaw: 'is a JPEG without image data: its end-of-image marker comes before any scan',
    });
  });
});
