import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { refuseOversizedBody } from './body-size-limit';
import { RPC_PREFIX, WEBHOOK_PREFIX } from './client-binding';
import { handleDurableApi, type DurableApiOptions } from './durable-api';
import type { HttpFunction } from './functions';
import { sendEmpty, sendMethodNotAllowed, sendProblem } from './http-io';
import { serveHttpFunction } from './http-trigger';
import type { Invoker } from './invoke';
import { byPrecedence, compileRoute, prefixedRoute, type CompiledRoute } from './routes';

export interface RequestHandlerOptions {
  durableApi: DurableApiOptions;
  invoker: Invoker;
  httpFunctions: HttpFunction[];
  /** `api` unless host.json says otherwise (extensions.http.routePrefix). */
  routePrefix: string;
  /** The library's HTTP stream proxy, when the app enabled streaming. */
  streamProxyUrl: string | undefined;
  /** The largest request body taken, in bytes (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT). */
  bodySizeLimit: number;
  log: (line: string) => void;
}

interface Route {
  compiled: CompiledRoute;
  fn: HttpFunction;
}

/**
 * Dispatches requests: HTTP triggers under `/{routePrefix}/` (or `/` when it is empty), the public
 * durable webhooks and the durable client's RPC API, each body within the
 * host's cap. Function keys are not checked (authLevel is accepted as
 * `func start` does locally).
 */
export function createRequestHandler(options: RequestHandlerOptions): RequestListener {
  const routes: Route[] = options.httpFunctions
    .map((fn) => ({ compiled: compileRoute(prefixedRoute(options.routePrefix, fn.route)), fn }))
    .sort((a, b) => byPrecedence(a.compiled, b.compiled));
  return (request, response) => {
    dispatch(options, routes, request, response).catch((error: unknown) => {
      options.log(`Error: ${request.method ?? ''} ${request.url ?? ''} failed: ${String(error)}`);
      if (!response.headersSent) sendEmpty(response, 500);
      else response.destroy();
    });
  };
}

async function dispatch(
  options: RequestHandlerOptions,
  routes: Route[],
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (refuseOversizedBody(request, response, options.bodySizeLimit)) return;
  const url = new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`);
  const path = url.pathname;
  for (const prefix of [WEBHOOK_PREFIX, RPC_PREFIX]) {
    if (path === prefix || path.startsWith(`${prefix}/`)) {
      await handleDurableApi(options.durableApi, request, response, path.slice(prefix.length), url.searchParams);
      return;
    }
  }
  const method = (request.method ?? 'GET').toUpperCase();
  const allowed = new Set<string>();
  for (const route of routes) {
    const params = route.compiled.match(path);
    if (params === undefined) continue;
    if (route.fn.methods !== undefined && !route.fn.methods.includes(method)) {
      for (const other of route.fn.methods) allowed.add(other);
      continue;
    }
    await serveHttpFunction({ invoker: options.invoker, fn: route.fn, params, request, response, url, log: options.log }, options.streamProxyUrl);
    return;
  }
  // The path exists for other methods: 405 naming them; no function at all: 404.
  if (allowed.size > 0) sendMethodNotAllowed(response, method, path, [...allowed].sort());
  else sendProblem(response, 404, 'Not Found', `No function serves ${path}.`);
}
