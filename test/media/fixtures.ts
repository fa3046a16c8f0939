/**
 * Helpers for the media tests: real files made with the ffmpeg binary of
 * `@ffmpeg-installer/ffmpeg` (a dev dependency, not available in Azure Functions,
 * which is why the app reads bytes itself), hand-built MP4 boxes for the cases
 * ffmpeg will not write, and a way to push bytes through the inspector in chunks
 * of chosen sizes.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { inspectMedia, type InspectOptions, type MediaFacts } from '../../src/media';

const run = promisify(execFile);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ffmpeg = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;

export interface Ffmpeg {
  /** Runs ffmpeg with `args` writing to a new file with extension `ext`; returns the file's bytes. */
  make(ext: string, args: string[]): Promise<Buffer>;
  close(): Promise<void>;
}

export async function ffmpegFiles(): Promise<Ffmpeg> {
  const dir = await mkdtemp(path.join(tmpdir(), 'media-test-'));
  let n = 0;
  return {
    async make(ext, args) {
      const file = path.join(dir, `f${n++}.${ext}`);
      await run(ffmpeg, ['-loglevel', 'error', '-y', ...args, file]);
      return readFile(file);
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

/** ffmpeg arguments for one still frame of a test pattern. */
export const still = (width: number, height: number, ...more: string[]) => ['-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}`, '-frames:v', '1', ...more];

/** ffmpeg arguments for an H.264 clip of a test pattern. */
export const clip = (seconds: number, ...more: string[]) => [
  '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=12', '-t', String(seconds), '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-preset', 'ultrafast', ...more,
];

/** A small deterministic random generator (mulberry32), so a failing chunking can be replayed from its seed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Splits `bytes` into chunks: 1–7 bytes while in the first 256 bytes (where the headers are), then 1 byte to 64 KB. */
export function randomChunks(bytes: Uint8Array, seed: number): Uint8Array[] {
  const next = random(seed);
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = at < 256 ? 1 + Math.floor(next() * 7) : 1 + Math.floor(next() ** 3 * 65536);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

export function oneByteChunks(bytes: Uint8Array): Uint8Array[] {
  return Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
}

export interface Inspected {
  facts: MediaFacts;
  /** SHA-256 of what came out of the stream, to prove it passes bytes on unchanged. */
  outputSha256: string;
}

/** Streams `chunks` through a new inspector into a sink that hashes what comes out. */
export async function inspect(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, options?: InspectOptions): Promise<Inspected> {
  const inspector = inspectMedia(options);
  const hash = createHash('sha256');
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done();
    },
  });
  await pipeline(Readable.from(chunks, { objectMode: false }), inspector.stream, sink);
  return { facts: inspector.facts(), outputSha256: hash.digest('hex') };
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** An ISO-BMFF box: 32-bit size, type, payload. */
export function box(type: string, ...payload: Uint8Array[]): Buffer {
  const body = Buffer.concat(payload);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

/** The header alone of a box whose 64-bit size (`largesize`) covers `bodyBytes` that follow. */
export function largeBoxHeader(type: string, bodyBytes: number | bigint): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt32BE(1, 0);
  header.write(type, 4, 'latin1');
  header.writeBigUInt64BE(16n + BigInt(bodyBytes), 8);
  return header;
}

export const ftyp = (brand = 'isom') => box('ftyp', Buffer.from(`${brand}\0\0\x02\0isomiso2mp41`, 'latin1'));

/** A movie header, version 0 (32-bit fields) or 1 (64-bit), with the given timescale and duration. */
export function mvhd(version: 0 | 1, timescale: number, duration: bigint): Buffer {
  const fields = version === 0 ? Buffer.alloc(96) : Buffer.alloc(108);
  fields.writeUInt8(version, 0);
  if (version === 0) {
    fields.writeUInt32BE(timescale, 12);
    fields.writeUInt32BE(Number(duration), 16);
  } else {
    fields.writeUInt32BE(timescale, 20);
    fields.writeBigUInt64BE(duration, 24);
  }
  return box('mvhd', fields);
}

/** A fragment header (version 1, 64-bit) stating the total duration of all fragments. */
export function mehd(duration: bigint): Buffer {
  const fields = Buffer.alloc(12);
  fields.writeUInt8(1, 0);
  fields.writeBigUInt64BE(duration, 4);
  return box('mehd', fields);
}
