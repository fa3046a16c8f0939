/**
 * The one place the Sora client touches the network: builds the URL, adds
 * auth, bounds each call in time, turns every failure into a SoraError, and
 * hands content over as a stream.
 */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { SoraAuth } from './auth';
import { headersOf, MAX_REDIRECTS, REDIRECT_STATUSES, requestContent, withoutCredentials } from './content-transport';
import { unchunk } from './http-head';
import { RangeSocket } from './range-socket';
import { callDetails, SoraError } from './errors';
import { realTimers, type Timers } from './timers';
import type { ByteRange } from './types';

/** From `start` to the content's end, whatever its size. */
export interface OpenRange {
  start: number;
  end: null;
}

export interface SoraHttpOptions {
  /** The resource endpoint, e.g. `https://my-aoai.openai.azure.com`, or with `plainBaseUrl` the API root itself. */
  endpoint: string;
  /**
   * The endpoint is already the API root (an OpenAI-compatible base URL such
   * as `https://host/v1`): paths go right under it, no `/openai/v1` is added.
   */
  plainBaseUrl?: boolean;
  auth: SoraAuth;
  /**
   * The longest wait without progress: for the answer's headers after the
   * request body was sent, for each chunk of a request or streamed answer body.
   */
  timeoutMs: number;
  fetch: typeof fetch;
  /** What measures `timeoutMs`; the real timers unless a test drives time itself. */
  timers?: Timers;
  /** Added to every call (the jobs API's `api-version`). */
  query?: Readonly<Record<string, string>>;
}

export type QueryValue = string | number | undefined;

export interface SoraRequestBody {
  /** Pulled while the request is sent, never gathered in memory first. */
  stream: AsyncIterable<Uint8Array>;
  contentType: string;
  contentLength?: number;
}

export interface SoraRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'DELETE';
  /** Below the API root (`/openai/v1`, or the plain base URL), e.g. `/videos/video_1`. */
  path: string;
  query?: Readonly<Record<string, QueryValue>>;
  json?: unknown;
  body?: SoraRequestBody;
  headers?: Readonly<Record<string, string>>;
  signal?: AbortSignal;
}

/** A content call: a GET (or HEAD) without a request body. */
export type ContentCall = Omit<SoraRequest, 'method' | 'json' | 'body'> & { method: 'GET' | 'HEAD' };

export interface SoraStream {
  status: number;
  headers: Headers;
  body: Readable;
}

export class SoraHttp {
  private readonly baseUrl: string;

  constructor(private readonly options: SoraHttpOptions) {
    const endpoint = options.endpoint.replace(/\/+$/, '');
    // An Azure endpoint is accepted with or without the API root, as portals show both.
    this.baseUrl = options.plainBaseUrl === true ? endpoint : `${endpoint.replace(/\/openai(\/v1)?$/, '')}/openai/v1`;
  }

