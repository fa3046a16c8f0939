/** The pipeline settings: queue names, the webhook key and local http, checked with the app's other settings. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkSettings, loadConfig } from '../../src/config';

const minimal = { AZURE_OPENAI_ENDPOINT: 'https://my-aoai.openai.azure.com/', AZURE_OPENAI_DEPLOYMENT: 'my-sora-2', VideoStorage: 'UseDevelopmentStorage=true' };

function problemsOf(env: Record<string, string>): string[] {
  const checked = checkSettings(env);
  return checked.ok ? [] : checked.problems.map((p) => `${p.setting}: ${p.message}`);
}

describe('pipeline settings', () => {
  it('default to video-requests and video-results, no webhook key, https callbacks only', () => {
    const { events } = loadConfig(minimal);
    expect(events).toEqual({ requestsQueue: 'video-requests', resultsQueue: 'video-results', queueServiceUri: undefined, webhook: { secret: undefined, allowLocalHttp: false } });
  });

  it('read a whsec_ key as its bytes, with or without the prefix', () => {
    const key = randomBytes(32);
    expect(loadConfig({ ...minimal, WEBHOOK_SECRET: `whsec_${key.toString('base64')}` }).events.webhook.secret?.equals(key)).toBe(true);
    expect(loadConfig({ ...minimal, WEBHOOK_SECRET: key.toString('base64'), WEBHOOK_ALLOW_LOCAL_HTTP: 'true' }).events.webhook).toEqual({ secret: key, allowLocalHttp: true });
  });

  it('name each bad setting: a short key, a queue name whose poison queue would not fit, a non-boolean switch', () => {
    expect(
      problemsOf({ ...minimal, WEBHOOK_SECRET: `whsec_${randomBytes(8).toString('base64')}`, VIDEO_REQUESTS_QUEUE: `q${'x'.repeat(57)}`, WEBHOOK_ALLOW_LOCAL_HTTP: 'yes' }).map((p) => p.split(':')[0]),
    ).toEqual(['VIDEO_REQUESTS_QUEUE', 'WEBHOOK_SECRET', 'WEBHOOK_ALLOW_LOCAL_HTTP']);
    expect(problemsOf({ ...minimal, WEBHOOK_SECRET: 'not a key!' })).toEqual(['WEBHOOK_SECRET: must be whsec_ followed by base64 (e.g. whsec_$(openssl rand -base64 32))']);
  });
});
