/**
 * Reading one range of content straight from the socket into the caller's
 * blocks, against bare local servers for what the emulator has no fault for:
 * answers split at awkward places, a body that stalls or is cut, a reader
 * slower than the bound, redirects (credentials kept to their origin), error
 * answers, and HTTPS (its certificate checked). Time is the test's own.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createVideoService } from '../../src/sora';
import { createSoraAuth } from '../../src/sora/auth';
import { SoraError } from '../../src/sora/errors';
import { SoraHttp } from '../../src/sora/http';
import { RangeSocket } from '../../src/sora/range-socket';
import { ManualTimers } from './manual-timers';

const BOUND_MS = 500;
const servers: { close(): void }[] = [];
const sockets: Socket[] = [];

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) server.close();
});

/** The body: bytes whose value depends on their position, so a misplaced byte shows. */
function content(length: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => (i * 7 + (i >> 8)) & 0xff));
}

async function listening(server: Server | ReturnType<typeof createNetServer>, scheme = 'http'): Promise<string> {
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A server that writes `parts` (raw bytes of the answer), as many as the test says, once the request is in. */
async function rawServer(parts: Buffer[]): Promise<{ url: string; send(count?: number): void; end(): void }> {
  let requested: (socket: Socket) => void = () => undefined;
  const connection = new Promise<Socket>((resolve) => {
    requested = resolve;
  });
  const server = createNetServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    socket.once('data', () => {
      requested(socket);
    });
  });
  const url = await listening(server);
  let sent = 0;
  return {
    url,
    send(count = 1) {
      const next = parts.slice(sent, sent + count);
      sent += count;
      void connection.then((socket) => {
        for (const part of next) socket.write(part);
      });
    },
    end() {
      void connection.then((socket) => socket.end());
    },
  };
}

async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise(setImmediate);
}

function open(url: string, timers = new ManualTimers(), ca?: string): Promise<RangeSocket> {
  return RangeSocket.open({ url: new URL(`${url}/content`), fields: { range: 'bytes=0-999' }, timeoutMs: BOUND_MS, timers, ca });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
}

describe('RangeSocket', () => {
  it('fills the caller’s blocks with exactly the body, however the answer is split', async () => {
    const body = content(1000);
    const answer = Buffer.concat([Buffer.from('HTTP/1.1 206 Partial Content\r\ncontent-length: 1000\r\ncontent-range: bytes 0-999/5000\r\n\r\n'), body]);
    // Split inside the head, right after it, and inside the body.
    const server = await rawServer([answer.subarray(0, 20), answer.subarray(20, 90), answer.subarray(90, 400), answer.subarray(400)]);
    server.send(4);
    const reader = await open(server.url);
    expect(reader.head.status).toBe(206);
    expect(reader.head.headers.get('content-range')).toBe('bytes 0-999/5000');
    const first = Buffer.alloc(300);
    const second = Buffer.alloc(700);
    await reader.fill(first, 300);
    await reader.fill(second, 700);
    expect(Buffer.concat([first, second]).equals(body)).toBe(true);
    expect(reader.received).toBe(1000);
    await expect(reader.fill(Buffer.alloc(1), 1)).rejects.toThrow('asked for 1 bytes where the answer has 0 left');
    reader.close();
  });

  it('times out a body that stalls while a block waits for it, with a retryable timeout', async () => {
    const server = await rawServer([Buffer.from('HTTP/1.1 206 Partial Content\r\ncontent-length: 1000\r\n\r\n'), content(100)]);
    server.send(2);
    const timers = new ManualTimers();
    const reader = await open(server.url, timers);
    const filling = reader.fill(Buffer.alloc(1000), 1000);
    await until(() => reader.received === 100);
    timers.advance(BOUND_MS);
    const error = await failure(filling);
    expect(error).toBeInstanceOf(SoraError);
    expect(error).toMatchObject({ code: 'timeout', retryable: true, serviceMessage: `no answer within ${BOUND_MS} ms` });
  });

  it('does not count the reader’s own pause against the bound', async () => {
    const server = await rawServer([Buffer.from('HTTP/1.1 206 Partial Content\r\ncontent-length: 1000\r\n\r\n'), content(1000)]);
    server.send(2);
    const timers = new ManualTimers();
    const reader = await open(server.url, timers);
    await reader.fill(Buffer.alloc(400), 400);
    // No block waits: ten bounds pass while the reader is busy elsewhere.
    timers.advance(10 * BOUND_MS);
    const rest = Buffer.alloc(600);
    await reader.fill(rest, 600);
    expect(rest.equals(content(1000).subarray(400))).toBe(true);
    reader.close();
  });

  it('says how far it got when the connection closes mid-body, as a retryable network error', async () => {
    const server = await rawServer([Buffer.from('HTTP/1.1 206 Partial Content\r\ncontent-length: 1000\r\n\r\n'), content(250)]);
    server.send(2);
    const reader = await open(server.url);
    const filling = reader.fill(Buffer.alloc(1000), 1000);
    await until(() => reader.received === 250);
    server.end();
    const error = await failure(filling);
    expect(error).toMatchObject({ code: 'network_error', retryable: true, serviceMessage: 'the connection closed after 250 of the 1000 bytes waited for' });
  });

  it('refuses an answer that is not HTTP', async () => {
    const server = await rawServer([Buffer.from('SSH-2.0-OpenSSH\r\n\r\n')]);
    server.send();
    const error = await failure(open(server.url));
    expect(error).toMatchObject({ code: 'network_error', serviceMessage: 'not an HTTP/1.1 answer: "SSH-2.0-OpenSSH"' });
  });
});