  /** A call answered with a JSON body, checked against the shape the API documents. */
  async json<S extends z.ZodType>(request: SoraRequest, schema: S): Promise<z.output<S>> {
    const deadline = this.deadline();
    try {
      const response = await this.send(request, deadline, 'application/json');
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw invalidResponse(response, `answer is not JSON: ${text.slice(0, 200)}`, error);
      }
      const checked = schema.safeParse(parsed);
      if (!checked.success) throw invalidResponse(response, `unexpected answer: ${z.prettifyError(checked.error)}`, checked.error);
      return checked.data;
    } catch (error) {
      throw noAnswerError(error, deadline, request.signal);
    } finally {
      deadline.disarm();
    }
  }

  /** A call whose answer carries no body worth reading (DELETE → 204, HEAD): its headers. */
  async discardBody(request: SoraRequest): Promise<Headers> {
    const deadline = this.deadline();
    try {
      const response = await this.send(request, deadline, '*/*');
      await response.body?.cancel();
      return response.headers;
    } catch (error) {
      throw noAnswerError(error, deadline, request.signal);
    } finally {
      deadline.disarm();
    }
  }

  /**
   * A call whose body is content: returned as soon as the headers arrive, the
   * body streamed with the time bound applied to each wait for the network
   * (not to the caller's own pace of reading). Content travels over node:http
   * (./content-transport.ts explains why), the other calls over `fetch`.
   */
  async stream(request: ContentCall): Promise<SoraStream> {
    const deadline = this.deadline();
    // Armed until the answer's head (or its error body) is in: it covers the token too.
    deadline.arm();
    const signal = request.signal ? AbortSignal.any([request.signal, deadline.signal]) : deadline.signal;
    let answer: IncomingMessage;
    try {
      const headers = { accept: '*/*', ...(await this.options.auth(signal)), ...request.headers };
      answer = await requestContent(this.url(request), { method: request.method, headers, signal });
      const status = answer.statusCode ?? 0;
      if (status < 200 || status > 299) throw await SoraError.fromResponse(await bufferedAnswer(answer));
    } catch (error) {
      deadline.disarm();
      throw noAnswerError(error, deadline, request.signal);
    }
    deadline.disarm();
    return { status: answer.statusCode ?? 0, headers: headersOf(answer.headers), body: guardedAnswer(answer, deadline, request.signal) };
  }

  /**
   * One byte range of content (to the content's end when `end` is null) for a reader that fills its own buffers,
   * straight from the socket (./range-socket.ts); redirects followed as
   * fetch would, credentials kept to their origin. An error answer is a
   * SoraError, as from the other calls.
   */
  async readRange(request: ContentCall, range: ByteRange | OpenRange): Promise<{ status: number; headers: Headers; reader: RangeSocket }> {
    const deadline = this.deadline();
    deadline.arm();
    const signal = request.signal ? AbortSignal.any([request.signal, deadline.signal]) : deadline.signal;
    let fields: Record<string, string>;
    try {
      fields = { accept: '*/*', ...(await this.options.auth(signal)), ...request.headers, range: `bytes=${range.start}-${range.end ?? ''}` };
    } catch (error) {
      throw noAnswerError(error, deadline, request.signal);
    } finally {
      deadline.disarm();
    }
    const timers = this.options.timers ?? realTimers;
    let url = this.url(request);
    for (let redirects = 0; ; redirects++) {
      const reader = await RangeSocket.open({ url, fields, signal: request.signal, timeoutMs: this.options.timeoutMs, timers });
      const { status, statusText, headers } = reader.head;
      const location = headers.get('location');
      if (REDIRECT_STATUSES.has(status) && location !== null && redirects < MAX_REDIRECTS) {
        reader.close();
        const next = new URL(location, url);
        if (next.origin !== url.origin) fields = withoutCredentials(fields);
        url = next;
        continue;
      }
      if (status >= 200 && status <= 299) return { status, headers, reader };
      try {
        throw await SoraError.fromResponse(new Response(await errorText(reader), { status, statusText, headers }));
      } finally {
        reader.close();
      }
    }
  }

  private deadline(): Deadline {
    return new Deadline(this.options.timeoutMs, this.options.timers ?? realTimers);
  }

  private async send(request: SoraRequest, deadline: Deadline, accept: string): Promise<Response> {
    // Armed until the caller disarms it: the bound covers getting a token, sending
    // the body, and for a JSON call reading the answer too.
    deadline.arm();
    const signal = request.signal ? AbortSignal.any([request.signal, deadline.signal]) : deadline.signal;
    const headers: Record<string, string> = { accept, ...(await this.options.auth(signal)), ...request.headers };
    let body: RequestInit['body'];
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.body) {
      headers['content-type'] = request.body.contentType;
      if (request.body.contentLength !== undefined) headers['content-length'] = String(request.body.contentLength);
      body = pullStream(progressing(request.body.stream, deadline));
    }
    const { fetch } = this.options; // called unbound, as the global fetch expects
    const response = await fetch(this.url(request), {
      method: request.method,
      headers,
      body,
      signal,
      // Required by fetch for a streamed request body.
      ...(request.body ? { duplex: 'half' as const } : {}),
    });
    if (!response.ok) throw await SoraError.fromResponse(response);
    return response;
  }

  private url(request: SoraRequest): URL {
    const url = new URL(`${this.baseUrl}${request.path}`);
    for (const [key, value] of Object.entries({ ...this.options.query, ...request.query })) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url;
  }
}

/**
 * A restartable time bound. `AbortSignal.timeout` cannot be paused, and a
 * streamed download must only be bounded while it waits for the network.
 */
class Deadline {
  private readonly controller = new AbortController();
  private cancelTimer: (() => void) | undefined;
  private expired = false;

