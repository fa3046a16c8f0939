/**
 * Each fault kind, added from code and over the admin route: injected
 * statuses, connection resets mid-body, slow answers, jobs that never
 * finish, content that 404s for a while after success, synthetic sizes.
 */
import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bytesOf, errorOf, type Harness, jobBody, startHarness } from './support';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ maxRunningJobs: 100 });
});

afterAll(async () => {
  await h.close();
});

afterEach(() => {
  h.emulator.faults.clear();
});

async function succeededGeneration(): Promise<string> {
  const job = (await (await h.json('/video/generations/jobs', jobBody())).json()) as { id: string };
  h.clock.advance(10);
  const done = (await (await h.call(`/video/generations/jobs/${job.id}`)).json()) as { status: string; generations: { id: string }[] };
  expect(done.status).toBe('succeeded');
  return done.generations[0]?.id ?? '';
}

async function completedVideo(): Promise<string> {
  const video = (await (await h.json('/videos', { model: 'sora-2', prompt: 'a tiny boat' })).json()) as { id: string };
  h.clock.advance(10);
  return video.id;
}

/** Reads a body over raw HTTP, reporting how many bytes arrived before the connection ended and whether it ended in an error. */
function download(path: string): Promise<{ status: number; length: number; received: number; error: boolean }> {
  return new Promise((resolve, reject) => {
    let started = false;
    const req = request(`${h.emulator.endpoint}/openai/v1${path}`, { headers: { 'api-key': h.emulator.apiKey } }, (res) => {
      started = true;
      let received = 0;
      res.on('data', (chunk: Buffer) => (received += chunk.length));
      const done = (error: boolean): void => {
        resolve({ status: res.statusCode ?? 0, length: Number(res.headers['content-length']), received, error });
      };
      res.on('end', () => {
        done(false);
      });
      res.on('error', () => {
        done(true);
      });
      res.on('aborted', () => {
        done(true);
      });
    });
    req.on('error', (error) => {
      if (!started) reject(error);
    });
    req.end();
  });
}

describe('status faults', () => {
  it.each([
    [429, 'createJob', () => h.json('/video/generations/jobs', jobBody())],
    [503, 'listJobs', () => h.call('/video/generations/jobs')],
    [500, 'getVideo', () => h.call('/videos/video_unknown')],
  ] as const)('answer %i to the next calls of %s, then normal service resumes', async (status, operation, call) => {
    h.emulator.faults.add({ kind: 'status', operation, status, times: 2, retryAfterSeconds: 7 });
    const first = await call();
    const second = await call();
    expect([first.status, second.status]).toEqual([status, status]);
    expect((await errorOf(first)).message).toMatch(new RegExp(`Injected fault: ${operation}`));
    expect(first.headers.get('retry-after')).toBe('7');
    expect(first.headers.get('retry-after-ms')).toBe('7000');
    expect((await call()).status).not.toBe(status);
  });

  it('can be added and cleared over the admin route', async () => {
    const added = await fetch(`${h.emulator.endpoint}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'status', operation: 'listJobs', status: 503, times: 5 }),
    });
    expect(added.status).toBe(201);
    expect((await h.call('/video/generations/jobs')).status).toBe(503);
    const listed = (await (await fetch(`${h.emulator.endpoint}/_emulator/faults`)).json()) as { faults: unknown[] };
    expect(listed.faults).toEqual([{ kind: 'status', operation: 'listJobs', status: 503, times: 5 }]);
    expect((await fetch(`${h.emulator.endpoint}/_emulator/faults`, { method: 'DELETE' })).status).toBe(204);
    expect((await h.call('/video/generations/jobs')).status).toBe(200);
  });

  it('the admin route refuses a malformed fault, naming the field', async () => {
    const refused = await fetch(`${h.emulator.endpoint}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'status', operation: 'teleport', status: 418, times: 1 }),
    });
    expect(refused.status).toBe(400);
    expect((await errorOf(refused)).param).toBe('operation');
  });
});

