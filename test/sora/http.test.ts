/**
 * Time bounds and failures of the HTTP layer against a bare local server,
 * for the cases the emulator has no fault for: a body that stalls after its
 * headers, a reader slower than the bound, and the caller's own abort.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createSoraAuth } from '../../src/sora/auth';
import { SoraError } from '../../src/sora/errors';
import { SoraHttp } from '../../src/sora/http';

let server: Server | undefined;
const open: ServerResponse[] = [];

afterEach(async () => {
  for (const res of open.splice(0)) res.destroy();
  server?.closeAllConnections();
  if (server) await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

async function serve(handler: (res: ServerResponse, req: IncomingMessage) => void): Promise<string> {
  server = createServer((req, res) => {
    open.push(res);
    handler(res, req);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function client(endpoint: string, timeoutMs: number): SoraHttp {
  return new SoraHttp({ endpoint, auth: createSoraAuth({ apiKey: 'k' }), timeoutMs, fetch });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
}

describe('SoraHttp', () => {
  it('times out a streamed body that stalls after its headers', async () => {
    const endpoint = await serve((res) => {
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': '1000' });
      res.write(Buffer.alloc(10));
    });
    const answer = await client(endpoint, 200).stream({ method: 'GET', path: '/videos/v/content' });
    const error = await failure(answer.body.toArray());
    expect(error).toBeInstanceOf(SoraError);
    expect(error).toMatchObject({ code: 'timeout', status: undefined, retryable: true });
  });

  it('does not count a slow reader against the bound', async () => {
    const endpoint = await serve((res) => {
      res.writeHead(200, { 'content-type': 'video/mp4' });
      res.end(Buffer.alloc(200_000, 1));
    });
    const answer = await client(endpoint, 600).stream({ method: 'GET', path: '/videos/v/content' });
    let bytes = 0;
    let pauses = 0;
    for await (const chunk of answer.body) {
      bytes += (chunk as Buffer).length;
      if (pauses < 2) {
        pauses += 1;
        await sleep(700);
      }
    }
    expect(bytes).toBe(200_000);
  });

  it('lets an upload take longer than the bound while it keeps moving, and times out one that stalls', async () => {
    const endpoint = await serve((res, req) => {
      let bytes = 0;
      req.on('data', (chunk: Buffer) => (bytes += chunk.length));
      req.on('end', () => res.end(JSON.stringify({ bytes })));
    });
    async function* source(pauses: number[]): AsyncGenerator<Uint8Array> {
      for (const pause of pauses) {
        await sleep(pause);
        yield Buffer.alloc(1000);
      }
    }
    const http = client(endpoint, 500);
    const upload = (pauses: number[]) =>
      http.json({ method: 'POST', path: '/videos', body: { stream: source(pauses), contentType: 'application/octet-stream' } }, z.object({ bytes: z.number() }));
    // 8 × 100 ms = 800 ms in all, never 500 ms without a chunk.
    expect(await upload([100, 100, 100, 100, 100, 100, 100, 100])).toEqual({ bytes: 8000 });
    expect(await failure(upload([0, 1200]))).toMatchObject({ code: 'timeout', retryable: true });
  });

  it('does not hold on to what it has uploaded (bounded memory)', async () => {
    const endpoint = await serve((res, req) => {
      let bytes = 0;
      req.on('data', (chunk: Buffer) => (bytes += chunk.length));
      req.on('end', () => res.end(JSON.stringify({ bytes })));
    });
    // One chunk sent again and again, so the client allocates nothing for the
    // content itself; what does grow is the in-process server's received
    // chunks awaiting GC (tens of MB), far below a client holding the upload.
    const chunk = Buffer.alloc(64 * 1024, 1);
    const total = 160 * 1024 * 1024;
    let held = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (let sent = 0; sent < total; sent += chunk.length) {
        held = Math.max(held, process.memoryUsage().arrayBuffers);
        yield await Promise.resolve(chunk);
      }
    }
    const answer = await client(endpoint, 10_000).json(
      { method: 'POST', path: '/videos', body: { stream: source(), contentType: 'application/octet-stream', contentLength: total } },
      z.object({ bytes: z.number() }),
    );
    expect(answer).toEqual({ bytes: total });
    expect(held).toBeLessThan(64 * 1024 * 1024);
  });

  it("hands back the caller's own abort reason, not a SoraError", async () => {
    const endpoint = await serve(() => undefined);
    const controller = new AbortController();
    const call = client(endpoint, 10_000).json({ method: 'GET', path: '/videos/v', signal: controller.signal }, z.unknown());
    const reason = new Error('caller gave up');
    controller.abort(reason);
    expect(await failure(call)).toBe(reason);
  });
});
