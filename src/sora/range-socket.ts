/**
 * One byte range of content read straight from the socket into the caller's
 * blocks. With `onread`, net and tls hand each read the unfilled tail of the
 * block being filled: every byte is copied once (socket → block), and no
 * buffer is allocated per read — where node:http allocates one per 64 KiB
 * read, which the garbage collector then has to find (measured in
 * bench/store.bench.ts: several times the CPU, and tens of MiB of garbage).
 *
 * The socket reads only while a block waits to be filled and stops as soon as
 * it is full: the rest of the answer waits in the network, not in memory.
 * Each wait for the network is bounded; the caller's own pace is not.
 *
 * One request per connection (`connection: close`): a range is long, and the
 * copy asks for few of them. The answer must say its length; the reader
 * never reads past it.
 */
import { connect as netConnect, isIP, type OnReadOpts, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { SoraError } from './errors';
import { bodyStart, parseResponseHead, requestHead, type ResponseHead } from './http-head';
import type { Timers } from './timers';

/** The largest answer head accepted. */
const HEAD_BYTES = 16 * 1024;
/** The most of an error answer's body read (it only has to name the error). */
const ERROR_BODY_BYTES = 64 * 1024;
/** Where a read that comes while nothing waits for bytes goes (at most one, right after a pause). */
const SPARE_BYTES = 16 * 1024;

export interface RangeSocketOptions {
  url: URL;
  /** Every request field but host and connection (range and credentials included). */
  fields: Readonly<Record<string, string>>;
  /** The caller's: aborting it closes the connection. */
  signal?: AbortSignal;
  /** The longest wait for the network: for the head, and for each read while a block waits. */
  timeoutMs: number;
  timers: Timers;
  /** Certificate authorities to trust instead of the system's (a test's own HTTPS server). */
  ca?: string;
}

interface Waiting<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** Where body bytes go: a block being filled, or an error answer's body; `done` once `length` bytes are in. */
interface Destination {
  buffer: Buffer;
  filled: number;
  length: number;
  done(): void;
  reject(error: unknown): void;
}

export class RangeSocket {
  private readonly socket: Socket;
  private readonly headBuffer = Buffer.allocUnsafe(HEAD_BYTES);
  private headLength = 0;
  private parsedHead: ResponseHead | undefined;
  private headWaiter: Waiting<ResponseHead> | undefined;
  /** Body bytes that came with the head, not yet handed to a block. */
  private leftover = Buffer.alloc(0);
  /** Body bytes still to come from the socket; null while unknown. */
  private remaining: number | null = null;
  private destination: Destination | undefined;
  private spare: Buffer | undefined;
  private bodyBytes = 0;
  private failure: { error: Error } | undefined;
  private cancelTimer: (() => void) | undefined;

  private constructor(private readonly options: RangeSocketOptions) {
    const { url } = options;
    const onread: OnReadOpts = { buffer: () => this.nextBuffer(), callback: (bytes, into) => this.took(bytes, into) };
    const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (url.protocol === 'https:') {
      // tls.connect takes `onread` as net.connect does (Node's documentation); its types leave it out.
      const secure: ConnectionOptions & { onread: OnReadOpts } = { host, port, servername: isIP(host) ? undefined : host, onread, ca: options.ca };
      this.socket = tlsConnect(secure);
    } else {
      this.socket = netConnect({ host, port, onread });
    }
    // A paused socket may close without its end being read: either event means the other side is gone.
    for (const event of ['end', 'close']) {
      this.socket.on(event, () => {
        this.ended();
      });
    }
    this.socket.on('error', (error) => {
      this.fail(SoraError.noAnswer('network_error', networkDetail(error), error));
    });
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Sends the request; resolves with the answer's head once it is in. */
  static async open(options: RangeSocketOptions): Promise<RangeSocket> {
    options.signal?.throwIfAborted();
    // Built first: a field that cannot be sent fails before any connection opens.
    const request = requestHead('GET', options.url, options.fields);
    const reader = new RangeSocket(options);
    const head = new Promise<ResponseHead>((resolve, reject) => {
      reader.headWaiter = { resolve, reject };
    });
    reader.waitForNetwork();
    reader.socket.write(request);
    try {
      await head;
    } catch (error) {
      reader.close();
      throw error;
    }
    return reader;
  }

  /** Body bytes taken from the connection so far: what has been read, whether or not a block has it yet. */
  get received(): number {
    return this.bodyBytes;
  }

  get head(): ResponseHead {
    if (!this.parsedHead) throw new Error('the answer head has not arrived');
    return this.parsedHead;
  }

  /** Fills `target[0, length)` with the body's next bytes; rejects if the body ends or breaks first. */
  fill(target: Buffer, length: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure.error);
    const available = this.leftover.length + (this.remaining ?? 0);
    if (length > available) return Promise.reject(new Error(`asked for ${length} bytes where the answer has ${available} left`));
    return new Promise<void>((resolve, reject) => {
      this.receive({ buffer: target, filled: 0, length, done: resolve, reject });
    });
  }

  /** An error answer's body (the first 64 KiB of it), read to its end. */
  readErrorBody(): Promise<Buffer> {
    if (this.failure) return Promise.reject(this.failure.error);
    const buffer = Buffer.allocUnsafe(Math.min(ERROR_BODY_BYTES, this.leftover.length + (this.remaining ?? ERROR_BODY_BYTES)));
    return new Promise<Buffer>((resolve, reject) => {
      const destination: Destination = { buffer, filled: 0, length: buffer.length, done: () => { resolve(buffer.subarray(0, destination.filled)); }, reject };
      this.receive(destination);
    });
  }

  /** Lets go of the connection at once: no byte is written into a block after this. */
  close(): void {
    this.fail(new Error('the range reader was closed'));
  }

  private readonly onAbort = () => {
    this.fail(this.options.signal?.reason);
  };

  /** Takes what is already in, then lets the socket read into the rest. */
  private receive(destination: Destination): void {
    this.moveLeftover(destination);
    if (destination.filled === destination.length) {
      destination.done();
      return;
    }
    this.destination = destination;
    this.waitForNetwork();
    this.socket.resume();
  }

  private moveLeftover(destination: Destination): void {
    const moved = this.leftover.copy(destination.buffer, destination.filled, 0, Math.min(this.leftover.length, destination.length - destination.filled));
    destination.filled += moved;
    this.leftover = this.leftover.subarray(moved);
  }

  /**
   * Where the next read goes: the head, or the unfilled tail of the
   * destination. Node asks right after each read, so a read that comes after
   * a pause goes where the socket stood then: into the spare buffer, moved on
   * from there.
   */
  private nextBuffer(): Buffer {
    if (!this.parsedHead) return this.headBuffer.subarray(this.headLength);
    const destination = this.destination;
    if (destination) return destination.buffer.subarray(destination.filled, destination.length);
    this.spare ??= Buffer.allocUnsafe(SPARE_BYTES);
    return this.spare;
  }

  /** `bytes` arrived in `into`; returns false to stop the socket until something waits for bytes again. */
  private took(bytes: number, into: Uint8Array): boolean {
    if (this.failure) return false;
    if (!this.parsedHead) return this.receivedHead(bytes);
    this.bodyBytes += bytes;
    if (this.remaining !== null) this.remaining -= bytes;
    const destination = this.destination;
    const inPlace = destination !== undefined && into.buffer === destination.buffer.buffer && into.byteOffset === destination.buffer.byteOffset + destination.filled;
    if (inPlace) {
      destination.filled += bytes;
    } else {
      this.leftover = Buffer.concat([this.leftover, Buffer.from(into.buffer, into.byteOffset, bytes)]);
      if (destination) this.moveLeftover(destination);
    }
    if (!destination) return false;
    if (destination.filled < destination.length) return this.keepWaiting();
    this.destination = undefined;
    this.stopWaiting();
    destination.done();
    return false;
  }

  private receivedHead(bytes: number): boolean {
    this.headLength += bytes;
    const end = bodyStart(this.headBuffer.subarray(0, this.headLength), this.headLength - bytes - 3);
    if (end === -1) {
      if (this.headLength < HEAD_BYTES) return this.keepWaiting();
      this.fail(SoraError.noAnswer('network_error', `the answer's head is longer than ${HEAD_BYTES} bytes`));
      return false;
    }
    try {
      this.parsedHead = parseResponseHead(this.headBuffer.subarray(0, end - 2));
    } catch (error) {
      this.fail(SoraError.noAnswer('network_error', error instanceof Error ? error.message : String(error), error));
      return false;
    }
    const declared = this.parsedHead.headers.get('content-length');
    const length = declared !== null && /^\d+$/.test(declared) && !this.parsedHead.headers.has('transfer-encoding') ? Number(declared) : null;
    this.leftover = this.headBuffer.subarray(end, length === null ? this.headLength : Math.min(this.headLength, end + length));
    this.remaining = length === null ? null : length - this.leftover.length;
    this.bodyBytes = this.leftover.length;
    this.stopWaiting();
    this.headWaiter?.resolve(this.parsedHead);
    this.headWaiter = undefined;
    return false;
  }

  /** The other side closed: fine once the body is whole, a broken transfer before. */
  private ended(): void {
    if (this.failure) return;
    const destination = this.destination;
    if (destination && this.remaining === null && !this.parsedHead?.headers.has('content-length')) {
      // A body without a declared length (an error answer's) ends with the connection.
      this.destination = undefined;
      this.stopWaiting();
      destination.done();
      return;
    }
    if (this.headWaiter || destination) {
      const got = destination ? ` after ${destination.filled} of the ${destination.length} bytes waited for` : '';
      this.fail(SoraError.noAnswer('network_error', `the connection closed${got}`));
    }
  }

  private fail(reason: unknown): void {
    if (this.failure) return;
    const error = reason instanceof Error ? reason : new Error(String(reason));
    this.failure = { error };
    this.stopWaiting();
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.socket.destroy();
    this.headWaiter?.reject(error);
    this.destination?.reject(error);
    this.headWaiter = undefined;
    this.destination = undefined;
  }

  /** Bounds the wait for the network that starts now. */
  private waitForNetwork(): void {
    this.stopWaiting();
    const { timeoutMs } = this.options;
    this.cancelTimer = this.options.timers.start(timeoutMs, () => {
      this.fail(SoraError.noAnswer('timeout', `no answer within ${timeoutMs} ms`));
    });
  }

  /** Bytes came and more are awaited: the bound starts again. */
  private keepWaiting(): boolean {
    this.waitForNetwork();
    return true;
  }

  private stopWaiting(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }
}

function networkDetail(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code && !error.message.includes(code) ? `${code} ${error.message}` : error.message;
}
