/**
 * MP4 videos made by a real encoder, with the index (`moov`) first or last,
 * and hand-built box layouts for what ffmpeg does not write (64-bit sizes,
 * boxes to the end of the file, damaged structures), stream through the
 * inspector; the duration comes from `moov/mvhd` only when the file is whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaTooLargeError } from '../../src/media';
import { box, clip, ffmpegFiles, ftyp, inspect, largeBoxHeader, mehd, mvhd, oneByteChunks, randomChunks, sha256, type Ffmpeg } from './fixtures';

let ffmpeg: Ffmpeg;
let moovFirst: Buffer;
let moovLast: Buffer;
let sixSeconds: Buffer;
let fragmented: Buffer;
let quickTime: Buffer;

beforeAll(async () => {
  ffmpeg = await ffmpegFiles();
  [moovFirst, moovLast, sixSeconds, fragmented, quickTime] = await Promise.all([
    ffmpeg.make('mp4', clip(3, '-movflags', '+faststart')),
    ffmpeg.make('mp4', clip(2)),
    ffmpeg.make('mp4', clip(6)),
    // Fragments after an empty index: the total length is nowhere in the file's head.
    ffmpeg.make('mp4', clip(2, '-movflags', 'frag_keyframe+empty_moov')),
    ffmpeg.make('mov', clip(1)),
  ]);
});
afterAll(() => ffmpeg.close());

/** Offsets of the top-level boxes, to check what each fixture really is. */
function topLevelBoxes(file: Buffer): string[] {
  const types: string[] = [];
  for (let at = 0; at < file.length; at += file.readUInt32BE(at)) types.push(file.toString('latin1', at + 4, at + 8));
  return types;
}

const moov = (...children: Buffer[]) => box('moov', ...children);
const mdat = (bytes: number) => box('mdat', Buffer.alloc(bytes, 7));

describe('inspecting MP4 videos made by ffmpeg', () => {
  it('made the layouts it claims', () => {
    expect(topLevelBoxes(moovFirst).filter((t) => t === 'moov' || t === 'mdat')).toEqual(['moov', 'mdat']);
    expect(topLevelBoxes(moovLast).filter((t) => t === 'moov' || t === 'mdat')).toEqual(['mdat', 'moov']);
  });

  it.each([
    ['moov first', () => moovFirst, 3, true],
    ['moov last', () => moovLast, 2, false],
    ['six seconds', () => sixSeconds, 6, false],
  ] as const)('reads the duration of a file with %s, whole, byte by byte and in random chunks', async (_name, file, seconds, moovBeforeMdat) => {
    const bytes = file();
    const whole = await inspect([bytes]);
    expect(whole.facts).toEqual({ bytes: bytes.length, signature: { kind: 'mp4', type: 'video', contentType: 'video/mp4' }, durationSeconds: expect.closeTo(seconds, 1) as unknown, moovBeforeMdat });
    expect(whole.outputSha256).toBe(sha256(bytes));
    expect((await inspect(oneByteChunks(bytes))).facts).toEqual(whole.facts);
    for (const seed of [11, 12, 13]) {
      const chunked = await inspect(randomChunks(bytes, seed));
      expect(chunked.facts, `seed ${seed}`).toEqual(whole.facts);
      expect(chunked.outputSha256).toBe(whole.outputSha256);
    }
  });

  it('gives no duration for a file cut short anywhere, saying so', async () => {
    for (const file of [moovFirst, moovLast]) {
      for (const length of [13, 40, Math.floor(file.length / 2), file.length - 1]) {
        const { facts } = await inspect(randomChunks(file.subarray(0, length), length));
        expect(facts.signature?.kind, `cut at ${length}`).toBe('mp4');
        expect(facts.durationSeconds, `cut at ${length}`).toBeUndefined();
        expect(facts.problem, `cut at ${length}`).toMatch(/truncated|without a movie header/);
      }
    }
  });

  it('gives no duration for a fragmented file whose total length it does not state', async () => {
    expect(topLevelBoxes(fragmented)).toContain('moof');
    const { facts } = await inspect(randomChunks(fragmented, 5));
    expect(facts).toMatchObject({ signature: { kind: 'mp4' }, problem: expect.stringContaining('fragmented') as unknown });
    expect(facts.durationSeconds).toBeUndefined();
  });

  it('does not take a QuickTime movie for an MP4', async () => {
    expect(quickTime.toString('latin1', 8, 12)).toBe('qt  ');
    expect((await inspect([quickTime])).facts).toEqual({ bytes: quickTime.length });
  });

  it('does not take a file whose first box is not ftyp for an MP4', async () => {
    const renamed = Buffer.from(moovFirst);
    renamed.write('free', 4, 'latin1');
    expect((await inspect([renamed])).facts).toEqual({ bytes: renamed.length });
  });
});

