/**
 * An MP4 is whole only when it has its index (`moov`) and media data (`mdat`)
 * and ends exactly where its last box does, every box complete by its declared
 * size (32-bit, 64-bit `largesize`, or 0 for "to the end of the file"). Real
 * files from ffmpeg with the index first or last, and hand-built layouts, pass
 * however they are cut into chunks; cut short anywhere, or followed by stray
 * bytes, they do not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Mp4Reader } from '../../src/media/mp4-reader';
import { box, clip, ffmpegFiles, ftyp, inspect, largeBoxHeader, mvhd, oneByteChunks, randomChunks, type Ffmpeg } from './fixtures';
import { everySplit, read } from './whole-fixtures';

const readMp4 = (...chunks: Uint8Array[]) => read(() => new Mp4Reader(), chunks);

let ffmpeg: Ffmpeg;
let moovFirst: Buffer;
let moovLast: Buffer;
let small: Buffer;

beforeAll(async () => {
  ffmpeg = await ffmpegFiles();
  [moovFirst, moovLast, small] = await Promise.all([
    ffmpeg.make('mp4', clip(3, '-movflags', '+faststart')),
    ffmpeg.make('mp4', clip(2)),
    ffmpeg.make('mp4', ['-f', 'lavfi', '-i', 'testsrc=size=32x24:rate=4', '-t', '1', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-preset', 'ultrafast', '-movflags', '+faststart']),
  ]);
});
afterAll(() => ffmpeg.close());

/** The top-level boxes of a file made with 32-bit sizes: type, start and end. */
function topLevel(file: Buffer): { type: string; at: number; end: number }[] {
  const boxes = [];
  for (let at = 0; at < file.length; at += file.readUInt32BE(at)) boxes.push({ type: file.toString('latin1', at + 4, at + 8), at, end: at + file.readUInt32BE(at) });
  return boxes;
}

/** What a file cut to `length` bytes lacks, worked out from its top-level layout. */
function expectedFlaw(file: Buffer, length: number): string {
  const boxes = topLevel(file);
  const inside = boxes.find((b) => b.at < length && length < b.end);
  if (inside) return length - inside.at < 8 ? 'is an MP4 that ends inside a box header (truncated?)' : `is an MP4 that ends inside its '${inside.type}' box (truncated?)`;
  const present = boxes.filter((b) => b.end <= length).map((b) => b.type);
  return present.includes('moov') ? 'is an MP4 without media data (mdat)' : 'is an MP4 without a movie header (moov)';
}

const moov = (seconds: number) => box('moov', mvhd(0, 1000, BigInt(seconds * 1000)));
const mdat = (bytes: number) => box('mdat', Buffer.alloc(bytes, 7));

describe('whole MP4s', () => {
  it.each([
    ['moov first', () => moovFirst],
    ['moov last', () => moovLast],
  ])('a real MP4 with %s is whole in one piece, byte by byte and in random chunks', async (_name, file) => {
    const bytes = file();
    const whole = await inspect([bytes]);
    expect(whole.facts.flaw).toBeUndefined();
    expect(whole.facts.durationSeconds).toBeGreaterThan(1.5);
    expect((await inspect(oneByteChunks(bytes))).facts).toStrictEqual(whole.facts);
    for (const seed of [1, 2]) expect((await inspect(randomChunks(bytes, seed))).facts, `seed ${seed}`).toStrictEqual(whole.facts);
  });

  it('a small real MP4 is whole however it is cut in two', () => {
    const expected = readMp4(small);
    expect(expected).toStrictEqual({ moovBeforeMdat: true, durationSeconds: 1, flaw: undefined });
    for (const { at, chunks } of everySplit(small)) expect(readMp4(...chunks), `split at ${at}`).toStrictEqual(expected);
  });

  it('a hand-built MP4 with a 64-bit media box is whole however it is cut in two', () => {
    const file = Buffer.concat([ftyp(), moov(4), largeBoxHeader('mdat', 40), Buffer.alloc(40, 1), box('free')]);
    for (const { at, chunks } of everySplit(file)) expect(readMp4(...chunks), `split at ${at}`).toStrictEqual({ moovBeforeMdat: true, durationSeconds: 4, flaw: undefined });
  });

  it('a last box of size 0 runs to the end of the file, so it is whole wherever the file ends', () => {
    // The known limit of box sizes: only the sample tables in moov could tell such a box was cut short.
    const toEnd = (bytes: number) => Buffer.concat([ftyp(), moov(3), Buffer.from('\0\0\0\0mdat', 'latin1'), Buffer.alloc(bytes, 9)]);
    for (const bytes of [0, 1, 1000]) expect(readMp4(...oneByteChunks(toEnd(bytes)))).toStrictEqual({ moovBeforeMdat: true, durationSeconds: 3, flaw: undefined });
  });

  it('a box after the last one that is itself whole (a trailing free box) keeps the file whole', () => {
    expect(readMp4(Buffer.concat([ftyp(), moov(2), mdat(16), box('free')])).flaw).toBeUndefined();
  });
});

