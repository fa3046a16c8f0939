/**
 * A retired deployment: every call that reaches it answers 410 with the
 * service's error shape, whatever the route; the other API's deployment
 * answers as before. Marked from code, over the admin route, or from the start.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, type Harness, jobBody, startHarness } from './support';

let h: Harness;
const admin = (init?: RequestInit) => fetch(`${h.emulator.endpoint}/_emulator/retired-deployments`, init);
const retire = (deployment: string) => admin({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deployment }) });

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

afterEach(() => {
  h.emulator.retired.clear();
});

describe('a deployment marked retired over the admin route', () => {
  it('answers 410 ModelDeprecated on every route of its API, and counts the calls it refused', async () => {
    const made = (await (await h.json('/video/generations/jobs', jobBody())).json()) as { id: string };
    expect((await retire('sora')).status).toBe(201);

    const [create, ...others] = await Promise.all([
      h.json('/video/generations/jobs', jobBody()),
      h.call('/video/generations/jobs?limit=1'),
      h.call(`/video/generations/jobs/${made.id}`),
      h.call(`/video/generations/jobs/${made.id}`, { method: 'DELETE' }),
    ]);
    expect([create.status, ...others.map((r) => r.status)]).toEqual([410, 410, 410, 410]);
    const error = await errorOf(create);
    expect(error).toEqual({
      code: 'ModelDeprecated',
      message: "The model of deployment 'sora' has been retired and no longer serves requests. Deploy a model version that is still available and send requests to that deployment.",
      param: null,
      type: null,
    });
    expect(await (await admin()).json()).toEqual({ retired: [{ deployment: 'sora', refusedCalls: 4 }] });
  });

  it('leaves the other API alone', async () => {
    await retire('sora');
    expect((await h.json('/videos', { model: 'sora-2', prompt: 'still here' })).status).toBe(200);
    expect((await h.call('/videos?limit=1')).status).toBe(200);
  });

  it('still checks the key first: a wrong key is 401, not 410', async () => {
    await retire('sora-2');
    expect((await h.call('/videos', { headers: { 'api-key': 'wrong' } })).status).toBe(401);
  });

  it('refuses to retire a deployment the emulator does not serve, and serves again once cleared', async () => {
    const unknown = await retire('gpt-video');
    expect(unknown.status).toBe(400);
    expect(await errorOf(unknown)).toMatchObject({ code: 'invalid_value', param: 'deployment', message: "No deployment 'gpt-video'; the emulator serves sora and sora-2." });

    await retire('sora');
    expect((await admin({ method: 'DELETE' })).status).toBe(204);
    expect((await h.call('/video/generations/jobs?limit=1')).status).toBe(200);
    expect(await (await admin()).json()).toEqual({ retired: [] });
  });

  it('retires the OpenAI-compatible front with the videos deployment it stands for', async () => {
    h.emulator.retired.add('sora-2');
    const answer = await fetch(`${h.emulator.openAiBaseUrl}/videos?limit=1`, { headers: { authorization: `Bearer ${h.emulator.apiKey}` } });
    expect(answer.status).toBe(410);
    expect((await errorOf(answer)).code).toBe('ModelDeprecated');
  });
});

describe('a deployment retired from the start', () => {
  it('answers 410 from the first call', async () => {
    const retiredFromStart = await startHarness({ retiredDeployments: ['sora-2'] });
    try {
      expect((await retiredFromStart.json('/videos', { model: 'sora-2', prompt: 'too late' })).status).toBe(410);
      expect((await retiredFromStart.json('/video/generations/jobs', jobBody())).status).toBe(200);
    } finally {
      await retiredFromStart.close();
    }
  });
});
