/**
 * Who may call and how often: key auth (api-key or Bearer), unknown
 * deployments, api-version, the two-running-jobs limit and the request rate,
 * both answering 429 with retry-after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, type Harness, jobBody, startHarness } from './support';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

describe('auth', () => {
  it('accepts the key as api-key or as a Bearer token', async () => {
    expect((await h.call('/videos', { headers: { 'api-key': h.emulator.apiKey } })).status).toBe(200);
    expect((await h.call('/videos', { headers: { authorization: `Bearer ${h.emulator.apiKey}` } })).status).toBe(200);
  });

  it.each([
    ['a wrong api-key', { 'api-key': 'not-the-key' }],
    ['a wrong Bearer token', { authorization: 'Bearer not-the-key' }],
    ['a key with one character more', { 'api-key': 'local-sora-key!' }],
    ['a Basic header', { authorization: 'Basic bG9jYWwtc29yYS1rZXk=' }],
  ])('answers 401 to %s with an Azure-shaped body', async (_name, headers) => {
    for (const path of ['/video/generations/jobs', '/videos']) {
      const response = await h.call(path, { headers });
      expect(response.status).toBe(401);
      const error = await errorOf(response);
      expect(error.code).toBe('401');
      expect(error.message).toMatch(/Access denied due to invalid subscription key/);
    }
  });

  it('answers 401 when no key is sent at all, before anything else', async () => {
    const response = await fetch(`${h.emulator.endpoint}/openai/v1/video/generations/jobs`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(401);
  });
});

describe('deployments and versions', () => {
  it('answers 404 DeploymentNotFound for an unknown model on either API', async () => {
    const jobs = await h.json('/video/generations/jobs?api-version=preview', jobBody({ model: 'sora-x' }));
    expect(jobs.status).toBe(404);
    expect((await errorOf(jobs)).code).toBe('DeploymentNotFound');
    const videos = await h.json('/videos', { model: 'sora', prompt: 'a boat' });
    expect(videos.status).toBe(404);
    expect((await errorOf(videos)).code).toBe('DeploymentNotFound');
  });

  it('accepts api-version preview, v1 or none, and refuses any other', async () => {
    for (const query of ['?api-version=preview', '?api-version=v1', '']) {
      expect((await h.call(`/video/generations/jobs${query}`)).status).toBe(200);
    }
    const refused = await h.call('/video/generations/jobs?api-version=2024-10-21');
    expect(refused.status).toBe(400);
    const error = await errorOf(refused);
    expect(error.param).toBe('api-version');
    expect(error.message).toMatch(/API version not supported/);
  });

  it('answers 404 on paths the service does not have', async () => {
    expect((await h.call('/video/generations/jobs/x/y')).status).toBe(404);
    expect((await h.call('/chat/completions')).status).toBe(404);
  });
});

describe('running jobs limit', () => {
  it('answers 429 with retry-after to the third concurrent job of a deployment, and accepts it once one finished', async () => {
    const first = await h.json('/video/generations/jobs', jobBody());
    h.clock.advance(4);
    const second = await h.json('/video/generations/jobs', jobBody());
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await h.json('/video/generations/jobs', jobBody());
    expect(third.status).toBe(429);
    // The first job ends 6 s from now (10 s jobs): that is when a retry can pass.
    expect(third.headers.get('retry-after')).toBe('6');
    expect(third.headers.get('retry-after-ms')).toBe('6000');
    expect((await errorOf(third)).code).toBe('too_many_requests');

    // The other deployment has its own limit.
    expect((await h.json('/videos', { model: 'sora-2', prompt: 'a boat' })).status).toBe(200);

    h.clock.advance(6);
    expect((await h.json('/video/generations/jobs', jobBody())).status).toBe(200);
  });
});

describe('request rate', () => {
  it('answers 429 beyond the configured requests per minute, and lets calls through a minute later', async () => {
    const limited = await startHarness({ requestsPerMinute: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await limited.call('/videos')).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const refused = await limited.call('/videos');
      expect(refused.headers.get('retry-after')).toBe('60');
      limited.clock.advance(60);
      expect((await limited.call('/videos')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('counts the requests it answered by method and operation, the 429s among them', async () => {
    const limited = await startHarness({ requestsPerMinute: 3 });
    try {
      const created = (await (await limited.json('/video/generations/jobs', jobBody())).json()) as { id: string };
      await limited.call(`/video/generations/jobs/${created.id}`);
      await limited.call(`/video/generations/jobs/${created.id}`);
      // Over the limit: turned away before the generation is even looked up.
      expect((await limited.call('/video/generations/gen_any/content/video', { method: 'HEAD' })).status).toBe(429);
      expect(limited.emulator.requestCounts()).toEqual([
        { kind: 'GET getJob', answered: 2, throttled: 0 },
        { kind: 'HEAD content', answered: 1, throttled: 1 },
        { kind: 'POST createJob', answered: 1, throttled: 0 },
      ]);
    } finally {
      await limited.close();
    }
  });
});
