// A request body the function did not read to the end, in stream mode: the
// host takes the rest off the wire once the response is complete, as Kestrel
// does in front of the Functions host, so the same keep-alive connection
// carries the client's next request; a client that goes away mid-body makes
// the function's body fail, and the host keeps serving.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHost, type LocalHost } from '../../src/local/host';
import { RawConnection } from './raw-http';

let host: LocalHost;
const lines: string[] = [];
const waiting: { pattern: string; resolve: () => void }[] = [];

/** Resolves once the host logs a line containing `pattern` (or already has). */
function logged(pattern: string): Promise<void> {
  if (lines.some((line) => line.includes(pattern))) return Promise.resolve();
  return new Promise((resolve) => waiting.push({ pattern, resolve }));
}

beforeAll(async () => {
  host = await startLocalHost({
    entry: fileURLToPath(new URL('./apps/unread-body-app.js', import.meta.url)),
    port: 0,
    log: (line) => {
      lines.push(line);
      for (const waiter of waiting.filter((w) => line.includes(w.pattern))) waiter.resolve();
    },
  });
});

afterAll(async () => {
  await host.close();
});

const BODY_BYTES = 4 * 1024 * 1024;

function post(path: string, bytes: number): string {
  return `POST ${path} HTTP/1.1\r\nhost: local\r\ncontent-type: application/octet-stream\r\ncontent-length: ${bytes}\r\n\r\n`;
}

const ping = 'GET /api/ping HTTP/1.1\r\nhost: local\r\n\r\n';

describe('a request body the function left unread', () => {
  it('is discarded after the response, and the same connection answers the next request', async () => {
    const connection = await RawConnection.open(host.baseUrl);
    connection.write(post('/api/refuse', BODY_BYTES));
    connection.write(Buffer.alloc(BODY_BYTES, 1));
    const refused = await connection.response();
    expect(refused).toMatchObject({ status: 400, body: 'refused without reading the body' });
    expect(refused.headers.connection).toBe('keep-alive');
    connection.write(ping);
    expect(await connection.response()).toMatchObject({ status: 200, body: 'pong' });
    connection.close();
  });

  it('is discarded when the function returns no response and the host answers 204', async () => {
    const connection = await RawConnection.open(host.baseUrl);
    connection.write(post('/api/nothing', BODY_BYTES));
    connection.write(Buffer.alloc(BODY_BYTES, 2));
    expect((await connection.response()).status).toBe(204);
    connection.write(ping);
    expect(await connection.response()).toMatchObject({ status: 200, body: 'pong' });
    connection.close();
  });
});

describe('a client that goes away in the middle of its body', () => {
  it('makes the function’s body fail, and the host keeps serving', async () => {
    const connection = await RawConnection.open(host.baseUrl);
    connection.write(post('/api/read', BODY_BYTES));
    connection.write(Buffer.alloc(BODY_BYTES / 2, 3));
    connection.end();
    await logged('[read] the client went away before the response was sent.');

    const lastRead = (await (await fetch(`${host.baseUrl}/api/last-read`)).json()) as { bytes: number; error: string | null };
    expect(lastRead.error).toBe('aborted');
    expect(lastRead.bytes).toBeLessThanOrEqual(BODY_BYTES / 2);
    expect(await (await fetch(`${host.baseUrl}/api/ping`)).text()).toBe('pong');
  });
});
