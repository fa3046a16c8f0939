// The host's cap on request bodies (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT), as the Functions host enforces it:
// a declared length over the cap is a 413 problem before any function runs, on a connection that stays
// usable; a chunked body that grows past it loses its connection; a malformed cap stops the host.
// (Unset, the cap is 100 MiB: body-size-default.test.ts.)
import { Agent, request, type IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHost, type LocalHost } from '../../src/local/host';
import { BODY_SIZE_LIMIT_SETTING } from '../../src/local/host/body-size-limit';

const APP = fileURLToPath(new URL('./apps/http-app.js', import.meta.url));
const MIB = 1024 * 1024;

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
  reusedSocket: boolean;
}

/** POSTs `bytes` bytes to /api/echo/size (which answers them back after a short prefix) in 64 KiB writes, declared or chunked. */
function post(host: LocalHost, bytes: number, options: { agent?: Agent; chunked?: boolean } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = options.chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(bytes) };
    const req = request(`${host.baseUrl}/api/echo/size`, { method: 'POST', headers, agent: options.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), reusedSocket: req.reusedSocket });
      });
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 1);
    let sent = 0;
    const write = (): void => {
      while (sent < bytes) {
        const piece = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
        sent += piece.length;
        if (!req.write(piece)) {
          req.once('drain', write);
          return;
        }
      }
      req.end();
    };
    write();
  });
}

describe('a cap of 1 MiB', () => {
  let host: LocalHost;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });

  beforeAll(async () => {
    host = await startLocalHost({ entry: APP, port: 0, settings: { [BODY_SIZE_LIMIT_SETTING]: String(MIB) }, log: () => undefined });
  });
  afterAll(async () => {
    agent.destroy();
    await host.close();
  });

  it('answers a declared body over the cap with a 413 problem, and the connection carries the next request', async () => {
    const refused = await post(host, 2 * MIB, { agent });
    expect(refused.status).toBe(413);
    expect(refused.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(JSON.parse(refused.body.toString())).toEqual({
      type: 'about:blank',
      title: 'Content Too Large',
      status: 413,
      detail: `The request body is ${2 * MIB} bytes; this app takes at most ${MIB} bytes (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT).`,
    });

    const atTheCap = await post(host, MIB, { agent });
    expect(atTheCap).toMatchObject({ status: 200, reusedSocket: true });
    expect(atTheCap.body.subarray(-MIB).equals(Buffer.alloc(MIB, 1))).toBe(true);
  });

  it('closes the connection of a chunked body once it grows past the cap, and serves the next one', async () => {
    const error: unknown = await post(host, 2 * MIB, { chunked: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(['ECONNRESET', 'EPIPE']).toContain((error as NodeJS.ErrnoException).code);

    const small = await post(host, 1000, { chunked: true });
    expect(small.status).toBe(200);
    expect(small.body.subarray(-1000).equals(Buffer.alloc(1000, 1))).toBe(true);
  });
});

describe('a malformed setting', () => {
  afterAll(() => {
    Reflect.deleteProperty(process.env, BODY_SIZE_LIMIT_SETTING);
  });

  it('stops the host from starting, naming the setting', async () => {
    await expect(startLocalHost({ entry: APP, port: 0, settings: { [BODY_SIZE_LIMIT_SETTING]: '100MB' }, log: () => undefined })).rejects.toThrow(
      "FUNCTIONS_REQUEST_BODY_SIZE_LIMIT must be a positive whole number of bytes, got '100MB'.",
    );
  });
});
