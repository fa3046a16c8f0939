/**
 * HTTP/1.1 over one raw TCP connection, for what a fetch client hides: which
 * connection a request went over, a body cut off mid-way, a client that goes
 * away. Responses are read with their framing (Content-Length or chunked).
 */
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export class RawConnection {
  readonly #socket: Socket;
  #received = Buffer.alloc(0);
  #ended = false;
  #error: Error | undefined;
  #wake: (() => void) | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#received = Buffer.concat([this.#received, chunk]);
      this.#wake?.();
    });
    socket.on('error', (error) => {
      this.#error = error;
      this.#wake?.();
    });
    socket.on('close', () => {
      this.#ended = true;
      this.#wake?.();
    });
  }

  static async open(baseUrl: string): Promise<RawConnection> {
    const { hostname, port } = new URL(baseUrl);
    const socket = connect(Number(port), hostname);
    await once(socket, 'connect');
    return new RawConnection(socket);
  }

  /** Writes bytes as they are (a request head, part of a body…). */
  write(data: string | Buffer): void {
    this.#socket.write(data);
  }

  /** Writes a chunk of a large body, waiting while the socket's buffer is full. */
  async send(chunk: Buffer): Promise<void> {
    if (!this.#socket.write(chunk)) await once(this.#socket, 'drain');
  }

  /** Half-closes: everything written still arrives, then the server sees the client go away. */
  end(): void {
    this.#socket.end();
  }

  close(): void {
    this.#socket.destroy();
  }

  /** The next whole response on this connection; rejects if the connection ends or fails first. */
  async response(): Promise<RawResponse> {
    for (;;) {
      const parsed = parseResponse(this.#received);
      if (parsed) {
        this.#received = this.#received.subarray(parsed.length);
        return parsed.response;
      }
      if (this.#error) throw new Error(`the connection failed before a whole response arrived: ${this.#error.message}`);
      if (this.#ended) throw new Error(`the connection closed before a whole response arrived (got ${JSON.stringify(this.#received.toString('latin1').slice(0, 200))})`);
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }
}

/** One response from the front of `data` and how many bytes it took, or undefined while it is incomplete. */
function parseResponse(data: Buffer): { response: RawResponse; length: number } | undefined {
  const headEnd = data.indexOf('\r\n\r\n');
  if (headEnd === -1) return undefined;
  const [statusLine = '', ...lines] = data.subarray(0, headEnd).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(statusLine.split(' ')[1]);
  let at = headEnd + 4;
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
    const chunks: Buffer[] = [];
    for (;;) {
      const sizeEnd = data.indexOf('\r\n', at);
      if (sizeEnd === -1) return undefined;
      const size = Number.parseInt(data.subarray(at, sizeEnd).toString('latin1'), 16);
      if (data.length < sizeEnd + 2 + size + 2) return undefined;
      chunks.push(data.subarray(sizeEnd + 2, sizeEnd + 2 + size));
      at = sizeEnd + 2 + size + 2;
      if (size === 0) return { response: { status, headers, body: Buffer.concat(chunks).toString('utf8') }, length: at };
    }
  }
  const length = Number(headers['content-length'] ?? 0);
  if (data.length < at + length) return undefined;
  return { response: { status, headers, body: data.subarray(at, at + length).toString('utf8') }, length: at + length };
}
