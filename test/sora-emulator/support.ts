/**
 * Shared by the emulator tests: an emulator on port 0 with a manual clock,
 * raw HTTP calls with the key, real media made with ffmpeg, and reading
 * rendered files back (size, length, pixels) with ffmpeg.
 */
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type SoraEmulator, type SoraEmulatorOptions, startSoraEmulator } from '../../src/local/sora-emulator';
import { parseProbe, type MediaInfo } from '../../src/local/sora-emulator/media-probe';

const run = promisify(execFile);

export interface ManualClock {
  now(): number;
  advance(seconds: number): void;
}

export function manualClock(start = Date.parse('2026-11-25T12:00:00Z')): ManualClock {
  let now = start;
  return {
    now: () => now,
    advance: (seconds) => {
      now += seconds * 1000;
    },
  };
}

export interface Harness {
  emulator: SoraEmulator;
  clock: ManualClock;
  /** A scratch directory, removed by close(). */
  dir: string;
  /** fetch against `${endpoint}/openai/v1${path}` with the api-key header unless headers say otherwise. */
  call(path: string, init?: RequestInit): Promise<Response>;
  json(path: string, body: unknown, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export async function startHarness(options: SoraEmulatorOptions = {}): Promise<Harness> {
  const clock = manualClock();
  const dir = await mkdtemp(join(tmpdir(), 'sora-emulator-test-'));
  const emulator = await startSoraEmulator({
    port: 0,
    clock,
    jobSeconds: 10,
    requestsPerMinute: 100_000,
    cacheDir: join(dir, 'cache'),
    log: () => undefined,
    ...options,
  });
  const call = (path: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    if (!headers.has('api-key') && !headers.has('authorization')) headers.set('api-key', emulator.apiKey);
    return fetch(`${emulator.endpoint}/openai/v1${path}`, { ...init, headers });
  };
  return {
    emulator,
    clock,
    dir,
    call,
    json: (path, body, init = {}) =>
      call(path, { method: 'POST', ...init, body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) } }),
    close: async () => {
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A jobs API create body that passes every rule; override what a test is about. */
export function jobBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'sora', prompt: 'a lighthouse at dusk', width: 480, height: 480, n_seconds: 1, ...overrides };
}

export interface ErrorBody {
  error: { code: string; message: string; param: string | null; type: string | null };
}

export async function errorOf(response: Response): Promise<ErrorBody['error']> {
  return ((await response.json()) as ErrorBody).error;
}

export async function ffmpeg(args: string[]): Promise<Buffer> {
  const { stdout } = await run(ffmpegInstaller.path, ['-hide_banner', '-loglevel', 'error', '-y', ...args], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

export async function probe(path: string): Promise<MediaInfo> {
  const result = await run(ffmpegInstaller.path, ['-hide_banner', '-i', path]).then(
    () => '',
    // Without an output file ffmpeg exits 1 after describing the input on stderr.
    (error: unknown) => {
      const stderr = (error as { stderr?: unknown }).stderr;
      return typeof stderr === 'string' ? stderr : '';
    },
  );
  const info = parseProbe(result);
  if (!info) throw new Error(`ffmpeg could not read ${path}: ${result}`);
  return info;
}

/** The RGB colour of one pixel of the frame at `seconds`. */
export async function pixelAt(path: string, seconds: number, x: number, y: number): Promise<[number, number, number]> {
  const raw = await ffmpeg(['-ss', String(seconds), '-i', path, '-frames:v', '1', '-vf', `format=rgb24,crop=1:1:${x}:${y}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
  return [raw[0] ?? -1, raw[1] ?? -1, raw[2] ?? -1];
}

/** Mean absolute difference of two equally long byte buffers (0–255). */
export function meanDifference(a: Buffer, b: Buffer): number {
  if (a.length !== b.length || a.length === 0) return 255;
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return sum / a.length;
}

export function near(actual: readonly number[], expected: readonly number[], tolerance = 24): boolean {
  return actual.every((v, i) => Math.abs(v - (expected[i] ?? 0)) <= tolerance);
}

/** Multipart body with string fields and files given as [field, fileName, path, type]. */
export async function form(fields: Record<string, string>, files: [string, string, string, string][] = []): Promise<FormData> {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  for (const [field, fileName, path, type] of files) data.append(field, new Blob([await readFile(path)], { type }), fileName);
  return data;
}

export async function bytesOf(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}
