/**
 * Streams binary content the way the service does: GET and HEAD with
 * content-length, accept-ranges, last-modified; single byte ranges answer 206
 * with content-range, unsatisfiable ones 416. Files are streamed, never
 * buffered. Two faults live here: the connection dropped after K bytes, and a
 * synthetic body of B bytes (large-transfer benches without giant renders).
 */
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import parseRange from 'range-parser';
import { ApiError } from './errors';

export interface ContentSource {
  contentType: string;
  lastModifiedMs: number;
  /** A file to stream, or a synthetic body of this many bytes. */
  file?: string;
  syntheticBytes?: number;
  /**
   * Reset fault: destroy the connection after this many body bytes. Asked
   * only when a body is sent, so a HEAD leaves the fault for the download.
   */
  takeResetAfterBytes?: () => number | undefined;
}

/**
 * The synthetic body repeats a pseudo-random pattern whose length is a prime,
 * so every byte depends on its position: a copy that put a block in the wrong
 * place (or served the wrong range) gets another SHA-256, which a body of one
 * repeated byte would hide. Held twice over so any chunk is one slice of it.
 */
const PATTERN_BYTES = 65_521;
const PATTERN = syntheticPattern();

function syntheticPattern(): Buffer {
  const pattern = Buffer.allocUnsafe(2 * PATTERN_BYTES);
  let state = 0x2545f491;
  for (let i = 0; i < PATTERN_BYTES; i++) {
    // xorshift32: cheap, deterministic, and no byte value favoured.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    pattern[i] = state & 0xff;
  }
  pattern.copy(pattern, PATTERN_BYTES, 0, PATTERN_BYTES);
  return pattern;
}

/** Bytes [start, end] of the synthetic body, in slices of the pattern (nothing allocated per chunk). */
function syntheticStream(start: number, end: number): Readable {
  let position = start;
  return new Readable({
    read() {
      if (position > end) {
        this.push(null);
        return;
      }
      const from = position % PATTERN_BYTES;
      const n = Math.min(end - position + 1, PATTERN_BYTES);
      position += n;
      this.push(PATTERN.subarray(from, from + n));
    },
  });
}

/**
 * Sends `limit` body bytes, waits until they reached the kernel, then closes
 * the connection mid-body. (A TCP RST could discard bytes still in flight,
 * so the client would not reliably see exactly `limit` bytes.)
 */
async function sendThenReset(body: Readable, res: ServerResponse, limit: number): Promise<void> {
  let sent = 0;
  res.flushHeaders();
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (sent >= limit) break;
    const part = chunk.subarray(0, limit - sent);
    sent += part.length;
    await new Promise<void>((resolve) => res.write(part, () => { resolve(); }));
  }
  body.destroy();
  const socket = res.socket;
  if (!socket) return;
  if (socket.writableLength > 0) await once(socket, 'drain');
  socket.destroy();
}

export async function serveContent(req: IncomingMessage, res: ServerResponse, source: ContentSource): Promise<void> {
  const size = source.file !== undefined ? (await stat(source.file)).size : (source.syntheticBytes ?? 0);
  const headers: Record<string, string | number> = {
    'content-type': source.contentType,
    'accept-ranges': 'bytes',
    'last-modified': new Date(source.lastModifiedMs).toUTCString(),
  };
  let start = 0;
  let end = size - 1;
  let status = 200;
  const rangeHeader = req.headers.range;
  if (rangeHeader !== undefined && size > 0) {
    const ranges = parseRange(size, rangeHeader, { combine: true });
    if (ranges === -1) {
      throw new ApiError(416, { code: 'range_not_satisfiable', message: `Range '${rangeHeader}' is outside the content's ${size} bytes.` }, { 'content-range': `bytes */${size}` });
    }
    // Malformed headers are ignored (whole body), as RFC 9110 allows; several ranges are served as the first only.
    const first = ranges !== -2 ? ranges[0] : undefined;
    if (first) {
      status = 206;
      start = first.start;
      end = first.end;
      headers['content-range'] = `bytes ${start}-${end}/${size}`;
    }
  }
  headers['content-length'] = Math.max(0, end - start + 1);
  res.writeHead(status, headers);
  if (req.method === 'HEAD' || size === 0) {
    res.end();
    return;
  }
  const resetAfterBytes = source.takeResetAfterBytes?.();
  const body = source.file !== undefined ? createReadStream(source.file, { start, end }) : syntheticStream(start, end);
  try {
    if (resetAfterBytes === undefined) await pipeline(body, res);
    else await sendThenReset(body, res, resetAfterBytes);
  } catch {
    // The client went away or the reset fault cut the connection: nothing left to answer.
  }
}
