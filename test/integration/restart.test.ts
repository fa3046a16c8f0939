/**
 * The local stack survives being killed: the real `npm run dev` process
 * (dist/src/local/dev.js, Azurite's data in a folder of its own) runs a
 * request until its Sora job is submitted, dies by SIGKILL, starts again on
 * the same folder and finishes the request — one Sora job, the stored video
 * byte for byte what Sora serves. The Sora emulator runs as a process of its
 * own, so its jobs outlive the dev process (the stack uses an emulator that
 * already answers at the configured endpoint).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VideoView } from '../../src/requests/video-view';
import { sha256OfUrl } from './support';

const DIST = fileURLToPath(new URL('../../dist/src/local/', import.meta.url));
const DEV = path.join(DIST, 'dev.js');
const EMULATOR = path.join(DIST, 'sora-emulator/main.js');
const API_KEY = 'restart-test-key';
const START_TIMEOUT_MS = 60_000;
const POLL_MS = 100;

interface Started {
  child: ChildProcess;
  /** The first capture group of the ready line. */
  address: string;
  output: string[];
}

const children: ChildProcess[] = [];
let dir = '';
let emulatorEndpoint: string;

/** Spawns `node script`, resolves once a line matches `ready` (its first group is the address), fails if it exits first. */
async function startProcess(script: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<Started> {
  const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const output: string[] = [];
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`${path.basename(script)} was not ready within ${START_TIMEOUT_MS} ms:\n${output.join('\n')}`));
    }, START_TIMEOUT_MS);
    const onLine = (line: string) => {
      output.push(line);
      const match = ready.exec(line);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${path.basename(script)} exited (${String(code ?? signal)}) before it was ready:\n${output.join('\n')}`));
    });
  });
  return { child, address, output };
}

function startDev(): Promise<Started> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AZURE_OPENAI_ENDPOINT: emulatorEndpoint,
    AZURE_OPENAI_API_KEY: API_KEY,
    AZURE_OPENAI_DEPLOYMENT: 'sora',
    AZURE_OPENAI_JOBS_DEPLOYMENT: 'sora',
    SORA_API: 'jobs',
    VideoStorage: 'UseDevelopmentStorage=true',
    DURABLE_TASK_HUB_NAME: 'RestartIntegration',
    // Real time (no time skipping: the emulator's clock is its own), so short polls.
    POLL_MIN_SECONDS: '0.5',
    POLL_EXPECTED_JOB_SECONDS: '2',
  };
  const args = ['--port', '0', '--emulator-port', '0', '--azurite-location', path.join(dir, 'azurite')];
  return startProcess(DEV, args, env, /^ready: API (http:\/\/\S+)\/api\/videos/);
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

/** Polls `read` until `done` holds for what it returns, or fails after `timeoutMs`. */
async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Still waiting for ${what}: ${JSON.stringify(value)}`);
    await delay(POLL_MS);
  }
}

async function view(baseUrl: string, id: string): Promise<VideoView> {
  const response = await fetch(`${baseUrl}/api/videos/${id}`);
  expect(response.status).toBe(200);
  return (await response.json()) as VideoView;
}

function emulatorGet(route: string): Promise<Response> {
  return fetch(`${emulatorEndpoint}/openai/v1${route}?api-version=preview`, { headers: { 'api-key': API_KEY } });
}

/** SHA-256 of what the emulator serves as a generation's video. */
async function servedSha256(generationId: string): Promise<string> {
  const response = await emulatorGet(`/video/generations/${generationId}/content/video`);
  expect(response.status).toBe(200);
  return createHash('sha256').update(Buffer.from(await response.arrayBuffer())).digest('hex');
}

beforeAll(async () => {
  for (const script of [DEV, EMULATOR]) {
    if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build:local\` first (npm test does).`);
  }
  dir = await mkdtemp(path.join(tmpdir(), 'restart-test-'));
  const emulator = await startProcess(EMULATOR, ['--port', '0', '--job-seconds', '2', '--api-key', API_KEY], process.env, /endpoint (http:\/\/\S+)/);
  emulatorEndpoint = emulator.address;
});

afterAll(async () => {
  for (const child of children) await stop(child, 'SIGTERM');
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

describe('npm run dev killed mid-request', () => {
  it('finishes the request after a restart: succeeded, one Sora job, the exact bytes', async () => {
    const first = await startDev();
    const created = await fetch(`${first.address}/api/videos`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'A lighthouse that keeps blinking through a restart', n_seconds: 2 }),
    });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    const submitted = await waitFor('the Sora job to be submitted', () => view(first.address, id), (v) => v.soraJobId !== null);
    await stop(first.child, 'SIGKILL');

    const second = await startDev();
    expect(second.output.some((line) => line.includes('1 resumed'))).toBe(true);
    const finished = await waitFor('the request to finish', () => view(second.address, id), (v) =>
      ['succeeded', 'failed', 'cancelled', 'timed_out'].includes(v.status),
    );
    expect(finished.status).toBe('succeeded');
    expect(finished.soraJobId).toBe(submitted.soraJobId);

    const listed = await emulatorGet('/video/generations/jobs');
    const jobs = (await listed.json()) as { data: { id: string; generations: { id: string }[] }[] };
    expect(jobs.data.map((job) => job.id)).toEqual([submitted.soraJobId]);
    const served = await servedSha256(jobs.data[0]?.generations[0]?.id ?? '');
    expect(finished.videos.map((video) => video.sha256)).toEqual([served]);
    expect(await sha256OfUrl(finished.videos[0]?.url ?? '')).toBe(served);

    // The app's routes as the host serves them: a method no function takes is 405 with Allow.
    const deleted = await fetch(`${second.address}/api/videos`, { method: 'DELETE' });
    expect([deleted.status, deleted.headers.get('allow')]).toEqual([405, 'GET, POST']);
  });
});
