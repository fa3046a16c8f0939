import { randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { RpcHttpData, RpcInvocationResponse, RpcTypedData } from './core-types';
import type { HttpFunction } from './functions';
import { drainRequestBody } from './http-drain';
import { readBody, sendEmpty } from './http-io';
import type { Invoker } from './invoke';
import { writeRpcHttpResponse } from './rpc-http-response';

/**
 * Runs an HTTP-triggered function for one request, the way the worker does in
 * the mode the app chose: the classic RPC mode (the request body read into a
 * buffer, the response body written from one) or, when the app called
 * `app.setup({ enableHttpStream: true })`, the stream mode, where the request
 * is forwarded to the library's own HTTP proxy and its response piped back,
 * so both bodies stream.
 */
export interface HttpCall {
  invoker: Invoker;
  fn: HttpFunction;
  params: Record<string, string>;
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  log: (line: string) => void;
}

export async function serveHttpFunction(call: HttpCall, streamProxyUrl: string | undefined): Promise<void> {
  if (streamProxyUrl !== undefined) {
    await serveStreamed(call, streamProxyUrl);
    return;
  }
  const { invoker, fn, params, request, response, url, log } = call;
  const body = await readBody(request);
  const http: RpcHttpData = {
    method: request.method ?? 'GET',
    url: url.href,
    headers: flatHeaders(request),
    params,
    body: { bytes: body },
  };
  const outcome = await invoker.invoke(fn.registration, { http });
  if (!outcome.ok) {
    log(`[${fn.name}] failed: ${describe(outcome.error)}`);
    sendEmpty(response, 500);
    return;
  }
  const returned = httpOutput(fn, outcome.response);
  if (returned?.http === undefined) sendEmpty(response, 204);
  else writeRpcHttpResponse(response, returned.http);
}

async function serveStreamed(call: HttpCall, proxyUrl: string): Promise<void> {
  const { invoker, fn, params, request, response, url, log } = call;
  const invocationId = randomUUID();
  const headers = flatHeaders(request);
  const proxied = httpRequest(new URL(url.pathname + url.search, proxyUrl), {
    method: request.method ?? 'GET',
    headers: {
      ...headers,
      'x-ms-invocation-id': invocationId,
      'x-forwarded-host': url.host,
      'x-forwarded-proto': url.protocol.replace(':', ''),
    },
  });
  const proxyResponse = new Promise<IncomingMessage>((resolve, reject) => {
    proxied.once('response', resolve);
    // on(), not once(): the proxied request is destroyed on purpose below, and no later error may go unheard.
    proxied.on('error', reject);
  });
  // Relayed as soon as the library starts answering, so the response body streams through.
  const relay = proxyResponse.then(async (streamed) => {
    const outgoing: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(streamed.headers)) {
      if (value !== undefined && name !== 'x-ms-invocation-id') outgoing[name] = value;
    }
    response.writeHead(streamed.statusCode ?? 200, outgoing);
    await pipeline(streamed, response);
  });
  // Heard at once: it fails when the client goes away, maybe long before the invocation ends and it is awaited.
  relay.catch(() => undefined);
  // pipe(), not pipeline(): pipeline would destroy the client's request, resetting its connection, whenever the
  // proxied request ends first (the function answered without reading the whole body).
  request.pipe(proxied);
  // The client went away before its body ended: the function's body fails, as it does behind the real host.
  request.once('close', () => {
    if (!request.complete) proxied.destroy();
  });
  // The response is complete: stop forwarding what the function did not read, and take the rest off the wire.
  const finishRequest = () => {
    if (request.readableEnded) return;
    request.unpipe(proxied);
    proxied.destroy();
    drainRequestBody(request);
  };
  const triggerMetadata: Record<string, RpcTypedData> = { Headers: { json: JSON.stringify(headers) } };
  for (const [name, value] of Object.entries(params)) triggerMetadata[name] = { string: value };
  const outcome = await invoker.invoke(fn.registration, {}, { triggerMetadata, invocationId });
  if (!outcome.ok) log(`[${fn.name}] failed: ${describe(outcome.error)}`);
  if (request.socket.destroyed && !response.writableFinished) {
    // Nobody is left to answer; the function saw its request body fail if it was still reading it.
    proxied.destroy();
    log(`[${fn.name}] the client went away before the response was sent.`);
    return;
  }
  if (!outcome.ok || outcome.result === undefined || outcome.result === null) {
    // No response went through the proxy: answer here and drop the proxied request.
    proxied.destroy();
    await relay.catch(() => undefined);
    if (!response.headersSent) sendEmpty(response, outcome.ok ? 204 : 500);
    finishRequest();
    return;
  }
  await relay;
  finishRequest();
}

/** The HTTP response: from the `$return` binding or a named `http` output binding, whichever was set. */
function httpOutput(fn: HttpFunction, invocation: RpcInvocationResponse): RpcTypedData | null | undefined {
  const names = Object.entries(fn.registration.metadata.bindings)
    .filter(([, binding]) => binding.direction === 'out' && binding.type?.toLowerCase() === 'http')
    .map(([name]) => name);
  for (const name of names) {
    const data =
      name === '$return' ? invocation.returnValue : invocation.outputData?.find((output) => output.name === name)?.data;
    if (data !== undefined && data !== null) return data;
  }
  return undefined;
}

function flatHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
