import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';

const minimal = { AZURE_OPENAI_ENDPOINT: 'https://my-aoai.openai.azure.com/', VideoStorage: 'UseDevelopmentStorage=true' };

describe('settings', () => {
  it('works with just an endpoint and a storage connection, using managed identity for Sora', () => {
    const config = loadConfig(minimal);
    expect(config.sora).toMatchObject({ api: 'jobs', endpoint: 'https://my-aoai.openai.azure.com', deployments: { jobs: 'sora', videos: undefined } });
    expect(config.sora.auth).toEqual({ kind: 'identity', clientId: undefined, scope: 'https://cognitiveservices.azure.com/.default' });
    expect(config.storage).toMatchObject({ videosContainer: 'videos', inputsContainer: 'video-inputs' });
  });

  it('uses an API key when one is set, and the Sora 2 deployment by default for the videos API', () => {
    const config = loadConfig({ ...minimal, AZURE_OPENAI_API_KEY: 'k', SORA_API: 'videos' });
    expect(config.sora.auth).toEqual({ kind: 'apiKey', apiKey: 'k' });
    expect(config.sora.deployments).toEqual({ jobs: undefined, videos: 'sora-2' });
  });

  it('offers both APIs when both deployments are configured, the default one first', () => {
    const config = loadConfig({ ...minimal, SORA_API: 'jobs', AZURE_OPENAI_DEPLOYMENT: 'my-sora', AZURE_OPENAI_VIDEOS_DEPLOYMENT: 'my-sora-2' });
    expect(config.sora).toMatchObject({ api: 'jobs', deployments: { jobs: 'my-sora', videos: 'my-sora-2' } });
  });

  it('follows the Functions identity convention for storage and honours AZURE_CLIENT_ID', () => {
    const config = loadConfig({
      AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com',
      VideoStorage__blobServiceUri: 'https://acct.blob.core.windows.net',
      AZURE_CLIENT_ID: 'client-1',
    });
    expect(config.storage.connection).toEqual({ kind: 'identity', blobServiceUri: 'https://acct.blob.core.windows.net', clientId: 'client-1' });
    expect(config.sora.auth).toMatchObject({ kind: 'identity', clientId: 'client-1' });
  });

  it.each([
    [{ VideoStorage: 'UseDevelopmentStorage=true' }, 'AZURE_OPENAI_ENDPOINT'],
    [{ ...minimal, AZURE_OPENAI_ENDPOINT: 'not a url' }, 'AZURE_OPENAI_ENDPOINT'],
    [{ AZURE_OPENAI_ENDPOINT: 'https://x' }, 'VideoStorage'],
    [{ ...minimal, SORA_API: 'sora3' }, 'SORA_API'],
    [{ ...minimal, POLL_MIN_SECONDS: 'soon' }, 'POLL_MIN_SECONDS'],
    [{ ...minimal, POLL_MIN_SECONDS: '90', POLL_MAX_SECONDS: '60' }, 'POLL_MIN_SECONDS'],
    [{ ...minimal, VIDEOS_CONTAINER: 'Videos!' }, 'VIDEOS_CONTAINER'],
    [{ ...minimal, STORE_CONCURRENCY: '0' }, 'STORE_CONCURRENCY'],
  ])('fails naming the bad setting (%j)', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });
});
