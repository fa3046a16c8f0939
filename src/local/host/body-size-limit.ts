import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendProblem } from './http-io';

/** The app setting the Functions host reads its request body cap from. */
export const BODY_SIZE_LIMIT_SETTING = 'FUNCTIONS_REQUEST_BODY_SIZE_LIMIT';
/** The host's cap when the setting is absent: 100 MiB. */
export const DEFAULT_BODY_SIZE_LIMIT = 104_857_600;
/** How long the rest of a refused body may take to arrive before its connection is closed. */
const REFUSED_BODY_DRAIN_MS = 5_000;

/** The cap from the app settings (already in process.env), in bytes; a value that is not a positive whole number stops the host. */
export function bodySizeLimitFromSettings(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[BODY_SIZE_LIMIT_SETTING]?.trim();
  if (raw === undefined || raw === '') return DEFAULT_BODY_SIZE_LIMIT;
  if (!/^\d+$/.test(raw) || Number(raw) <= 0) throw new Error(`${BODY_SIZE_LIMIT_SETTING} must be a positive whole number of bytes, got '${raw}'.`);
  return Number(raw);
}

/**
 * Enforces the cap as the Functions host does, before any function sees the
 * request. A declared `content-length` over the cap is answered 413 at once
 * and the body is read off the wire and dropped, so the connection can carry
 * the client's next request (it is closed if the rest takes too long). A
 * chunked body has no declared length: it is counted as it arrives, and once
 * past the cap its connection is closed — the function's read of the body
 * fails, and the client sees the connection end. Returns whether the
 * request was refused.
 */
export function refuseOversizedBody(request: IncomingMessage, response: ServerResponse, limit: number): boolean {
  const declared = request.headers['content-length'];
  if (declared !== undefined) {
    if (Number(declared) <= limit) return false;
    sendProblem(response, 413, 'Content Too Large', `The request body is ${declared} bytes; this app takes at most ${limit} bytes (${BODY_SIZE_LIMIT_SETTING}).`);
    closeIfUndrained(request);
    return true;
  }
  if (request.headers['transfer-encoding'] !== undefined) closeWhenPastLimit(request, limit);
  return false;
}

/** Node reads and drops an unread body once the response is sent (keep-alive); this bounds how long that may take. */
function closeIfUndrained(request: IncomingMessage): void {
  if (request.readableEnded) return;
  const timer = setTimeout(() => request.socket.destroy(), REFUSED_BODY_DRAIN_MS);
  const stop = () => {
    clearTimeout(timer);
  };
  request.once('end', stop);
  request.once('close', stop);
}

/**
 * Counts the body as the HTTP parser hands it over (by wrapping the
 * request's own `push`), so whoever reads the body keeps its own pace and
 * nothing is read here.
 */
function closeWhenPastLimit(request: IncomingMessage, limit: number): void {
  let received = 0;
  const push = request.push.bind(request);
  request.push = (chunk: unknown, encoding?: BufferEncoding): boolean => {
    if (Buffer.isBuffer(chunk)) received += chunk.length;
    if (received <= limit) return push(chunk, encoding);
    request.socket.destroy();
    return false;
  };
}
