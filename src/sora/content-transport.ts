/**
 * Content bytes over node:http(s) rather than fetch. A video is the one large
 * answer the client reads, and fetch hands each socket chunk through a web
 * ReadableStream and a promise before a Node reader sees it, where node:http
 * hands over the socket's chunks as they are: less CPU per GiB, and the
 * socket stops the moment the reader does (bench/store.bench.ts compares the
 * two on the same bytes).
 *
 * fetch follows redirects, so this does too (a content endpoint may send the
 * client on to storage); the credentials go only to the origin they are for.
 */
import { request as httpRequest, Agent as HttpAgent, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';

export const MAX_REDIRECTS = 5;
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** Request headers that prove who we are: never sent to another origin. */
const CREDENTIAL_HEADERS = ['api-key', 'authorization'];

/** Kept-alive connections, so the ranges of one video and the next video reuse them. */
const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

export interface ContentRequest {
  method: 'GET' | 'HEAD';
  headers: Readonly<Record<string, string>>;
  /** Aborts the call, the answer's body included. */
  signal: AbortSignal;
}

/** The answer's head once it arrives; the caller reads or destroys its body. */
export async function requestContent(url: URL, request: ContentRequest): Promise<IncomingMessage> {
  let target = url;
  let headers = { ...request.headers };
  for (let redirects = 0; ; redirects++) {
    const answer = await send(target, request.method, headers, request.signal);
    const location = answer.headers.location;
    if (!REDIRECT_STATUSES.has(answer.statusCode ?? 0) || location === undefined || redirects >= MAX_REDIRECTS) return answer;
    answer.resume();
    const next = new URL(location, target);
    if (next.origin !== target.origin) headers = withoutCredentials(headers);
    target = next;
  }
}

/** Node's answer headers as the web Headers the rest of the client reads. */
export function headersOf(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}

function send(url: URL, method: ContentRequest['method'], headers: Record<string, string>, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const call = (secure ? httpsRequest : httpRequest)(url, { method, headers, signal, agent: secure ? agents.https : agents.http }, resolve);
    call.once('error', reject);
    call.end();
  });
}

/** The request fields without those that prove who we are: what may go to another origin. */
export function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.includes(name.toLowerCase())));
}
