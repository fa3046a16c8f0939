/**
 * The acceptedThenReset fault: the create is taken — the job exists, runs and
 * is listed — but the connection dies before the answer. And what the lists
 * must say for such a job to be found again: when it was made, from what.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, jobBody, startHarness } from './support';

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

/** The code of the network failure a fetch ended with (undici's for a socket closed mid-request), or 'answered'. */
async function failureOf(response: Promise<Response>): Promise<string> {
  return response.then(
    () => 'answered',
    (error: unknown) => (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message,
  );
}

describe('acceptedThenReset', () => {
  it('jobs API: the connection dies, yet the job exists and is listed with its time, prompt and parameters', async () => {
    h.emulator.faults.add({ kind: 'acceptedThenReset', operation: 'createJob', times: 1 });
    const failure = await failureOf(h.json('/video/generations/jobs', jobBody({ prompt: 'answer never came', width: 854, height: 480, n_seconds: 3, n_variants: 2 })));
    expect(failure).toBe('UND_ERR_SOCKET');

    const list = (await (await h.call('/video/generations/jobs?limit=1')).json()) as { data: Record<string, unknown>[] };
    expect(list.data[0]).toMatchObject({
      object: 'video.generation.job',
      status: 'queued',
      created_at: Math.floor(h.clock.now() / 1000),
      prompt: 'answer never came',
      width: 854,
      height: 480,
      n_seconds: 3,
      n_variants: 2,
      model: 'sora',
    });
    expect(h.emulator.createdJobs().at(-1)).toEqual({ api: 'jobs', surface: 'azure', id: list.data[0]?.id, prompt: 'answer never came' });
  });

  it('videos API: the same for a video, listed with size and seconds', async () => {
    h.emulator.faults.add({ kind: 'acceptedThenReset', operation: 'createVideo', times: 1 });
    expect(await failureOf(h.json('/videos', { model: 'sora-2', prompt: 'video answer lost', size: '1280x720', seconds: '8' }))).toBe('UND_ERR_SOCKET');
    const list = (await (await h.call('/videos?limit=1')).json()) as { data: Record<string, unknown>[] };
    expect(list.data[0]).toMatchObject({ object: 'video', status: 'queued', prompt: 'video answer lost', size: '1280x720', seconds: '8', remixed_from_video_id: null });
  });

  it('is used only by a create that is accepted: a refused create answers and leaves the fault for the next', async () => {
    h.emulator.faults.add({ kind: 'acceptedThenReset', operation: 'createJob', times: 1 });
    const refused = await h.json('/video/generations/jobs', jobBody({ width: 500 }));
    expect(refused.status).toBe(400);
    expect(h.emulator.faults.list()).toEqual([{ kind: 'acceptedThenReset', operation: 'createJob', times: 1 }]);
    expect(await failureOf(h.json('/video/generations/jobs', jobBody()))).toBe('UND_ERR_SOCKET');
    expect((await h.json('/video/generations/jobs', jobBody())).status).toBe(200);
  });

  it('can be added over the admin route, for create operations only', async () => {
    const post = (fault: unknown) =>
      fetch(`${h.emulator.endpoint}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
    expect((await post({ kind: 'acceptedThenReset', operation: 'remix', times: 2 })).status).toBe(201);
    const refused = await post({ kind: 'acceptedThenReset', operation: 'getJob' });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { param: string } }).error.param).toBe('operation');
  });
});

describe('listVideos', () => {
  it('can be faulted like the other operations', async () => {
    h.emulator.faults.add({ kind: 'status', operation: 'listVideos', status: 503, times: 1 });
    expect((await h.call('/videos')).status).toBe(503);
    expect((await h.call('/videos')).status).toBe(200);
  });
});
