import { describe, expect, it } from 'vitest';
import { checkSettings, ConfigError, loadConfig, requestBodyLimitFor } from '../../src/config';

const storage = { VideoStorage: 'UseDevelopmentStorage=true' };
const minimal = { AZURE_OPENAI_ENDPOINT: 'https://my-aoai.openai.azure.com/', AZURE_OPENAI_DEPLOYMENT: 'my-sora-2', ...storage };
const gateway = { OPENAI_BASE_URL: 'https://gateway.example/v1/', OPENAI_API_KEY: 'sk-secret-value', OPENAI_VIDEO_MODEL: 'sora-2' };

describe('settings', () => {
  it('defaults to the videos API (Sora 2) with the named deployment, using managed identity', () => {
    const config = loadConfig(minimal);
    expect(config.sora).toMatchObject({ api: 'videos', endpoint: 'https://my-aoai.openai.azure.com', deployments: { videos: 'my-sora-2' }, openAi: undefined });
    expect(config.sora.deployments).toEqual({ videos: 'my-sora-2' });
    expect(config.sora.deploymentSettings).toEqual({ videos: 'AZURE_OPENAI_DEPLOYMENT' });
    expect(config.sora.auth).toEqual({ kind: 'identity', clientId: undefined, scope: 'https://cognitiveservices.azure.com/.default' });
    expect(config.storage).toMatchObject({ videosContainer: 'videos', inputsContainer: 'video-inputs' });
  });

  it('names no deployment for the user: without one the default API fails, naming the setting and how to find a model', () => {
    const error = (() => {
      try {
        loadConfig({ AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com', ...storage });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.setting)).toEqual(['AZURE_OPENAI_DEPLOYMENT']);
    expect((error as ConfigError).message).toContain('az cognitiveservices model list -l <region>');
  });

  it('uses an API key when one is set, and the jobs API when SORA_API says so', () => {
    const config = loadConfig({ ...minimal, AZURE_OPENAI_API_KEY: 'k', SORA_API: 'jobs', AZURE_OPENAI_DEPLOYMENT: 'my-sora' });
    expect(config.sora.auth).toEqual({ kind: 'apiKey', apiKey: 'k' });
    expect(config.sora.deployments).toEqual({ jobs: 'my-sora' });
  });

  it('offers both Azure APIs when both deployments are configured, remembering which setting named each', () => {
    const config = loadConfig({ ...minimal, SORA_API: 'jobs', AZURE_OPENAI_DEPLOYMENT: 'my-sora', AZURE_OPENAI_VIDEOS_DEPLOYMENT: 'my-sora-2' });
    expect(config.sora).toMatchObject({ api: 'jobs', deployments: { jobs: 'my-sora', videos: 'my-sora-2' } });
    expect(config.sora.deploymentSettings).toEqual({ jobs: 'AZURE_OPENAI_DEPLOYMENT', videos: 'AZURE_OPENAI_VIDEOS_DEPLOYMENT' });
  });

  it('runs on an OpenAI-compatible endpoint alone: base URL, key and model, no Azure resource', () => {
    const config = loadConfig({ SORA_API: 'openai', ...gateway, ...storage });
    expect(config.sora).toMatchObject({ api: 'openai', endpoint: undefined, deployments: { openai: 'sora-2' }, deploymentSettings: { openai: 'OPENAI_VIDEO_MODEL' } });
    expect(config.sora.openAi).toEqual({ baseUrl: 'https://gateway.example/v1', apiKey: 'sk-secret-value' });
  });

  it('offers the OpenAI-compatible endpoint beside an Azure default when it is configured', () => {
    const config = loadConfig({ ...minimal, ...gateway });
    expect(config.sora.api).toBe('videos');
    expect(config.sora.deployments).toEqual({ videos: 'my-sora-2', openai: 'sora-2' });
  });

  it('wants the key and the model with an OpenAI-compatible base URL, and the base URL with SORA_API=openai', () => {
    expect(checkSettings({ ...minimal, OPENAI_BASE_URL: 'https://gateway.example/v1' })).toEqual({
      ok: false,
      problems: [
        { setting: 'OPENAI_API_KEY', message: 'is required with OPENAI_BASE_URL: the key the endpoint takes as a bearer token' },
        { setting: 'OPENAI_VIDEO_MODEL', message: 'is required with OPENAI_BASE_URL: the video model to ask for' },
      ],
    });
    const check = checkSettings({ SORA_API: 'openai', ...storage });
    expect(check.ok ? [] : check.problems.map((p) => p.setting)).toEqual(['OPENAI_BASE_URL']);
  });

  it('lists every bad setting by name, and never a value', () => {
    const check = checkSettings({ ...minimal, ...gateway, SORA_API: 'sora3', POLL_MIN_SECONDS: 'soon', AZURE_OPENAI_ENDPOINT: 'not a url sk-secret-value' });
    expect(check.ok ? [] : check.problems.map((p) => p.setting)).toEqual(['AZURE_OPENAI_ENDPOINT', 'SORA_API', 'POLL_MIN_SECONDS']);
    expect(JSON.stringify(check)).not.toContain('sk-secret-value');
  });

  it('follows the Functions identity convention for storage and honours AZURE_CLIENT_ID', () => {
    const config = loadConfig({
      AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com',
      AZURE_OPENAI_DEPLOYMENT: 'my-sora-2',
      VideoStorage__blobServiceUri: 'https://acct.blob.core.windows.net',
      AZURE_CLIENT_ID: 'client-1',
    });
    expect(config.storage.connection).toEqual({ kind: 'identity', blobServiceUri: 'https://acct.blob.core.windows.net', clientId: 'client-1' });
    expect(config.sora.auth).toMatchObject({ kind: 'identity', clientId: 'client-1' });
  });

  it("reaches the request index in the video storage account: its connection string, or by identity its table endpoint", () => {
    expect(loadConfig(minimal).requestIndex).toEqual({ table: 'videorequests', connection: { kind: 'connectionString', connectionString: 'UseDevelopmentStorage=true' } });
    const byIdentity = { AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com', AZURE_OPENAI_DEPLOYMENT: 'd', VideoStorage__blobServiceUri: 'https://acct.blob.core.windows.net', VideoStorage__clientId: 'client-2' };
    // Unset, the table endpoint is the blob endpoint's account with `.table.`; set, it wins.
    expect(loadConfig(byIdentity).requestIndex.connection).toEqual({ kind: 'identity', tableServiceUri: 'https://acct.table.core.windows.net', clientId: 'client-2' });
    expect(loadConfig({ ...byIdentity, VideoStorage__tableServiceUri: 'https://other.table.core.windows.net/', REQUESTS_TABLE: 'Requests2' }).requestIndex).toEqual({
      table: 'Requests2',
      connection: { kind: 'identity', tableServiceUri: 'https://other.table.core.windows.net', clientId: 'client-2' },
    });
    const underivable = checkSettings({ ...byIdentity, VideoStorage__blobServiceUri: 'https://videos.example.com' });
    expect(underivable.ok ? [] : underivable.problems.map((p) => p.setting)).toEqual(['VideoStorage__tableServiceUri']);
    const badName = checkSettings({ ...minimal, REQUESTS_TABLE: 'video-requests' });
    expect(badName.ok ? [] : badName.problems.map((p) => p.setting)).toEqual(['REQUESTS_TABLE']);
  });

  it('sizes the body cap for two images and a video at their limits, plus 2 MiB of form', () => {
    // The upload limits' defaults (25 MiB images, 200 MiB video): the value infra/ and local.settings.json.example carry.
    expect(requestBodyLimitFor(loadConfig(minimal).storage)).toBe(264_241_152);
  });

  it.each([
    [{ VideoStorage: 'UseDevelopmentStorage=true', AZURE_OPENAI_DEPLOYMENT: 'd' }, 'AZURE_OPENAI_ENDPOINT'],
    [{ ...minimal, AZURE_OPENAI_ENDPOINT: 'not a url' }, 'AZURE_OPENAI_ENDPOINT'],
    [{ AZURE_OPENAI_ENDPOINT: 'https://x', AZURE_OPENAI_DEPLOYMENT: 'd' }, 'VideoStorage'],
    [{ ...minimal, SORA_API: 'sora3' }, 'SORA_API'],
    [{ ...minimal, POLL_MIN_SECONDS: 'soon' }, 'POLL_MIN_SECONDS'],
    [{ ...minimal, POLL_MIN_SECONDS: '90', POLL_MAX_SECONDS: '60' }, 'POLL_MIN_SECONDS'],
    [{ ...minimal, VIDEOS_CONTAINER: 'Videos!' }, 'VIDEOS_CONTAINER'],
    [{ ...minimal, STORE_CONCURRENCY: '0' }, 'STORE_CONCURRENCY'],
    [{ ...minimal, OPENAI_BASE_URL: 'gateway' }, 'OPENAI_BASE_URL'],
  ])('fails naming the bad setting (%j)', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });
});
