import { describe, expect, it } from 'vitest';
import { parseCreateVideoRequest, type ApiChoice } from '../../src/contracts/video-request';

const only = (api: 'jobs' | 'videos'): ApiChoice => ({ default: api, available: [api] });

function fieldsOf(body: unknown, api: 'jobs' | 'videos' = 'jobs'): string[] {
  const result = parseCreateVideoRequest(body, only(api));
  if (result.ok) throw new Error('expected the request to be rejected');
  return result.violations.map((v) => v.field);
}

describe('POST /api/videos body (jobs API)', () => {
  it('applies the documented defaults: 480x480, 5 s, 1 variant', () => {
    expect(parseCreateVideoRequest({ prompt: 'a cat' }, only('jobs'))).toEqual({
      ok: true,
      value: { id: undefined, spec: { api: 'jobs', prompt: 'a cat', width: 480, height: 480, nSeconds: 5, nVariants: 1 }, media: [] },
    });
  });

  it('accepts a client id of safe characters', () => {
    const result = parseCreateVideoRequest({ id: 'order-42_a', prompt: 'x' }, only('jobs'));
    expect(result.ok && result.value.id).toBe('order-42_a');
  });

  it.each([
    [{ width: 480, height: 480 }, ['prompt']],
    [{ prompt: '   ' }, ['prompt']],
    [{ prompt: 'x', width: 500, height: 500 }, ['width']],
    [{ prompt: 'x', n_seconds: 0 }, ['n_seconds']],
    [{ prompt: 'x', n_seconds: 21 }, ['n_seconds']],
    [{ prompt: 'x', n_seconds: 2.5 }, ['n_seconds']],
    [{ prompt: 'x', width: 1920, height: 1080, n_variants: 2 }, ['n_variants']],
    [{ prompt: 'x', width: 720, height: 720, n_variants: 3 }, ['n_variants']],
    [{ prompt: 'x', n_variants: 5 }, ['n_variants']],
    [{ prompt: 'x', id: '../etc' }, ['id']],
    [{ prompt: 'x', id: 'a'.repeat(65) }, ['id']],
    [{ prompt: 'x', nseconds: 5 }, ['nseconds']],
    [{ prompt: 7, width: 'wide', height: 480 }, ['prompt', 'width']],
  ])('rejects %j naming %j', (body, fields) => {
    expect(fieldsOf(body)).toEqual(fields);
  });

  it('rejects a body that is not an object', () => {
    expect(fieldsOf([1, 2])).toEqual(['(body)']);
    expect(fieldsOf(null)).toEqual(['(body)']);
  });
});

describe('POST /api/videos body (videos API, Sora 2)', () => {
  it('defaults to 720x1280 and 4 s', () => {
    const result = parseCreateVideoRequest({ prompt: 'x' }, only('videos'));
    expect(result.ok && result.value.spec).toEqual({ api: 'videos', prompt: 'x', width: 720, height: 1280, nSeconds: 4, nVariants: 1 });
  });

  it.each([
    [{ prompt: 'x', width: 480, height: 480 }, ['width']],
    [{ prompt: 'x', n_seconds: 5 }, ['n_seconds']],
    [{ prompt: 'x', n_variants: 2 }, ['n_variants']],
  ])('rejects %j naming %j', (body, fields) => {
    expect(fieldsOf(body, 'videos')).toEqual(fields);
  });
});

describe('choosing the API per request', () => {
  const both: ApiChoice = { default: 'jobs', available: ['jobs', 'videos'] };

  it('uses the default API unless the request names another one this app has a deployment for', () => {
    const byDefault = parseCreateVideoRequest({ prompt: 'x' }, both);
    expect(byDefault.ok && byDefault.value.spec.api).toBe('jobs');
    const chosen = parseCreateVideoRequest({ prompt: 'x', api: 'videos' }, both);
    expect(chosen.ok && chosen.value.spec).toMatchObject({ api: 'videos', width: 720, height: 1280, nSeconds: 4 });
  });

  it('refuses an API without a deployment, naming the field', () => {
    expect(fieldsOf({ prompt: 'x', api: 'videos' })).toEqual(['api']);
    expect(fieldsOf({ prompt: 'x', api: 'sora-3' })).toEqual(['api']);
  });
});
