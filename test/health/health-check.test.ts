/**
 * What GET /api/health reports, from the real probes against Azurite and the
 * Sora emulator over HTTP: each configured API's state from one cheap call,
 * storage, and bad settings by name — nothing secret — and the one-minute
 * cache on an injected clock.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkSettings, loadConfig } from '../../src/config';
import { createDependencies } from '../../src/dependencies';
import { checkHealth, HEALTH_CACHE_MS, HealthCache, videoStateOf, type HealthParts } from '../../src/http/health-check';
import { SoraError } from '../../src/sora';
import { DEV_ACCOUNT_KEY, startAzurite, type Azurite } from '../../src/local/azurite';
import { startSoraEmulator, type SoraEmulator } from '../../src/local/sora-emulator';

let azurite: Azurite;
let emulator: SoraEmulator;
let now = Date.parse('2026-11-25T12:00:00Z');

beforeAll(async () => {
  [azurite, emulator] = await Promise.all([startAzurite(), startSoraEmulator({ port: 0, requestsPerMinute: 10_000, log: () => undefined })]);
});
afterEach(() => {
  emulator.retired.clear();
});
afterAll(async () => {
  await emulator.close();
  await azurite.close();
});

/** All three APIs configured on the emulator, the jobs API the default. */
function settings(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    SORA_API: 'jobs',
    AZURE_OPENAI_ENDPOINT: emulator.endpoint,
    AZURE_OPENAI_API_KEY: emulator.apiKey,
    AZURE_OPENAI_DEPLOYMENT: emulator.deployments.jobs,
    AZURE_OPENAI_VIDEOS_DEPLOYMENT: emulator.deployments.videos,
    OPENAI_BASE_URL: emulator.openAiBaseUrl,
    OPENAI_API_KEY: emulator.apiKey,
    OPENAI_VIDEO_MODEL: emulator.deployments.videos,
    VideoStorage: azurite.connectionString,
    ...overrides,
  };
}

function parts(env: Record<string, string>): HealthParts {
  return { settings: () => checkSettings(env), deps: () => createDependencies(loadConfig(env)), now: () => now };
}

const ok = { state: 'ok', status: null, code: null };

describe('the report', () => {
  it('is ok when every API answers its list call and storage answers', async () => {
    expect(await checkHealth(parts(settings()))).toEqual({
      status: 'ok',
      checkedAt: '2026-11-25T12:00:00.000Z',
      settings: { state: 'ok', invalid: [] },
      storage: ok,
      video: { jobs: { ...ok, default: true }, videos: { ...ok, default: false }, openai: { ...ok, default: false } },
    });
  });

  it('says model_retired for the APIs on a retired deployment and ok for the other, with what the service answered', async () => {
    emulator.retired.add(emulator.deployments.videos);
    const report = await checkHealth(parts(settings()));
    expect(report.status).toBe('unhealthy');
    expect(report.video).toEqual({
      jobs: { ...ok, default: true },
      videos: { state: 'model_retired', default: false, status: 410, code: 'ModelDeprecated' },
      openai: { state: 'model_retired', default: false, status: 410, code: 'ModelDeprecated' },
    });
  });

  it('says unauthorized for a key the service refuses, and for storage that refuses its credentials', async () => {
    const report = await checkHealth(parts(settings({ AZURE_OPENAI_API_KEY: 'wrong-key', VideoStorage: azurite.connectionString.replace(DEV_ACCOUNT_KEY, Buffer.from('not the key').toString('base64')) })));
    expect(report.storage).toEqual({ state: 'unauthorized', status: 403, code: 'AuthorizationFailure' });
    expect(report.video.jobs).toEqual({ state: 'unauthorized', default: true, status: 401, code: '401' });
    expect(report.video.openai).toEqual({ ...ok, default: false });
  });

  it('counts an identity that gets no token as unauthorized, a throttled service as up, anything else as unreachable', () => {
    const failure = (status: number | undefined, code: string) =>
      new SoraError({ status, code, serviceMessage: '', param: null, requestId: null, region: null, retryAfterMs: null, retryable: false });
    expect(videoStateOf(failure(undefined, 'credential_failed'))).toBe('unauthorized');
    expect(videoStateOf(failure(403, 'PermissionDenied'))).toBe('unauthorized');
    expect(videoStateOf(failure(429, 'too_many_requests'))).toBe('ok');
    expect(videoStateOf(failure(404, '404'))).toBe('unreachable');
    expect(videoStateOf(failure(undefined, 'network_error'))).toBe('unreachable');
  });

  it('names each bad setting, checks nothing else, and shows no value', async () => {
    const env = settings({ SORA_API: 'sora3', AZURE_OPENAI_API_KEY: 'very-secret-key' });
    expect(await checkHealth(parts(env))).toEqual({
      status: 'unhealthy',
      checkedAt: '2026-11-25T12:00:00.000Z',
      settings: { state: 'invalid', invalid: [{ setting: 'SORA_API', message: 'must be one of jobs, videos, openai' }] },
      storage: { state: 'not_checked', status: null, code: null },
      video: {},
    });
  });

  it('carries no key, endpoint, connection string or deployment name', async () => {
    emulator.retired.add(emulator.deployments.jobs);
    const text = JSON.stringify(await checkHealth(parts(settings())));
    for (const secretOrName of [emulator.apiKey, emulator.endpoint, '127.0.0.1', DEV_ACCOUNT_KEY, `'${emulator.deployments.jobs}'`, emulator.deployments.videos]) {
      expect(text).not.toContain(secretOrName);
    }
  });
});

describe('the cache', () => {
  it('answers from the last report for a minute, then probes again', async () => {
    let probes = 0;
    const env = parts(settings());
    const cache = new HealthCache(
      () => {
        probes++;
        return checkHealth(env);
      },
      () => now,
    );
    expect((await cache.report()).video.jobs?.state).toBe('ok');

    emulator.retired.add(emulator.deployments.jobs);
    now += HEALTH_CACHE_MS - 1;
    expect((await cache.report()).video.jobs?.state).toBe('ok');
    expect(probes).toBe(1);

    now += 1;
    expect((await cache.report()).video.jobs?.state).toBe('model_retired');
    expect(probes).toBe(2);
  });

  it('lets callers that arrive while a probe runs share it', async () => {
    let probes = 0;
    const env = parts(settings());
    const cache = new HealthCache(
      () => {
        probes++;
        return checkHealth(env);
      },
      () => now,
    );
    const reports = await Promise.all([cache.report(), cache.report(), cache.report()]);
    expect(probes).toBe(1);
    expect(new Set(reports.map((r) => r.checkedAt)).size).toBe(1);
  });
});