describe('reset', () => {
  it('cuts the jobs API content after K bytes, once', async () => {
    const generation = await succeededGeneration();
    h.emulator.faults.add({ kind: 'reset', operation: 'content', afterBytes: 1000, times: 1 });
    const cut = await download(`/video/generations/${generation}/content/video`);
    expect(cut.error).toBe(true);
    expect(cut.received).toBe(1000);
    expect(cut.length).toBeGreaterThan(1000);
    const whole = await download(`/video/generations/${generation}/content/video`);
    expect(whole).toMatchObject({ error: false, received: whole.length });
  });

  it.each([
    ['jobs', 'content', async () => `/video/generations/${await succeededGeneration()}/content/video`],
    ['videos', 'videoContent', async () => `/videos/${await completedVideo()}/content`],
  ] as const)('leaves a reset for the download when the %s API content is asked with HEAD first', async (_api, operation, contentPath) => {
    const path = await contentPath();
    h.emulator.faults.add({ kind: 'reset', operation, afterBytes: 500, times: 1 });
    const head = await h.call(path, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(500);
    expect(h.emulator.faults.list()).toEqual([{ kind: 'reset', operation, afterBytes: 500, times: 1 }]);
    const cut = await download(path);
    expect(cut).toMatchObject({ error: true, received: 500 });
    expect(h.emulator.faults.list()).toEqual([]);
  });

  it('cuts the videos API content after K bytes', async () => {
    const video = await completedVideo();
    h.emulator.faults.add({ kind: 'reset', operation: 'videoContent', afterBytes: 0 });
    const cut = await download(`/videos/${video}/content`);
    expect(cut).toMatchObject({ error: true, received: 0 });
  });
});

describe('slow', () => {
  it('delays the answer of an operation (real time) without changing it', async () => {
    h.emulator.faults.add({ kind: 'slow', operation: 'getJob', delayMs: 300, times: 1 });
    let answered = false;
    const slow = h.call('/video/generations/jobs/task_missing').then((r) => {
      answered = true;
      return r;
    });
    // An unfaulted call overtakes the slowed one.
    expect((await h.call('/video/generations/jobs')).status).toBe(200);
    expect(answered).toBe(false);
    expect((await slow).status).toBe(404);
  });
});

describe('neverFinish', () => {
  it('keeps the next created job running forever; later jobs finish', async () => {
    h.emulator.faults.add({ kind: 'neverFinish', times: 1 });
    const stuck = (await (await h.json('/video/generations/jobs', jobBody())).json()) as { id: string };
    const normal = (await (await h.json('/video/generations/jobs', jobBody())).json()) as { id: string };
    h.clock.advance(3600);
    const statusOf = async (id: string): Promise<string> => ((await (await h.call(`/video/generations/jobs/${id}`)).json()) as { status: string }).status;
    expect(await statusOf(stuck.id)).toBe('running');
    expect(await statusOf(normal.id)).toBe('succeeded');
  });
});

describe('contentNotFound', () => {
  it('answers 404 to content and thumbnail for S seconds after success, then serves them', async () => {
    h.emulator.faults.add({ kind: 'contentNotFound', forSeconds: 30 });
    const generation = await succeededGeneration();
    expect((await h.call(`/video/generations/${generation}/content/video`)).status).toBe(404);
    expect((await h.call(`/video/generations/${generation}/content/thumbnail`)).status).toBe(404);
    const video = await completedVideo();
    expect((await h.call(`/videos/${video}/content`)).status).toBe(404);
    h.clock.advance(30);
    expect((await h.call(`/video/generations/${generation}/content/video`)).status).toBe(200);
    expect((await h.call(`/videos/${video}/content`)).status).toBe(200);
  });
});

describe('contentSize', () => {
  it('serves a synthetic body of B bytes, with ranges', async () => {
    const generation = await succeededGeneration();
    h.emulator.faults.add({ kind: 'contentSize', bytes: 5_000_000 });
    const head = await h.call(`/video/generations/${generation}/content/video`, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe('5000000');
    const whole = await download(`/video/generations/${generation}/content/video`);
    expect(whole).toMatchObject({ status: 200, received: 5_000_000, error: false });
    const tail = await h.call(`/video/generations/${generation}/content/video`, { headers: { range: 'bytes=4999990-' } });
    expect(tail.status).toBe(206);
    expect((await bytesOf(tail)).length).toBe(10);
  });
});
