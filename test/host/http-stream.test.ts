// HTTP triggers when the app enables HTTP streams: the request goes through
// @azure/functions' own proxy and both bodies stream.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHost, type LocalHost } from '../../src/local/host';

let host: LocalHost;

beforeAll(async () => {
  host = await startLocalHost({
    entry: fileURLToPath(new URL('./apps/http-stream-app.js', import.meta.url)),
    port: 0,
    log: () => undefined,
  });
});

afterAll(async () => {
  await host.close();
});

describe('HTTP streams', () => {
  it('streams a large request body to the handler', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 7);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 8; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const response = await fetch(`${host.baseUrl}/api/count`, { method: 'POST', body, duplex: 'half' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ bytes: 8 * 1024 * 1024 });
  });

  it('delivers the first part of a response before the handler has produced the rest', async () => {
    const response = await fetch(`${host.baseUrl}/api/drip`);
    expect(response.status).toBe(200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value ?? []).toString()).toBe('first chunk;');
    // Buffered, the response would never start: the rest waits for this call.
    expect(await (await fetch(`${host.baseUrl}/api/release`)).text()).toBe('released');
    let rest = '';
    for (let part = await reader.read(); !part.done; part = await reader.read()) rest += Buffer.from(part.value).toString();
    expect(rest).toBe('second chunk');
  });
});