describe('MP4s cut short or with stray bytes', () => {
  it('the first half of a real MP4 ends inside its media data', async () => {
    const { facts } = await inspect(randomChunks(moovFirst.subarray(0, Math.floor(moovFirst.length / 2)), 4));
    expect(facts).toMatchObject({ signature: { kind: 'mp4' }, flaw: "is an MP4 that ends inside its 'mdat' box (truncated?)" });
    expect(facts.durationSeconds).toBeUndefined();
  });

  it('every prefix of a small real MP4 is cut short, naming what it ends inside or lacks', () => {
    expect(topLevel(small).map((b) => b.type)).toEqual(['ftyp', 'moov', 'free', 'mdat']);
    for (let length = 12; length < small.length; length++) {
      expect(readMp4(small.subarray(0, length)).flaw, `cut at ${length}`).toBe(expectedFlaw(small, length));
    }
  });

  it('a file cut exactly at a box boundary lacks the boxes that were to follow', () => {
    const mdatOfLast = topLevel(moovLast).find((b) => b.type === 'mdat');
    const mdatOfFirst = topLevel(moovFirst).find((b) => b.type === 'mdat');
    expect(readMp4(moovLast.subarray(0, mdatOfLast?.end)).flaw).toBe('is an MP4 without a movie header (moov)');
    expect(readMp4(moovFirst.subarray(0, mdatOfFirst?.at)).flaw).toBe('is an MP4 without media data (mdat)');
  });

  it('a 64-bit media box cut short ends inside it', () => {
    const file = Buffer.concat([ftyp(), moov(4), largeBoxHeader('mdat', 2n ** 32n), Buffer.alloc(1000)]);
    expect(readMp4(file).flaw).toBe("is an MP4 that ends inside its 'mdat' box (truncated?)");
  });

  it.each([
    ['three stray bytes', Buffer.from([1, 2, 3]), 'is an MP4 that ends inside a box header (truncated?)'],
    ['text', Buffer.from('garbage!', 'latin1'), "is an MP4 that ends inside its 'age!' box (truncated?)"],
    ['a box header declaring more than follows', box('free', Buffer.alloc(8)).subarray(0, 12), "is an MP4 that ends inside its 'free' box (truncated?)"],
  ])('%s after the last box are refused', (_name, extra, flaw) => {
    const file = Buffer.concat([ftyp(), moov(2), mdat(16), extra]);
    expect(readMp4(...oneByteChunks(file))).toMatchObject({ flaw });
  });

  it('a broken box structure is the flaw, and the problem', () => {
    const file = Buffer.concat([ftyp(), Buffer.from('\0\0\0\x04free', 'latin1'), moov(2), mdat(4)]);
    const flaw = "is an MP4 whose 'free' box is smaller than its own header";
    expect(readMp4(file)).toStrictEqual({ problem: flaw, flaw });
  });
});
