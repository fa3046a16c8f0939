// Loading an app like the Functions Node worker: package.json `main` as a glob,
// app settings from local.settings.json and the environment, host.json, and
// registrations the host cannot serve (or bind) reported instead of crashing.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHost, type LocalHost } from '../../src/local/host';
import { resolveEntryFiles } from '../../src/local/host/loader';

const appDir = fileURLToPath(new URL('./apps/glob-app', import.meta.url));
let host: LocalHost;
const logs: string[] = [];

beforeAll(async () => {
  process.env.ENV_WINS_SETTING = 'from the environment';
  host = await startLocalHost({
    appDir,
    port: 0,
    settings: { OVERRIDDEN_SETTING: 'from options.settings' },
    log: (line) => logs.push(line),
  });
});

afterAll(async () => {
  await host.close();
});

describe('loading an app', () => {
  it('loads every file the package.json main glob matches', () => {
    expect(resolveEntryFiles(appDir).map((file) => file.slice(appDir.length + 1))).toEqual([
      'functions/durable.js',
      'functions/items.js',
    ]);
    expect(host.functions.map((fn) => fn.name).sort()).toEqual(['counter', 'enqueue', 'getItem', 'noop', 'onOrder']);
    expect(host.functions.find((fn) => fn.name === 'getItem')).toEqual({
      name: 'getItem',
      trigger: 'httpTrigger',
      route: 'items/{id:int}',
      methods: ['GET'],
    });
  });

  it('serves HTTP triggers under host.json routePrefix and names the task hub from host.json', async () => {
    const response = await fetch(`${host.baseUrl}/fn/items/42`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { id: string }).id).toBe('42');
    expect((await fetch(`${host.baseUrl}/api/items/42`)).status).toBe(404);
    expect(host.client.taskHubName).toBe('GlobHub');
  });

  it('layers app settings like func start: environment over local.settings.json, options.settings over both', async () => {
    const body = (await (await fetch(`${host.baseUrl}/fn/items/1`)).json()) as Record<string, string>;
    expect(body).toMatchObject({
      fromLocalSettings: 'from local.settings.json',
      overridden: 'from options.settings',
      envWins: 'from the environment',
    });
  });

  it('serves entities, and reports a queue trigger whose connection setting is missing as in error instead of failing', () => {
    expect(host.functions.find((fn) => fn.name === 'counter')).toEqual({ name: 'counter', trigger: 'entityTrigger' });
    expect(logs.filter((line) => line.includes("'counter'"))).toEqual([]);
    expect(logs.filter((line) => line.includes("'onOrder'"))).toEqual([
      "Warning: Function 'onOrder' (queueTrigger) is in error and not served: Queue trigger 'onOrder': the app setting 'AzureWebJobsStorage' must hold a storage connection string for the local host.",
    ]);
  });

  it('drops values of output bindings it does not implement, logging that once', async () => {
    for (let i = 0; i < 2; i++) {
      expect((await fetch(`${host.baseUrl}/fn/enqueue`, { method: 'POST' })).status).toBe(201);
    }
    const warnings = logs.filter((line) => line.includes('storageQueue') || line.includes('queue'));
    expect(warnings.filter((line) => line.includes('values are dropped'))).toHaveLength(1);
  });
});
