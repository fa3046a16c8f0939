import type { IncomingMessage, ServerResponse } from 'node:http';

/** Reads a whole request body (the durable HTTP API takes small JSON bodies). */
export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(text);
}

/** An RFC 9457 problem: `title` is the status's reason phrase, `detail` says what happened. */
export function sendProblem(
  response: ServerResponse,
  status: number,
  title: string,
  detail: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/problem+json; charset=utf-8', ...headers });
  response.end(JSON.stringify({ type: 'about:blank', title, status, detail }));
}

/** 405 with the methods the resource does accept, as RFC 9110 requires. */
export function sendMethodNotAllowed(response: ServerResponse, method: string, path: string, allowed: readonly string[]): void {
  sendProblem(response, 405, 'Method Not Allowed', `${method} is not allowed on ${path}; use ${allowed.join(' or ')}.`, {
    allow: allowed.join(', '),
  });
}

export function sendEmpty(response: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  response.writeHead(status, headers);
  response.end();
}

/** The origin a client reached the host by, so URLs handed back work for it. */
export function requestOrigin(request: IncomingMessage, fallback: string): string {
  const host = request.headers.host;
  return host === undefined || host === '' ? fallback : `http://${host}`;
}