describe('SoraHttp.readRange', () => {
  function client(endpoint: string): SoraHttp {
    return new SoraHttp({ endpoint, auth: createSoraAuth({ apiKey: 'secret-key' }), timeoutMs: 5_000, fetch });
  }

  async function httpServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
    return listening(createHttpServer(handler));
  }

  it('follows a redirect to another origin without the credentials, keeping the range', async () => {
    const seen: Record<string, unknown>[] = [];
    const storage = await httpServer((req, res) => {
      seen.push({ apiKey: req.headers['api-key'], range: req.headers.range });
      res.writeHead(206, { 'content-length': '10', 'content-range': 'bytes 5-14/100' }).end(content(15).subarray(5));
    });
    const sora = await httpServer((req, res) => {
      seen.push({ apiKey: req.headers['api-key'], range: req.headers.range });
      res.writeHead(302, { location: `${storage}/blob?sig=abc` }).end();
    });
    const answer = await client(sora).readRange({ method: 'GET', path: '/videos/v/content' }, { start: 5, end: 14 });
    const bytes = Buffer.alloc(10);
    await answer.reader.fill(bytes, 10);
    answer.reader.close();
    expect(bytes.equals(content(15).subarray(5))).toBe(true);
    expect(seen).toEqual([
      { apiKey: 'secret-key', range: 'bytes=5-14' },
      { apiKey: undefined, range: 'bytes=5-14' },
    ]);
  });

  it('turns an error answer into Sora’s error, whatever its framing', async () => {
    const error = JSON.stringify({ error: { code: 'too_many_requests', message: 'Slow down.' } });
    const chunked = await httpServer((_req, res) => {
      res.writeHead(429, { 'retry-after-ms': '1500', 'apim-request-id': 'req-1' });
      res.write(error.slice(0, 10));
      res.end(error.slice(10));
    });
    const thrown = await failure(client(chunked).readRange({ method: 'GET', path: '/videos/v/content' }, { start: 0, end: 9 }));
    expect(thrown).toBeInstanceOf(SoraError);
    expect(thrown).toMatchObject({ status: 429, code: 'too_many_requests', serviceMessage: 'Slow down.', retryAfterMs: 1500, requestId: 'req-1', retryable: true });
  });
});

describe('readContentRange', () => {
  it('reads a range whose answer does not say its length (a gateway\'s chunked one) from a stream instead: the same bytes', async () => {
    const body = content(5000);
    const requests: string[] = [];
    const gateway = await listening(
      createHttpServer((req, res) => {
        requests.push(`${req.method ?? ''} ${req.headers.range ?? ''}`);
        const [, from = '0', to = '0'] = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? '') ?? [];
        // No content-length: Node sends the body chunked.
        res.writeHead(206, { 'content-type': 'video/mp4', 'content-range': `bytes ${from}-${to}/5000` });
        res.write(body.subarray(Number(from), Number(from) + 100));
        res.end(body.subarray(Number(from) + 100, Number(to) + 1));
      }),
    );
    const sora = createVideoService({ api: 'jobs', endpoint: gateway, deployment: 'sora', apiKey: 'k' });
    const range = await sora.readContentRange('gen_1', { start: 1000, end: 2999 });
    const bytes = Buffer.alloc(2000);
    await range.reader.fill(bytes, 2000);
    range.reader.close();
    expect(bytes.equals(body.subarray(1000, 3000))).toBe(true);
    expect(requests).toEqual(['GET bytes=1000-2999', 'GET bytes=1000-2999']);
  });
});