describe('inspecting hand-built MP4 layouts', () => {
  it('reads a version 1 (64-bit) movie header', async () => {
    const file = Buffer.concat([ftyp(), moov(mvhd(1, 1000, 2n ** 32n + 500n)), mdat(10)]);
    const { facts } = await inspect(oneByteChunks(file));
    expect(facts.durationSeconds).toBe((2 ** 32 + 500) / 1000);
  });

  it('follows a 64-bit box size and a last box that runs to the end of the file', async () => {
    const large = Buffer.concat([ftyp(), largeBoxHeader('mdat', 5), Buffer.alloc(5), moov(mvhd(0, 600, 2400n))]);
    expect((await inspect(oneByteChunks(large))).facts).toMatchObject({ durationSeconds: 4, moovBeforeMdat: false });
    const toEnd = Buffer.concat([ftyp(), moov(mvhd(0, 600, 1800n)), Buffer.from('\0\0\0\0mdat', 'latin1'), Buffer.alloc(1000)]);
    expect((await inspect(randomChunks(toEnd, 9))).facts).toMatchObject({ durationSeconds: 3, moovBeforeMdat: true });
  });

  it('reads a fragmented file whose fragment header states its total length', async () => {
    const file = Buffer.concat([ftyp('iso6'), moov(mvhd(0, 1000, 0n), box('mvex', mehd(4500n))), box('moof'), mdat(10)]);
    expect((await inspect(oneByteChunks(file))).facts.durationSeconds).toBe(4.5);
  });

  it.each([
    ['no duration', [ftyp(), moov(mvhd(0, 1000, 0xffffffffn)), mdat(4)], 'gives no duration'],
    ['a zero timescale', [ftyp(), moov(mvhd(0, 0, 1000n)), mdat(4)], 'gives no duration'],
    ['no media data', [ftyp(), moov(mvhd(0, 1000, 1000n))], 'without media data'],
    ['no movie header', [ftyp(), mdat(4)], 'without a movie header'],
    ['two movie headers', [ftyp(), moov(mvhd(0, 1000, 1000n)), mdat(4), moov(mvhd(0, 1000, 99000n))], 'two movie headers'],
    ['a box smaller than its header', [ftyp(), Buffer.from('\0\0\0\x04free', 'latin1'), mdat(4)], 'smaller than its own header'],
    ['a child overrunning its box', [ftyp(), Buffer.from('\0\0\0\x10moov\0\0\0\x20mvhd', 'latin1'), Buffer.alloc(40), mdat(4)], 'overruns'],
    ['a 4 GiB media box cut short', [ftyp(), moov(mvhd(0, 1000, 1000n)), largeBoxHeader('mdat', 2n ** 32n), Buffer.alloc(100)], 'truncated'],
    ['a 64-bit size beyond any file', [ftyp(), moov(mvhd(0, 1000, 1000n)), largeBoxHeader('mdat', 2n ** 53n), Buffer.alloc(100)], 'impossible size'],
    ['a huge movie header', [ftyp(), moov(box('mvhd', Buffer.alloc(4096))), mdat(4)], 'too large'],
    ['an unknown movie header version', [ftyp(), moov(box('mvhd', Buffer.from([2]), Buffer.alloc(40))), mdat(4)], 'cannot be read'],
  ])('says why it gives no duration for a file with %s', async (_name, parts, problem) => {
    const { facts } = await inspect(randomChunks(Buffer.concat(parts), 21));
    expect(facts.signature?.kind).toBe('mp4');
    expect(facts.durationSeconds).toBeUndefined();
    expect(facts.problem).toContain(problem);
  });
});

describe('streaming large files', () => {
  const MiB = 1024 * 1024;

  /** Yields `total` bytes in fresh 1 MiB buffers, counting what it has produced. */
  function* fresh(total: number, counter: { produced: number }): Generator<Uint8Array> {
    for (let left = total; left > 0; left -= MiB) {
      const chunk = Buffer.alloc(Math.min(MiB, left), 0x5a);
      counter.produced += chunk.length;
      yield chunk;
    }
  }

  it('reads the duration after 200 MiB of media data', async () => {
    // What the inspector holds meanwhile is measured in bench/inspect-mp4.bench.ts.
    const mediaBytes = 200 * MiB;
    const tail = moov(mvhd(0, 90000, 5n * 90000n));
    const counter = { produced: 0 };
    function* file(): Generator<Uint8Array> {
      yield ftyp();
      yield largeBoxHeader('mdat', mediaBytes);
      yield* fresh(mediaBytes, counter);
      yield tail;
    }
    const { facts } = await inspect(file());
    expect(counter.produced).toBe(mediaBytes);
    expect(facts).toMatchObject({ bytes: ftyp().length + 16 + mediaBytes + tail.length, durationSeconds: 5, moovBeforeMdat: false });
  });

  it('fails with MediaTooLargeError as soon as a file passes maxBytes, without reading on', async () => {
    const counter = { produced: 0 };
    const attempt = inspect(fresh(100 * MiB, counter), { maxBytes: 3 * MiB });
    const error: unknown = await attempt.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(MediaTooLargeError);
    expect(error).toMatchObject({ maxBytes: 3 * MiB, message: expect.stringContaining(String(3 * MiB)) as unknown });
    // Only what streams read ahead (a few MiB) was produced, not the 100 MiB file.
    expect(counter.produced).toBeLessThan(10 * MiB);
  });

  it('lets a file of exactly maxBytes through', async () => {
    const { facts } = await inspect([moovFirst], { maxBytes: moovFirst.length });
    expect(facts.bytes).toBe(moovFirst.length);
    await expect(inspect([moovFirst], { maxBytes: moovFirst.length - 1 })).rejects.toBeInstanceOf(MediaTooLargeError);
  });
});
