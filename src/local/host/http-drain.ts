import type { IncomingMessage } from 'node:http';

/**
 * Kestrel's request drain timeout (fixed, not configurable, in ASP.NET Core):
 * how long the rest of an unread request body may take to arrive.
 */
export const REQUEST_DRAIN_TIMEOUT_MS = 5_000;

/**
 * Once the response is complete, reads and discards whatever the function left
 * of the request body, as Kestrel does in front of the Functions host: the
 * connection cannot carry the client's next request until the body is off the
 * wire. If the rest has not arrived within {@link REQUEST_DRAIN_TIMEOUT_MS},
 * the connection is closed. A body the function read to the end needs nothing.
 */
export function drainRequestBody(request: IncomingMessage): void {
  if (request.readableEnded || request.destroyed) return;
  const timer = setTimeout(() => request.socket.destroy(), REQUEST_DRAIN_TIMEOUT_MS);
  request.once('end', () => { clearTimeout(timer); });
  request.once('close', () => { clearTimeout(timer); });
  request.resume();
}