describe('readContentStart', () => {
  /** A server that answers every GET as `answer` says, recording the range asked for. */
  async function serving(answer: (res: ServerResponse, body: Buffer) => void, body: Buffer, requests: string[]): Promise<string> {
    return listening(
      createHttpServer((req, res) => {
        requests.push(`${req.method ?? ''} ${req.headers.range ?? ''}`);
        answer(res, body);
      }),
    );
  }

  it('asks for everything from byte 0 and learns the size from content-range, its bytes read into the caller\'s buffer', async () => {
    const body = content(5000);
    const requests: string[] = [];
    const url = await serving((res, b) => res.writeHead(206, { 'content-length': '5000', 'content-range': 'bytes 0-4999/5000' }).end(b), body, requests);
    const start = await createVideoService({ api: 'jobs', endpoint: url, deployment: 'sora', apiKey: 'k' }).readContentStart('gen_1');
    expect(start).toMatchObject({ size: 5000, acceptRanges: true, readable: 5000 });
    const bytes = Buffer.alloc(5000);
    await start.reader?.fill(bytes, 5000);
    start.reader?.close();
    expect(bytes.equals(body)).toBe(true);
    expect(requests).toEqual(['GET bytes=0-']);
  });

  it('says how much a range cut short holds, and the whole size', async () => {
    const requests: string[] = [];
    const url = await serving((res, b) => res.writeHead(206, { 'content-length': '1000', 'content-range': 'bytes 0-999/5000' }).end(b.subarray(0, 1000)), content(5000), requests);
    const start = await createVideoService({ api: 'jobs', endpoint: url, deployment: 'sora', apiKey: 'k' }).readContentStart('gen_1');
    start.reader?.close();
    expect(start).toMatchObject({ size: 5000, acceptRanges: true, readable: 1000 });
  });

  it('takes a service that ignores ranges at its word: the whole content, its length the size, no ranges', async () => {
    const body = content(3000);
    const requests: string[] = [];
    const url = await serving((res, b) => res.writeHead(200, { 'content-length': '3000' }).end(b), body, requests);
    const start = await createVideoService({ api: 'jobs', endpoint: url, deployment: 'sora', apiKey: 'k' }).readContentStart('gen_1');
    expect(start).toMatchObject({ size: 3000, acceptRanges: false, readable: 3000 });
    const bytes = Buffer.alloc(3000);
    await start.reader?.fill(bytes, 3000);
    start.reader?.close();
    expect(bytes.equals(body)).toBe(true);
  });

  it('keeps the size of a chunked 206 but hands over no reader (its bytes cannot go straight into blocks)', async () => {
    const requests: string[] = [];
    const url = await serving((res, b) => {
      res.writeHead(206, { 'content-range': 'bytes 0-4999/5000' });
      res.end(b);
    }, content(5000), requests);
    const start = await createVideoService({ api: 'jobs', endpoint: url, deployment: 'sora', apiKey: 'k' }).readContentStart('gen_1');
    expect(start).toEqual({ size: 5000, acceptRanges: true, reader: null, readable: 0 });
  });
});

describe('over HTTPS', () => {
  let dir: string;
  let tls: { key: string; cert: string };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'range-socket-tls-'));
    const [keyFile, certFile] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    // A throwaway certificate for 127.0.0.1; this test needs the openssl command and fails without it.
    await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
    tls = { key: await readFile(keyFile, 'utf8'), cert: await readFile(certFile, 'utf8') };
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function httpsServer(body: Buffer): Promise<string> {
    return listening(
      createHttpsServer(tls, (_req, res) => {
        res.writeHead(206, { 'content-length': String(body.length) }).end(body);
      }),
      'https',
    );
  }

  it('reads the body through TLS records straight into the blocks', async () => {
    const body = content(200_000);
    const reader = await open(await httpsServer(body), new ManualTimers(), tls.cert);
    const blocks = [Buffer.alloc(70_000), Buffer.alloc(130_000)];
    await reader.fill(blocks[0] ?? Buffer.alloc(0), 70_000);
    await reader.fill(blocks[1] ?? Buffer.alloc(0), 130_000);
    reader.close();
    expect(Buffer.concat(blocks).equals(body)).toBe(true);
  });

  it('refuses a server whose certificate it cannot trust', async () => {
    const error = await failure(open(await httpsServer(content(10))));
    expect(error).toMatchObject({ code: 'network_error', retryable: true });
    expect((error as SoraError).serviceMessage).toMatch(/self.signed certificate/i);
  });
});
