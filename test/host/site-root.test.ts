// An app served from the site root (host.json routePrefix ""), as the studio
// needs: a catch-all GET page route beside api/ routes, routed as the
// Functions host routes them — literal segments before parameters before the
// catch-all whatever the registration order, and a route whose method does
// not match left for the next one. The durable webhooks stay the host's.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHost, type LocalHost } from '../../src/local/host';

const appDir = fileURLToPath(new URL('./apps/site-root-app', import.meta.url));
let host: LocalHost;

beforeAll(async () => {
  host = await startLocalHost({ appDir, port: 0, log: () => undefined });
});
afterAll(async () => {
  await host.close();
});

async function served(path: string, method = 'GET'): Promise<unknown> {
  const response = await fetch(`${host.baseUrl}${path}`, { method });
  expect(response.status).toBe(200);
  return response.json();
}

describe('an empty routePrefix', () => {
  it('is read from host.json', () => {
    expect(host.routePrefix).toBe('');
  });

  it('serves the catch-all at the site root and under any path no other route takes', async () => {
    expect(await served('/')).toEqual({ fn: 'page', path: '' });
    expect(await served('/main.js')).toEqual({ fn: 'page', path: 'main.js' });
    expect(await served('/assets/css/site.css')).toEqual({ fn: 'page', path: 'assets/css/site.css' });
    expect(await served('/api')).toEqual({ fn: 'page', path: 'api' });
    expect(await served('/api/items/7/extra')).toEqual({ fn: 'page', path: 'api/items/7/extra' });
  });

  it('gives literal segments and parameters precedence over the catch-all registered before them', async () => {
    expect(await served('/api/items')).toEqual({ fn: 'listItems' });
    expect(await served('/API/Items/7')).toEqual({ fn: 'getItem', id: '7' });
    expect(await served('/api/items/7/cancel', 'POST')).toEqual({ fn: 'cancelItem', id: '7' });
  });

  it('leaves a path whose route takes another method to the next route that matches, as the Functions host does', async () => {
    expect(await served('/api/items/7/cancel')).toEqual({ fn: 'page', path: 'api/items/7/cancel' });
  });

  it('keeps the durable webhooks with the host', async () => {
    const response = await fetch(`${host.baseUrl}/runtime/webhooks/durabletask/instances/nobody`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('"fn":"page"');
  });
});
