// HTTP triggers in the classic (buffered) mode: routes, methods, parameters,
// query, headers, binary bodies, cookies, empty results and failures.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHost, type LocalHost } from '../../src/local/host';

let host: LocalHost;
const logs: string[] = [];

beforeAll(async () => {
  host = await startLocalHost({
    entry: fileURLToPath(new URL('./apps/http-app.js', import.meta.url)),
    port: 0,
    log: (line) => logs.push(line),
  });
});

afterAll(async () => {
  await host.close();
});

describe('HTTP triggers', () => {
  it('passes method, route parameters, repeated query values, headers and a binary body through the library', async () => {
    const payload = Buffer.from([0, 1, 2, 250, 255]);
    const response = await fetch(`${host.baseUrl}/api/echo/things/7?tag=a&tag=b`, {
      method: 'PUT',
      headers: { 'x-caller': 'test' },
      body: payload,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-echo-kind')).toBe('things');
    expect(response.headers.get('set-cookie')).toBe('session=abc; Path=/; HttpOnly; SameSite=Strict');
    const body = Buffer.from(await response.arrayBuffer());
    const separator = body.indexOf('|');
    expect(body.subarray(0, separator).toString()).toBe('PUT 7 a+b test');
    expect(body.subarray(separator + 1)).toEqual(payload);
  });

  it('leaves an optional parameter out when the path omits it', async () => {
    const response = await fetch(`${host.baseUrl}/api/echo/things`, { method: 'POST', headers: { 'x-caller': 'c' } });
    // No tag in the query: an empty list between the id and the caller.
    expect(Buffer.from(await response.arrayBuffer()).toString()).toBe('POST -  c|');
  });

  it('answers 405 problem+json naming the allowed methods for a method no function on the path accepts, 404 for no function', async () => {
    const notAllowed = await fetch(`${host.baseUrl}/api/echo/things`);
    expect(notAllowed.status).toBe(405);
    expect(notAllowed.headers.get('allow')).toBe('POST, PUT');
    expect(notAllowed.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(await notAllowed.json()).toEqual({
      type: 'about:blank',
      title: 'Method Not Allowed',
      status: 405,
      detail: 'GET is not allowed on /api/echo/things; use POST or PUT.',
    });
    // Two functions share the route, one method each: both are named.
    const deleted = await fetch(`${host.baseUrl}/api/things`, { method: 'DELETE' });
    expect(deleted.status).toBe(405);
    expect(deleted.headers.get('allow')).toBe('GET, POST');
    const missing = await fetch(`${host.baseUrl}/api/no/such/route`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ title: 'Not Found', status: 404 });
  });

  it('answers 405 with Allow on the durable HTTP API for a method its resource does not take, 404 for no resource', async () => {
    const root = `${host.baseUrl}/runtime/webhooks/durabletask`;
    const cases = [
      [`${root}/orchestrators/anything`, 'GET', 'POST'],
      [`${root}/instances/some-id/raiseEvent/Go`, 'GET', 'POST'],
      [`${root}/instances/some-id/terminate`, 'DELETE', 'POST'],
      [`${root}/instances/some-id`, 'POST', 'GET, DELETE'],
      [`${root}/instances`, 'PUT', 'GET, DELETE'],
    ] as const;
    for (const [url, method, allow] of cases) {
      const response = await fetch(url, { method });
      expect([url, method, response.status, response.headers.get('allow')]).toEqual([url, method, 405, allow]);
      expect(await response.json()).toMatchObject({ title: 'Method Not Allowed', status: 405 });
    }
    expect((await fetch(`${root}/instances/some-id/raiseEvent/Go/extra`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${root}/nothing-here`)).status).toBe(404);
  });

  it('defaults the route to the function name and the methods to GET and POST', async () => {
    const got = await fetch(`${host.baseUrl}/api/defaults?x=1`);
    expect(await got.json()).toEqual({ url: `${host.baseUrl}/api/defaults?x=1`, method: 'GET' });
    expect((await fetch(`${host.baseUrl}/api/defaults`, { method: 'POST' })).status).toBe(200);
    expect((await fetch(`${host.baseUrl}/api/defaults`, { method: 'DELETE' })).status).toBe(405);
  });

  it('answers 204 when a function returns nothing, 500 when it throws', async () => {
    expect((await fetch(`${host.baseUrl}/api/nothing`)).status).toBe(204);
    expect((await fetch(`${host.baseUrl}/api/broken`)).status).toBe(500);
    expect(logs.some((line) => line.includes('the handler broke'))).toBe(true);
  });

  it('uses a named http output binding as the response', async () => {
    const response = await fetch(`${host.baseUrl}/api/named-output`);
    expect(response.status).toBe(203);
    expect(await response.text()).toBe('via a named http output');
  });
});
