/**
 * A multipart/form-data request body, produced part by part while it is sent.
 *
 * Written here rather than taken from a library because the ones at hand
 * gather files in memory: fetch's FormData wants Blobs, and the `form-data`
 * package is built for `http.request` piping, not fetch bodies. Input files
 * can be a five-second video, so they are streamed from `open()` straight
 * into the request; the framing itself is a few lines of RFC 7578.
 */
import { randomBytes } from 'node:crypto';
import type { SoraRequestBody } from './http';
import type { SoraInputFile } from './types';

export type FormPart = { name: string; value: string } | { name: string; file: SoraInputFile };

const CRLF = '\r\n';

export function multipartBody(parts: readonly FormPart[]): SoraRequestBody {
  const boundary = `----sora-${randomBytes(16).toString('hex')}`;
  const framed = parts.map((part) => ({ part, head: Buffer.from(partHead(boundary, part)) }));
  const tail = Buffer.from(`--${boundary}--${CRLF}`);
  return {
    stream: chunks(framed, tail),
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength: knownLength(framed, tail),
  };
}

interface FramedPart {
  part: FormPart;
  head: Buffer;
}

async function* chunks(framed: readonly FramedPart[], tail: Buffer): AsyncGenerator<Uint8Array> {
  for (const { part, head } of framed) {
    yield head;
    if ('value' in part) {
      yield Buffer.from(part.value);
    } else {
      for await (const chunk of await part.file.open()) {
        yield typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array);
      }
    }
    yield Buffer.from(CRLF);
  }
  yield tail;
}

function partHead(boundary: string, part: FormPart): string {
  const disposition = `Content-Disposition: form-data; name="${escapeQuoted(part.name)}"`;
  if ('value' in part) return `--${boundary}${CRLF}${disposition}${CRLF}${CRLF}`;
  return (
    `--${boundary}${CRLF}${disposition}; filename="${escapeQuoted(part.file.fileName)}"${CRLF}` +
    `Content-Type: ${part.file.contentType}${CRLF}${CRLF}`
  );
}

/** The escaping browsers apply to names in a Content-Disposition header (WHATWG HTML, "multipart/form-data encoding"). */
function escapeQuoted(text: string): string {
  return text.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');
}

/** The body's length when every file's size is known, so the request can carry a content-length. */
function knownLength(framed: readonly FramedPart[], tail: Buffer): number | undefined {
  let total = tail.length;
  for (const { part, head } of framed) {
    const size = 'value' in part ? Buffer.byteLength(part.value) : part.file.size;
    if (size === undefined) return undefined;
    total += head.length + size + CRLF.length;
  }
  return total;
}
