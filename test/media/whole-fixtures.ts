/**
 * Helpers for the whole-file tests: feeding a format reader every way a file
 * can be cut into chunks, hand-built JPEGs and PNGs for structures ffmpeg does
 * not write (restart markers, several scans, split image data, ancillary
 * chunks), and a check that a real decoder (ffmpeg) reads a hand-built file
 * without a single error, so the hand-built files are proven real images.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { crc32, deflateSync } from 'node:zlib';
import type { ByteParser, ParsedFacts } from '../../src/media/byte-parser';

const run = promisify(execFile);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ffmpeg = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;

/** Pushes `chunks` into a new reader and ends it. */
export function read(reader: () => ByteParser, chunks: Iterable<Uint8Array>): ParsedFacts {
  const parser = reader();
  for (const chunk of chunks) parser.push(chunk);
  return parser.end();
}

/** Every way to cut `bytes` in two (including an empty first or last part). */
export function* everySplit(bytes: Uint8Array): Generator<{ at: number; chunks: Uint8Array[] }> {
  for (let at = 0; at <= bytes.length; at++) yield { at, chunks: [bytes.subarray(0, at), bytes.subarray(at)] };
}

/** Decodes `bytes` fully with ffmpeg; resolves to what ffmpeg reported as errors ('' when none). */
export async function decodeErrors(bytes: Uint8Array, ext: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'media-decode-'));
  try {
    const file = path.join(dir, `input.${ext}`);
    await writeFile(file, bytes);
    const { stderr } = await run(ffmpeg, ['-v', 'error', '-i', file, '-f', 'null', '-']);
    return stderr;
  } catch (error) {
    return (error as { stderr?: string }).stderr ?? String(error);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Offsets of every occurrence of `pattern` in `bytes`. */
export function offsetsOf(bytes: Buffer, pattern: number[]): number[] {
  const found: number[] = [];
  for (let at = bytes.indexOf(Buffer.from(pattern)); at !== -1; at = bytes.indexOf(Buffer.from(pattern), at + 1)) found.push(at);
  return found;
}

/** Writes Huffman codes most significant bit first, stuffing a 0x00 after every 0xFF as JPEG's entropy-coded data requires. */
class EntropyWriter {
  readonly bytes: number[] = [];
  private byte = 0;
  private bits = 0;

  write(code: string): void {
    for (const bit of code) {
      this.byte = (this.byte << 1) | (bit === '1' ? 1 : 0);
      if (++this.bits === 8) {
        this.bytes.push(this.byte);
        if (this.byte === 0xff) this.bytes.push(0x00);
        this.byte = 0;
        this.bits = 0;
      }
    }
  }

  /** Pads to a byte boundary with 1 bits, as before a marker. */
  align(): void {
    while (this.bits !== 0) this.write('1');
  }
}

function segment(code: number, ...body: number[]): number[] {
  const length = body.length + 2;
  return [0xff, code, length >> 8, length & 0xff, ...body];
}

export interface HandBuiltJpeg {
  /** 1 (grey, one scan) or 3 (Y, Cb, Cr in three scans, with a comment segment between the scans). */
  components: 1 | 3;
  /** 8×8 blocks across and down. */
  blocksWide: number;
  blocksHigh: number;
  /** Blocks between restart markers. */
  restartInterval: number;
  /** 0xFF fill bytes before each restart marker (allowed before any marker). */
  fillBeforeRestart?: number;
}

/**
 * A baseline JPEG with tiny Huffman tables of our own: a DC difference of 0 is
 * the code `0`, of category 8 the code `10` plus 8 value bits, and the only AC
 * symbol is end-of-block, code `0`. Every restart interval holds blocks with
 * DC differences 0, 0, 0, +255: the eight 1 bits of 255 land on a byte
 * boundary, so each interval carries a stuffed 0xFF 0x00; restart markers
 * RST0–RST7 come between the intervals.
 */
export function handBuiltJpeg(spec: HandBuiltJpeg): Buffer {
  const { components, blocksWide, blocksHigh, restartInterval } = spec;
  const width = blocksWide * 8;
  const height = blocksHigh * 8;
  const ids = components === 1 ? [1] : [1, 2, 3];
  const bytes = [0xff, 0xd8];
  bytes.push(...segment(0xdb, 0x00, ...Array<number>(64).fill(1)));
  bytes.push(...segment(0xc0, 8, height >> 8, height & 0xff, width >> 8, width & 0xff, ids.length, ...ids.flatMap((id) => [id, 0x11, 0])));
  const dcCounts = [1, 1, ...Array<number>(14).fill(0)];
  const acCounts = [1, ...Array<number>(15).fill(0)];
  bytes.push(...segment(0xc4, 0x00, ...dcCounts, 0, 8, 0x10, ...acCounts, 0x00));
  bytes.push(...segment(0xdd, restartInterval >> 8, restartInterval & 0xff));
  const blocks = blocksWide * blocksHigh;
  for (const [scan, id] of ids.entries()) {
    if (scan > 0) bytes.push(...segment(0xfe, ...Buffer.from(`scan ${scan + 1}`)));
    bytes.push(...segment(0xda, 1, id, 0x00, 0, 63, 0));
    let restarts = 0;
    for (let first = 0; first < blocks; first += restartInterval) {
      if (first > 0) bytes.push(...Array<number>(spec.fillBeforeRestart ?? 0).fill(0xff), 0xff, 0xd0 + (restarts++ % 8));
      const interval = new EntropyWriter();
      for (let block = first; block < Math.min(first + restartInterval, blocks); block++) {
        interval.write((block - first) % 4 === 3 ? '10' + '11111111' + '0' : '0' + '0');
      }
      interval.align();
      bytes.push(...interval.bytes);
    }
  }
  bytes.push(0xff, 0xd9);
  return Buffer.from(bytes);
}

export function pngChunk(type: string, data: Uint8Array = new Uint8Array()): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(data.length, 0);
  header.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(header.subarray(4))), 0);
  return Buffer.concat([header, data, crc]);
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * An 8-bit grey PNG of a gradient whose compressed image data is split over
 * `idatChunks` IDAT chunks, with a text chunk before them and an empty
 * private chunk (`prIv`) after them, as encoders that add metadata write.
 */
export function handBuiltPng(width: number, height: number, idatChunks: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8); // depth 8, grey, deflate, adaptive filtering, no interlace
  const rows = Array.from({ length: height }, (_, y) => Buffer.from([0, ...Array.from({ length: width }, (_, x) => (x * 7 + y * 13) & 0xff)]));
  const compressed = deflateSync(Buffer.concat(rows));
  const step = Math.ceil(compressed.length / idatChunks);
  const idat = Array.from({ length: idatChunks }, (_, i) => pngChunk('IDAT', compressed.subarray(i * step, (i + 1) * step)));
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', header), pngChunk('tEXt', Buffer.from('Comment\0hand-built', 'latin1')), ...idat, pngChunk('prIv'), pngChunk('IEND')]);
}

