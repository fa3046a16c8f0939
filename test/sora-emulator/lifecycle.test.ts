/**
 * Job lifecycles on the emulator clock: the jobs API's five statuses, the
 * videos API's progress, cancel and delete, expiry, moderation, list paging,
 * and the request-id headers on every answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, jobBody, type Harness } from './support';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ maxRunningJobs: 100, blockList: ['forbidden', 'gore'] });
});

afterAll(async () => {
  await h.close();
});

interface Job {
  id: string;
  status: string;
  created_at: number;
  finished_at: number | null;
  expires_at: number | null;
  generations: { id: string; job_id: string }[];
  failure_reason: string | null;
}

interface Video {
  id: string;
  status: string;
  progress: number;
  created_at: number;
  completed_at: number | null;
  expires_at: number;
  error: { code: string; message: string } | null;
}

async function getJob(id: string): Promise<Job> {
  return (await (await h.call(`/video/generations/jobs/${id}?api-version=preview`)).json()) as Job;
}

async function getVideo(id: string): Promise<Video> {
  return (await (await h.call(`/videos/${id}`)).json()) as Video;
}

describe('jobs API lifecycle', () => {
  it('goes queued → preprocessing → running → processing → succeeded as the clock moves', async () => {
    const created = (await (await h.json('/video/generations/jobs?api-version=preview', jobBody({ n_variants: 2 }))).json()) as Job;
    expect(created).toMatchObject({ status: 'queued', finished_at: null, expires_at: null, generations: [], failure_reason: null });
    expect(created.id).toMatch(/^task_[0-9a-z]{26}$/);
    const seen: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      h.clock.advance(1.05);
      seen.push((await getJob(created.id)).status);
    }
    expect([...new Set(seen)]).toEqual(['preprocessing', 'running', 'processing', 'succeeded']);
    const done = await getJob(created.id);
    expect(done.finished_at).toBe(created.created_at + 10);
    expect(done.expires_at).toBe(created.created_at + 24 * 3600);
    expect(done.generations).toHaveLength(2);
    expect(done.generations.every((g) => /^gen_/.test(g.id) && g.job_id === created.id)).toBe(true);

    const generation = await h.call(`/video/generations/${done.generations[0]?.id ?? ''}`);
    expect(await generation.json()).toMatchObject({ object: 'video.generation', job_id: created.id, width: 480, height: 480, n_seconds: 1 });
  });

  it('DELETE cancels a job in flight (204) and deletes a finished one (then 404)', async () => {
    const job = (await (await h.json('/video/generations/jobs', jobBody())).json()) as Job;
    h.clock.advance(3);
    const cancel = await h.call(`/video/generations/jobs/${job.id}`, { method: 'DELETE' });
    expect(cancel.status).toBe(204);
    expect(await cancel.text()).toBe('');
    h.clock.advance(30);
    const cancelled = await getJob(job.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.finished_at).toBe(job.created_at + 3);

    expect((await h.call(`/video/generations/jobs/${job.id}`, { method: 'DELETE' })).status).toBe(204);
    const gone = await h.call(`/video/generations/jobs/${job.id}`);
    expect(gone.status).toBe(404);
  });

  it('fails a job whose prompt hits the block list with input_moderation', async () => {
    const job = (await (await h.json('/video/generations/jobs', jobBody({ prompt: 'A scene full of GORE, please' }))).json()) as Job;
    expect(job.status).toBe('queued');
    h.clock.advance(2);
    const failed = await getJob(job.id);
    expect(failed).toMatchObject({ status: 'failed', failure_reason: 'input_moderation', generations: [] });
    expect(failed.finished_at).not.toBeNull();
  });

  it('lists newest first with limit, after/before cursors and a status filter', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      ids.push(((await (await h.json('/video/generations/jobs', jobBody({ prompt: `page item ${i}` }))).json()) as Job).id);
      h.clock.advance(0.01);
    }
    const first = (await (await h.call('/video/generations/jobs?limit=2&statuses=queued')).json()) as { object: string; data: Job[]; has_more: boolean; first_id: string; last_id: string };
    expect(first.object).toBe('list');
    expect(first.data.map((j) => j.id)).toEqual([ids[2], ids[1]]);
    expect(first).toMatchObject({ has_more: true, first_id: ids[2], last_id: ids[1] });
    const second = (await (await h.call(`/video/generations/jobs?limit=2&statuses=queued&after=${first.last_id}`)).json()) as { data: Job[]; has_more: boolean };
    expect(second.data.map((j) => j.id)).toEqual([ids[0]]);
    expect(second.has_more).toBe(false);
    const before = (await (await h.call(`/video/generations/jobs?limit=5&statuses=queued&before=${ids[0] ?? ''}`)).json()) as { data: Job[] };
    expect(before.data.map((j) => j.id)).toEqual([ids[2], ids[1]]);
    const bad = await h.call('/video/generations/jobs?statuses=done');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { param: string } }).error.param).toBe('statuses');
  });
});

describe('videos API lifecycle', () => {
  it('goes queued → in_progress with rising progress → completed', async () => {
    const created = (await (await h.json('/videos', { model: 'sora-2', prompt: 'a paper boat', seconds: '4', size: '720x1280' })).json()) as Video & Record<string, unknown>;
    expect(created).toMatchObject({ object: 'video', status: 'queued', progress: 0, model: 'sora-2', seconds: '4', size: '720x1280', completed_at: null, error: null, remixed_from_video_id: null });
    expect(created.id).toMatch(/^video_[0-9a-f]{32}$/);
    expect(created.expires_at).toBe(created.created_at + 86400);
    const progress: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      h.clock.advance(2);
      const video = await getVideo(created.id);
      expect(video.status).toBe('in_progress');
      progress.push(video.progress);
    }
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress[0]).toBeGreaterThan(0);
    expect(progress.at(-1)).toBeLessThan(100);
    h.clock.advance(2.5);
    const done = await getVideo(created.id);
    expect(done).toMatchObject({ status: 'completed', progress: 100, completed_at: created.created_at + 10 });
  });

  it('reports moderation as failed with error.code moderation_blocked', async () => {
    const created = (await (await h.json('/videos', { model: 'sora-2', prompt: 'something forbidden' })).json()) as Video;
    h.clock.advance(5);
    const failed = await getVideo(created.id);
    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('moderation_blocked');
  });

  it('deletes with 200 video.deleted, lists with order and after', async () => {
    const a = (await (await h.json('/videos', { model: 'sora-2', prompt: 'first' })).json()) as Video;
    h.clock.advance(0.01);
    const b = (await (await h.json('/videos', { model: 'sora-2', prompt: 'second' })).json()) as Video;
    const asc = (await (await h.call('/videos?order=asc&limit=100')).json()) as { data: Video[]; has_more: boolean; last_id: string };
    const ascIds = asc.data.map((v) => v.id);
    expect(ascIds.indexOf(a.id)).toBeLessThan(ascIds.indexOf(b.id));
    const desc = (await (await h.call('/videos?limit=1')).json()) as { data: Video[]; has_more: boolean; last_id: string };
    expect(desc.data.map((v) => v.id)).toEqual([b.id]);
    expect(desc.has_more).toBe(true);
    const next = (await (await h.call(`/videos?limit=1&after=${desc.last_id}`)).json()) as { data: Video[] };
    expect(next.data.map((v) => v.id)).toEqual([a.id]);

    const deleted = await h.call(`/videos/${a.id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ id: a.id, object: 'video.deleted', deleted: true });
    expect((await h.call(`/videos/${a.id}`)).status).toBe(404);
  });
});

describe('every answer carries request ids', () => {
  it('on success, on errors and on the 401', async () => {
    const answers = await Promise.all([
      h.call('/video/generations/jobs'),
      h.call('/video/generations/jobs/task_missing'),
      h.call('/videos', { headers: { 'api-key': 'wrong' } }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([200, 404, 401]);
    for (const answer of answers) {
      expect(answer.headers.get('apim-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(answer.headers.get('x-request-id')).toBe(answer.headers.get('apim-request-id'));
    }
  });
});
