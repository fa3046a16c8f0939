/**
 * Real clients against the emulator: the unmodified `openai` npm SDK on the
 * videos API (Sora 2) and on the OpenAI-compatible front (a plain base URL),
 * and for the jobs API (Sora) a small client of our own that follows the
 * quickstart's documented wire steps in its text, image and video modes.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpeg, form, type Harness, probe, startHarness } from './support';

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

describe('openai SDK on the OpenAI-compatible front, with nothing but a base URL and a key', () => {
  let h: Harness;
  let client: OpenAI;

  beforeAll(async () => {
    h = await startHarness();
    client = new OpenAI({ baseURL: h.emulator.openAiBaseUrl, apiKey: h.emulator.apiKey, maxRetries: 0 });
  });

  afterAll(async () => {
    await h.close();
  });

  it('creates, retrieves, downloads, remixes, lists and deletes under /v1, the model standing for the deployment', async () => {
    expect(h.emulator.openAiBaseUrl).toBe(`${h.emulator.endpoint}/v1`);
    const created = await client.videos.create({ model: 'sora-2', prompt: 'a paper boat on a rainy street', size: '720x1280', seconds: '4' });
    expect(created).toMatchObject({ object: 'video', model: 'sora-2', status: 'queued', size: '720x1280', seconds: '4' });
    h.clock.advance(10);
    expect(await client.videos.retrieve(created.id)).toMatchObject({ status: 'completed', progress: 100 });

    const file = join(h.dir, 'gateway.mp4');
    await writeFile(file, Buffer.from(await (await client.videos.downloadContent(created.id)).arrayBuffer()));
    expect(await probe(file)).toMatchObject({ codec: 'h264', width: 720, height: 1280, durationSeconds: 4 });

    const remix = await client.videos.remix(created.id, { prompt: 'the same boat at night' });
    expect(remix.remixed_from_video_id).toBe(created.id);
    expect(h.emulator.createdJobs().map((job) => [job.api, job.surface])).toEqual([['videos', 'openai'], ['videos', 'openai']]);
    const listed: string[] = [];
    for await (const video of client.videos.list({ limit: 1 })) listed.push(video.id);
    expect(listed).toEqual([remix.id, created.id]);
    expect(await client.videos.delete(remix.id)).toMatchObject({ id: remix.id, deleted: true });
    await expect(client.videos.retrieve(remix.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('answers a model it does not have with 404 model_not_found, as OpenAI does', async () => {
    const error: unknown = await client.videos.create({ model: 'sora-2-pro', prompt: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'model_not_found', param: 'model' });
  });

  it("takes the key as a bearer token only: Azure's api-key header is a 401 invalid_api_key", async () => {
    const wrong = new OpenAI({ baseURL: h.emulator.openAiBaseUrl, apiKey: 'wrong', maxRetries: 0 });
    await expect(wrong.videos.list()).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
    const azureStyle = await fetch(`${h.emulator.openAiBaseUrl}/videos`, { headers: { 'api-key': h.emulator.apiKey } });
    expect(azureStyle.status).toBe(401);
  });

  it('serves no jobs API under /v1', async () => {
    const answer = await fetch(`${h.emulator.openAiBaseUrl}/video/generations/jobs`, { headers: { authorization: `Bearer ${h.emulator.apiKey}` } });
    expect(answer.status).toBe(404);
  });
});

/**
 * A client of our own written from the quickstart's documented wire steps,
 * nothing but fetch: create a job (JSON, or multipart with inpaint_items and
 * files), poll the job until it succeeds, download the first generation's
 * `content/video` to output.mp4. Instead of sleeping between polls it moves
 * the emulator's clock on.
 */
async function quickstartClient(h: Harness, body: Record<string, unknown> | FormData, cwd: string): Promise<{ status: string; output: string }> {
  const base = `${h.emulator.endpoint}/openai/v1/video/generations`;
  const headers = { 'api-key': h.emulator.apiKey };
  const created = await fetch(`${base}/jobs?api-version=preview`, {
    method: 'POST',
    headers: body instanceof FormData ? headers : { ...headers, 'content-type': 'application/json' },
    body: body instanceof FormData ? body : JSON.stringify(body),
  });
  expect(created.status).toBe(200);
  let job = (await created.json()) as { id: string; status: string; generations?: { id: string }[] };
  expect(job.id).toMatch(/^task_/);
  while (!['succeeded', 'failed', 'cancelled'].includes(job.status)) {
    h.clock.advance(5);
    job = (await (await fetch(`${base}/jobs/${job.id}?api-version=preview`, { headers })).json()) as typeof job;
  }
  const generation = job.generations?.[0]?.id ?? '';
  const video = await fetch(`${base}/${generation}/content/video?api-version=preview`, { headers });
  expect(video.status).toBe(200);
  const output = join(cwd, 'output.mp4');
  await writeFile(output, Buffer.from(await video.arrayBuffer()));
  return { status: job.status, output };
}

describe('a quickstart-style client of our own (jobs API)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ maxRunningJobs: 3 });
  });

  afterAll(async () => {
    await h.close();
  });

  it('saves a playable output.mp4 of the requested size and length from a text prompt', async () => {
    const result = await quickstartClient(h, { model: 'sora', prompt: 'A cat playing piano in a jazz bar.', width: 480, height: 480, n_seconds: 5 }, h.dir);
    expect(result.status).toBe('succeeded');
    expect(await probe(result.output)).toMatchObject({ codec: 'h264', width: 480, height: 480, durationSeconds: 5 });
  });

  it.each(['image', 'video'] as const)('saves a playable output.mp4 from a prompt with an input %s sent as multipart', { timeout: 120_000 }, async (mode) => {
    const cwd = join(h.dir, mode);
    await mkdir(cwd, { recursive: true });
    const input = join(cwd, mode === 'image' ? 'input.jpg' : 'input.mp4');
    if (mode === 'image') await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=640x480', '-frames:v', '1', input]);
    else await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=12', '-t', '3', '-pix_fmt', 'yuv420p', input]);
    const fileName = mode === 'image' ? 'input.jpg' : 'input.mp4';
    const body = await form(
      {
        model: 'sora',
        prompt: 'A dog swimming in a pool.',
        width: '1920',
        height: '1080',
        n_seconds: '10',
        inpaint_items: JSON.stringify([{ frame_index: 0, type: mode, file_name: fileName, crop_bounds: { left_fraction: 0, top_fraction: 0, right_fraction: 1, bottom_fraction: 1 } }]),
      },
      [['files', fileName, input, mode === 'image' ? 'image/jpeg' : 'video/mp4']],
    );
    const result = await quickstartClient(h, body, cwd);
    expect(result.status).toBe('succeeded');
    expect(await probe(result.output)).toMatchObject({ codec: 'h264', width: 1920, height: 1080, durationSeconds: 10 });
  });
});
