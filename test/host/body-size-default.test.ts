// Without FUNCTIONS_REQUEST_BODY_SIZE_LIMIT the host caps request bodies at the Functions host's default,
// 100 MiB (104,857,600 bytes) — here with an app that streams its bodies, where the cap applies all the same.
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLocalHost, type LocalHost } from '../../src/local/host';
import { BODY_SIZE_LIMIT_SETTING } from '../../src/local/host/body-size-limit';

let host: LocalHost;

beforeAll(async () => {
  // App settings live in process.env: this host must not inherit a cap from elsewhere.
  Reflect.deleteProperty(process.env, BODY_SIZE_LIMIT_SETTING);
  host = await startLocalHost({ entry: fileURLToPath(new URL('./apps/http-stream-app.js', import.meta.url)), port: 0, log: () => undefined });
});
afterAll(async () => {
  await host.close();
});

/** The answer to a POST that declares `length` bytes; the declared length alone decides, so no body is sent. */
function declare(length: number): Promise<{ status: number; detail: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${host.baseUrl}/api/count`, { method: 'POST', headers: { 'content-length': String(length) } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, detail: (JSON.parse(body) as { detail: string }).detail });
      });
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

it("refuses a body declared one byte over 100 MiB", async () => {
  expect(await declare(104_857_601)).toEqual({
    status: 413,
    detail: 'The request body is 104857601 bytes; this app takes at most 104857600 bytes (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT).',
  });
});
