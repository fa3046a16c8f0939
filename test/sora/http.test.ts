/**
 * Time bounds and failures of the HTTP layer against a bare local server,
 * for the cases the emulator has no fault for: a body that stalls after its
 * headers, a reader slower than the bound, an upload that keeps moving or
 * stalls, and the caller's own abort. Time is the test's: SoraHttp's bound
 * runs on manual timers the test advances at the moments it chooses.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createSoraAuth } from '../../src/sora/auth';
import { SoraError } from '../../src/sora/errors';
import { SoraHttp } from '../../src/sora/http';
import { ManualTimers } from './manual-timers';

const BOUND_MS = 500;

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

/** Answers every upload with what arrived: its length, its declared length and its SHA-256. */
function serveUploads(): Promise<string> {
  return serve((res, req) => {
    const hash = createHash('sha256');
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      hash.update(chunk);
    });
    req.on('end', () => res.end(JSON.stringify({ bytes, declared: req.headers['content-length'] ?? null, sha256: hash.digest('hex') })));
  });
}
const received = z.object({ bytes: z.number(), declared: z.string().nullable(), sha256: z.string() });

function client(endpoint: string, timers: ManualTimers): SoraHttp {
  return new SoraHttp({ endpoint, auth: createSoraAuth({ apiKey: 'k' }), timeoutMs: BOUND_MS, fetch, timers });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
}

/**
 * Resolves once `body` has filled its buffer (or failed): it stops asking the
 * network for more until the reader takes some, so from here on the reader is
 * the slow side. Waits on turns of the event loop, not on the clock.
 */
async function backedUp(body: Readable): Promise<void> {
  while (!body.destroyed && body.readableLength < body.readableHighWaterMark) await new Promise(setImmediate);
}

describe('SoraHttp', () => {
  it('times out a streamed body that stalls after its headers', async () => {
    const endpoint = await serve((res) => {
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': '1000' });
      res.write(Buffer.alloc(10, 1));
    });
    const timers = new ManualTimers();
    const answer = await client(endpoint, timers).stream({ method: 'GET', path: '/videos/v/content' });
    const chunks = answer.body[Symbol.asyncIterator]() as AsyncIterator<Buffer, undefined>;
    let bytes = 0;
    while (bytes < 10) {
      const next = await chunks.next();
      if (next.done) throw new Error(`the body ended after ${bytes} bytes`);
      bytes += next.value.length;
    }
    // The 10 bytes are in; the body now waits for the 990 that never come.
    await timers.running();
    timers.advance(BOUND_MS);
    const error = await failure(chunks.next());
    expect(error).toBeInstanceOf(SoraError);
    expect(error).toMatchObject({ code: 'timeout', status: undefined, retryable: true, message: expect.stringContaining(`no answer within ${BOUND_MS} ms`) as unknown });
  });

  it('does not count a slow reader against the bound', async () => {
    const size = 1024 * 1024;
    const endpoint = await serve((res) => {
      res.writeHead(200, { 'content-type': 'video/mp4' });
      res.end(Buffer.alloc(size, 1));
    });
    const timers = new ManualTimers();
    const answer = await client(endpoint, timers).stream({ method: 'GET', path: '/videos/v/content' });
    let bytes = 0;
    let pauses = 0;
    for await (const chunk of answer.body) {
      bytes += (chunk as Buffer).length;
      if (pauses < 2) {
        pauses += 1;
        // The reader dawdles for ten bounds while the body sits full.
        await backedUp(answer.body);
        timers.advance(10 * BOUND_MS);
      }
    }
    expect(pauses).toBe(2);
    expect(bytes).toBe(size);
  });

  it('lets an upload take longer than the bound while it keeps moving, and times out one that stalls', async () => {
    const endpoint = await serveUploads();
    const timers = new ManualTimers();
    const http = client(endpoint, timers);
    /** Before each chunk the test's clock moves by that chunk's pause, as if the source took that long to produce it. */
    async function* source(pauses: number[]): AsyncGenerator<Uint8Array> {
      for (const pause of pauses) {
        timers.advance(pause);
        yield await Promise.resolve(Buffer.alloc(1000, 2));
      }
    }
    const upload = (pauses: number[]) => http.json({ method: 'POST', path: '/videos', body: { stream: source(pauses), contentType: 'application/octet-stream' } }, received);
    // 8 × 499 ms ≈ 4 s in all, never the bound without a chunk.
    const pauses = Array.from({ length: 8 }, () => BOUND_MS - 1);
    expect(await upload(pauses)).toMatchObject({ bytes: 8000 });
    const stalled = await failure(upload([0, BOUND_MS]));
    expect(stalled).toBeInstanceOf(SoraError);
    expect(stalled).toMatchObject({ code: 'timeout', retryable: true });
  });

  it('sends a streamed upload whole, in order, with its declared length', async () => {
    const endpoint = await serveUploads();
    const chunks = Array.from({ length: 256 }, (_, i) => Buffer.alloc(64 * 1024, i));
    const total = chunks.length * 64 * 1024;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (const chunk of chunks) yield await Promise.resolve(chunk);
    }
    const answer = await client(endpoint, new ManualTimers()).json(
      { method: 'POST', path: '/videos', body: { stream: source(), contentType: 'application/octet-stream', contentLength: total } },
      received,
    );
    const expected = createHash('sha256');
    for (const chunk of chunks) expected.update(chunk);
    expect(answer).toEqual({ bytes: total, declared: String(total), sha256: expected.digest('hex') });
  });

  it("hands back the caller's own abort reason, not a SoraError", async () => {
    const endpoint = await serve(() => undefined);
    const controller = new AbortController();
    const call = client(endpoint, new ManualTimers()).json({ method: 'GET', path: '/videos/v', signal: controller.signal }, z.unknown());
    const reason = new Error('caller gave up');
    controller.abort(reason);
    expect(await failure(call)).toBe(reason);
  });
});