  constructor(
    readonly ms: number,
    private readonly timers: Timers,
  ) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Whether the bound ran out (rather than the reader letting go). */
  get fired(): boolean {
    return this.expired;
  }

  arm(): void {
    this.disarm();
    this.cancelTimer = this.timers.start(this.ms, () => {
      this.expired = true;
      this.controller.abort(SoraError.noAnswer('timeout', `no answer within ${this.ms} ms`));
    });
  }

  disarm(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }
}

/**
 * An upload may take longer than the bound as a whole (a video input over a
 * slow link); what must not happen is a stall, so each chunk sent restarts it.
 */
async function* progressing(chunks: AsyncIterable<Uint8Array>, deadline: Deadline): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    deadline.arm();
    yield chunk;
  }
  deadline.arm();
}

/**
 * Given an async iterable, Node 20's fetch copies every chunk into a byte
 * stream, and the copies stayed alive for the whole upload (measured: a
 * 150 MB upload held about 150 MB of ArrayBuffers). A plain pull-based
 * ReadableStream hands chunks over as they are sent, memory stays flat.
 */
function pullStream(chunks: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel(reason: unknown) {
      await iterator.return?.(reason);
    },
  });
}

/**
 * How far a content body reads ahead of its reader: two of the socket's
 * 64 KiB chunks. Anything more would be memory outside the copy's budget, and
 * less would pause the socket after every chunk.
 */
const CONTENT_READ_AHEAD_BYTES = 128 * 1024;

/**
 * The answer's body, bounding each wait for the network and naming its
 * failures. It hands on the socket's own chunks, and stops the socket as soon
 * as its reader stops taking them.
 */
function guardedAnswer(answer: IncomingMessage, deadline: Deadline, callerSignal?: AbortSignal): Readable {
  let ended = false;
  const body = new Readable({
    highWaterMark: CONTENT_READ_AHEAD_BYTES,
    read() {
      deadline.arm();
      answer.resume();
    },
    destroy(error, callback) {
      deadline.disarm();
      // A reader that stops early must not leave the connection half-read.
      if (!ended) answer.destroy();
      callback(error);
    },
  });
  answer.pause();
  answer.on('data', (chunk: Buffer) => {
    if (body.push(chunk)) {
      deadline.arm();
    } else {
      deadline.disarm();
      answer.pause();
    }
  });
  answer.once('end', () => {
    ended = true;
    deadline.disarm();
    body.push(null);
  });
  answer.once('error', (error) => {
    deadline.disarm();
    body.destroy(asError(noAnswerError(error, deadline, callerSignal)));
  });
  return body;
}

/** An error answer's body as text, whatever its framing. */
async function errorText(reader: RangeSocket): Promise<Buffer> {
  const body = await reader.readErrorBody();
  return reader.head.headers.get('transfer-encoding')?.toLowerCase().includes('chunked') ? unchunk(body) : body;
}

/** An error answer's small body, read whole, as the Response that SoraError reads errors from. */
async function bufferedAnswer(answer: IncomingMessage): Promise<Response> {
  const chunks: Buffer[] = [];
  for await (const chunk of answer) chunks.push(chunk as Buffer);
  return new Response(Buffer.concat(chunks), { status: answer.statusCode, statusText: answer.statusMessage, headers: headersOf(answer.headers) });
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Keeps SoraErrors and the caller's own abort as they are; names everything else a timeout or a network failure. */
function noAnswerError(error: unknown, deadline: Deadline, callerSignal?: AbortSignal): unknown {
  if (error instanceof SoraError) return error;
  if (callerSignal?.aborted) return callerSignal.reason;
  if (deadline.fired) return SoraError.noAnswer('timeout', `no answer within ${deadline.ms} ms`, error);
  return SoraError.noAnswer('network_error', networkDetail(error), error);
}

/** fetch wraps the socket's error as its cause; node:http throws it as it is. */
function networkDetail(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  if (cause instanceof Error) return `${error.message}: ${withCode(cause)}`;
  return withCode(error);
}

function withCode(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code && !error.message.includes(code) ? `${code} ${error.message}` : error.message;
}

function invalidResponse(response: Response, detail: string, cause: unknown): SoraError {
  return new SoraError(
    { status: response.status, code: 'invalid_response', serviceMessage: detail, param: null, ...callDetails(response.headers), retryAfterMs: null, retryable: false },
    { cause },
  );
}
