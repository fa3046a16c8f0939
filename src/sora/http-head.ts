/**
 * The head of an HTTP/1.1 answer (status line and header fields), read from
 * raw bytes by the socket reader of content ranges (./range-socket.ts), and
 * the request line and fields it sends. Only what that reader needs: it asks
 * for one range and closes the connection after it.
 */

export interface ResponseHead {
  status: number;
  statusText: string;
  headers: Headers;
}

const CRLF2 = Buffer.from('\r\n\r\n');

/** Where the body starts in `bytes` (just past the blank line ending the head), or -1 while the head is incomplete. */
export function bodyStart(bytes: Buffer, searchFrom = 0): number {
  const at = bytes.indexOf(CRLF2, Math.max(0, searchFrom));
  return at === -1 ? -1 : at + CRLF2.length;
}

/** Parses a head that ends with its blank line; throws on anything that is not an HTTP/1.x answer. */
export function parseResponseHead(head: Buffer): ResponseHead {
  const lines = head.toString('latin1').split('\r\n');
  const statusLine = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0] ?? '');
  if (!statusLine) throw new Error(`not an HTTP/1.1 answer: ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`);
  const headers = new Headers();
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`malformed header line: ${JSON.stringify(line.slice(0, 80))}`);
    headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return { status: Number(statusLine[1]), statusText: statusLine[2] ?? '', headers };
}

/** The request's head; a value that could end the line early is refused rather than sent. */
export function requestHead(method: string, url: URL, fields: Readonly<Record<string, string>>): Buffer {
  const lines = [`${method} ${url.pathname}${url.search} HTTP/1.1`, `host: ${url.host}`];
  for (const [name, value] of Object.entries(fields)) {
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) throw new Error(`header ${JSON.stringify(name)} holds a line break`);
    lines.push(`${name}: ${value}`);
  }
  lines.push('connection: close', '', '');
  return Buffer.from(lines.join('\r\n'), 'latin1');
}

/** The payload of a body sent with `transfer-encoding: chunked` (small error bodies only). */
export function unchunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd === -1) break;
    const size = Number.parseInt(body.toString('latin1', at, lineEnd), 16);
    if (!Number.isFinite(size) || size <= 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
