/**
 * Real clients against the emulator: the `openai` npm SDK on the videos API
 * (Sora 2), and Azure's Python quickstart for the jobs API (Sora), run
 * unchanged with python3 + requests in its text, image and video modes.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/local/clock';
import { ffmpeg, type Harness, probe, startHarness } from './support';

const run = promisify(execFile);

describe('openai SDK on the videos API', () => {
  let h: Harness;
  let client: OpenAI;

  beforeAll(async () => {
    h = await startHarness();
    client = new OpenAI({ baseURL: `${h.emulator.endpoint}/openai/v1`, apiKey: h.emulator.apiKey, maxRetries: 0 });
  });

  afterAll(async () => {
    await h.close();
  });

  it('creates, retrieves, downloads, remixes, lists and deletes', async () => {
    const created = await client.videos.create({ model: 'sora-2', prompt: 'a red kite over a beach', size: '1280x720', seconds: '4' });
    expect(created).toMatchObject({ object: 'video', status: 'queued', size: '1280x720', seconds: '4' });
    h.clock.advance(5);
    expect((await client.videos.retrieve(created.id)).status).toBe('in_progress');
    h.clock.advance(5);
    expect(await client.videos.retrieve(created.id)).toMatchObject({ status: 'completed', progress: 100 });

    const content = await client.videos.downloadContent(created.id);
    const file = join(h.dir, 'sdk.mp4');
    await writeFile(file, Buffer.from(await content.arrayBuffer()));
    expect(await probe(file)).toMatchObject({ codec: 'h264', width: 1280, height: 720, durationSeconds: 4 });
    const thumbnail = Buffer.from(await (await client.videos.downloadContent(created.id, { variant: 'thumbnail' })).arrayBuffer());
    expect([...thumbnail.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);

    const remix = await client.videos.remix(created.id, { prompt: 'the same kite at sunset' });
    expect(remix.remixed_from_video_id).toBe(created.id);

    const listed: string[] = [];
    for await (const video of client.videos.list({ limit: 1 })) listed.push(video.id);
    expect(listed).toEqual([remix.id, created.id]);

    expect(await client.videos.delete(created.id)).toMatchObject({ id: created.id, deleted: true });
    await expect(client.videos.retrieve(created.id)).rejects.toMatchObject({ status: 404 });
  });

  it('sends an input_reference as multipart', async () => {
    const reference = join(h.dir, 'reference.png');
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=720x1280', '-frames:v', '1', reference]);
    const video = await client.videos.create({
      model: 'sora-2',
      prompt: 'a street from this picture',
      input_reference: await toFile(await readFile(reference), 'reference.png', { type: 'image/png' }),
    });
    expect(video).toMatchObject({ status: 'queued', size: '720x1280' });
  });

  it('rejects an unsupported size with a 400 APIError naming the field', async () => {
    const error: unknown = await client.videos.create({ model: 'sora-2', prompt: 'too big', size: '1792x1024' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ status: 400, param: 'size', type: 'invalid_request_error' });
  });

  it('fails with 401 on a wrong key', async () => {
    const wrong = new OpenAI({ baseURL: `${h.emulator.endpoint}/openai/v1`, apiKey: 'wrong', maxRetries: 0 });
    await expect(wrong.videos.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });
});

function pythonWithRequests(): string | undefined {
  try {
    execFileSync('python3', ['-c', 'import requests'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'python3 with the requests package is not available';
  }
}

const pythonMissing = pythonWithRequests();
const FIXTURES = join(__dirname, 'fixtures');

describe('Azure Python quickstart (jobs API), unchanged', () => {
  let h: Harness;

  beforeAll(async () => {
    // The script sleeps 5 s (real time) before each poll, so this emulator runs on the real clock with 1-second jobs.
    h = await startHarness({ clock: systemClock, jobSeconds: 1, maxRunningJobs: 3 });
  });

  afterAll(async () => {
    await h.close();
  });

  async function runMode(mode: 'text' | 'image' | 'video'): Promise<{ stdout: string; output: string }> {
    const cwd = join(h.dir, mode);
    await mkdir(cwd, { recursive: true });
    if (mode === 'image') await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=640x480', '-frames:v', '1', join(cwd, 'dog_swimming.jpg')]);
    if (mode === 'video') await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=12', '-t', '3', '-pix_fmt', 'yuv420p', join(cwd, 'dog_swimming.mp4')]);
    const { stdout } = await run('python3', [join(FIXTURES, 'run_quickstart.py'), join(FIXTURES, 'quickstart-auth-api-key.py'), join(FIXTURES, `quickstart-${mode}-prompt.py`)], {
      cwd,
      env: { ...process.env, AZURE_OPENAI_ENDPOINT: h.emulator.endpoint, AZURE_OPENAI_API_KEY: h.emulator.apiKey },
      timeout: 120_000,
    });
    return { stdout, output: join(cwd, 'output.mp4') };
  }

  it.skipIf(pythonMissing !== undefined)('saves a playable output.mp4 of the requested size and length in text, image and video modes', { timeout: 180_000 }, async () => {
    const [text, image, video] = await Promise.all([runMode('text'), runMode('image'), runMode('video')]);
    expect(text.stdout).toMatch(/Job created: task_/);
    expect(text.stdout).toMatch(/Job status: succeeded/);
    expect(text.stdout).toMatch(/Generated video saved as "output.mp4"/);
    expect(await probe(text.output)).toMatchObject({ codec: 'h264', width: 480, height: 480, durationSeconds: 5 });
    for (const result of [image, video]) {
      expect(result.stdout).toMatch(/✅ Generated video saved as "output.mp4"/);
      expect(await probe(result.output)).toMatchObject({ codec: 'h264', width: 1920, height: 1080, durationSeconds: 10 });
    }
  });
});
