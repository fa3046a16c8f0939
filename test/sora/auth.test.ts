import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { createSoraAuth, createVideoService, DEFAULT_SORA_SCOPE, SoraError } from '../../src/sora';

class CountingCredential implements TokenCredential {
  readonly scopes: (string | string[])[] = [];
  constructor(private readonly lifetimeMs: number) {}
  getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
    this.scopes.push(scopes);
    return Promise.resolve({ token: `token-${this.scopes.length}`, expiresOnTimestamp: Date.now() + this.lifetimeMs });
  }
}

const job = { object: 'video.generation.job', id: 'task_1', status: 'queued', created_at: 1, finished_at: null, expires_at: null, generations: [] };

function recordingFetch() {
  const headers: Headers[] = [];
  const fetch: typeof globalThis.fetch = (_input, init) => {
    headers.push(new Headers(init?.headers));
    return Promise.resolve(Response.json(job));
  };
  return { headers, fetch };
}

describe('Sora auth', () => {
  it('sends the api-key header and no bearer token', async () => {
    const recorder = recordingFetch();
    const sora = createVideoService({ api: 'jobs', endpoint: 'http://x', deployment: 'sora', apiKey: 'secret', fetch: recorder.fetch });
    await sora.getJob('task_1');
    expect(recorder.headers[0]?.get('api-key')).toBe('secret');
    expect(recorder.headers[0]?.has('authorization')).toBe(false);
  });

  it('sends an Entra ID bearer token for the default scope and reuses it while it is fresh', async () => {
    const credential = new CountingCredential(60 * 60_000);
    const recorder = recordingFetch();
    const sora = createVideoService({ api: 'jobs', endpoint: 'http://x', deployment: 'sora', credential, fetch: recorder.fetch });
    await sora.getJob('task_1');
    await sora.getJob('task_1');
    expect(credential.scopes).toEqual([DEFAULT_SORA_SCOPE]);
    expect(recorder.headers.map((h) => h.get('authorization'))).toEqual(['Bearer token-1', 'Bearer token-1']);
    expect(recorder.headers[0]?.has('api-key')).toBe(false);
  });

  it('renews a token that is about to expire, with the configured scope', async () => {
    const credential = new CountingCredential(30_000);
    const auth = createSoraAuth({ credential, scope: 'https://ai.azure.com/.default' });
    expect(await auth()).toEqual({ authorization: 'Bearer token-1' });
    expect(await auth()).toEqual({ authorization: 'Bearer token-2' });
    expect(credential.scopes).toEqual(['https://ai.azure.com/.default', 'https://ai.azure.com/.default']);
  });

  it('sends the key of an OpenAI-compatible endpoint as a bearer token, to paths right under its base URL', async () => {
    const calls: { url: string; headers: Headers }[] = [];
    const video = { id: 'video_1', object: 'video', status: 'queued', created_at: 1 };
    const fetch: typeof globalThis.fetch = (input, init) => {
      calls.push({ url: input instanceof Request ? input.url : input.toString(), headers: new Headers(init?.headers) });
      return Promise.resolve(Response.json(video));
    };
    const gateway = createVideoService({ api: 'openai', baseUrl: 'https://gateway.example/v1/', model: 'sora-2', apiKey: 'sk-key', fetch });
    await gateway.getJob('video_1');
    expect(calls.map((c) => [c.url, c.headers.get('authorization'), c.headers.has('api-key')])).toEqual([['https://gateway.example/v1/videos/video_1', 'Bearer sk-key', false]]);
  });

  it('names a credential that gets no token, without calling the service', async () => {
    const failing: TokenCredential = { getToken: () => Promise.reject(new Error('ManagedIdentityCredential: no identity assigned')) };
    const recorder = recordingFetch();
    const sora = createVideoService({ api: 'jobs', endpoint: 'http://x', deployment: 'sora', credential: failing, fetch: recorder.fetch });
    const error: unknown = await sora.getJob('task_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SoraError);
    expect(error).toMatchObject({
      status: undefined,
      code: 'credential_failed',
      serviceMessage: 'no token for scope https://cognitiveservices.azure.com/.default: ManagedIdentityCredential: no identity assigned',
      retryable: true,
    });
    expect(recorder.headers).toEqual([]);
  });

  it('refuses to guess between two kinds of auth, or none', () => {
    expect(() => createSoraAuth({ apiKey: 'k', credential: new CountingCredential(1) })).toThrow(/either/);
    expect(() => createSoraAuth({})).toThrow(/apiKey or credential/);
  });
});
