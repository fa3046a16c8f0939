/**
 * A large streamed upload through SoraHttp (how a video input goes to Sora)
 * must not hold on to what it has sent. Its memory beside a baseline from the
 * same run: the same bytes posted from a stream by Node's plain http client,
 * the least any upload costs here; and, for comparison, fetch handed the
 * async iterable itself, which SoraHttp avoids because it kept the chunks
 * alive until the upload ended.
 *
 * The receiving server runs in this process, so its own short-lived chunks
 * show in every row alike.
 */
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { createSoraAuth } from '../src/sora/auth';
import { SoraHttp } from '../src/sora/http';
import { measureInTurns, type RepeatedRow } from './measure';

const MiB = 1024 * 1024;
const CONTENT_TYPE = 'application/octet-stream';
const answer = z.object({ bytes: z.number() });

/**
 * Counts what each upload delivers and answers `{ bytes }`, closing the
 * connection: a kept-alive one can keep the last upload's buffers reachable
 * into the next run and skew its figures.
 */
async function countingServer(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => res.writeHead(200, { connection: 'close' }).end(JSON.stringify({ bytes })));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * `total` bytes as one 64 KiB chunk sent again and again, so the source itself
 * allocates nothing; three quarters in, the checkpoint notes what is held.
 */
async function* content(total: number, checkpoint: () => void): AsyncGenerator<Uint8Array> {
  const chunk = Buffer.alloc(64 * 1024, 1);
  for (let sent = 0; sent < total; sent += chunk.length) {
    if (sent === (total * 3) / 4) checkpoint();
    yield await Promise.resolve(chunk);
  }
}

function expectWhole(delivered: number, total: number): void {
  if (delivered !== total) throw new Error(`the server received ${delivered} of ${total} bytes`);
}

async function postWithNodeHttp(url: string, body: AsyncIterable<Uint8Array>, total: number): Promise<number> {
  const req = request(url, { method: 'POST', headers: { 'content-type': CONTENT_TYPE, 'content-length': String(total) } });
  const response = once(req, 'response') as Promise<[IncomingMessage]>;
  await pipeline(Readable.from(body), req);
  const [res] = await response;
  return answer.parse(JSON.parse(Buffer.concat(await res.toArray()).toString())).bytes;
}

async function postWithFetchIterable(url: string, body: AsyncIterable<Uint8Array>, total: number): Promise<number> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': CONTENT_TYPE, 'content-length': String(total) }, body, duplex: 'half' });
  return answer.parse(await res.json()).bytes;
}

export async function benchUpload(sizeMiB = 160): Promise<RepeatedRow[]> {
  const total = sizeMiB * MiB;
  const { server, url } = await countingServer();
  const sora = new SoraHttp({ endpoint: url, auth: createSoraAuth({ apiKey: 'bench' }), timeoutMs: 60_000, fetch });
  try {
    return await measureInTurns(total, [
      {
        name: `baseline: ${sizeMiB} MiB posted from a stream by node:http`,
        work: async (checkpoint) => {
          expectWhole(await postWithNodeHttp(url, content(total, checkpoint), total), total);
        },
      },
      {
        name: `SoraHttp upload of ${sizeMiB} MiB (streamed body)`,
        work: async (checkpoint) => {
          const body = { stream: content(total, checkpoint), contentType: CONTENT_TYPE, contentLength: total };
          expectWhole((await sora.json({ method: 'POST', path: '/videos', body }, answer)).bytes, total);
        },
      },
      {
        name: `for comparison: fetch given the async iterable, ${sizeMiB} MiB`,
        work: async (checkpoint) => {
          expectWhole(await postWithFetchIterable(url, content(total, checkpoint), total), total);
        },
      },
    ]);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
