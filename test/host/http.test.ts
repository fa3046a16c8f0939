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

  it('answers 405 for a method the function does not accept and 404 for no function', async () => {
    expect((await fetch(`${host.baseUrl}/api/echo/things`)).status).toBe(405);
    expect((await fetch(`${host.baseUrl}/api/no/such/route`)).status).toBe(404);
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
