import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { RPC_PREFIX, WEBHOOK_PREFIX } from './client-binding';
import { handleDurableApi, type DurableApiOptions } from './durable-api';
import type { HttpFunction } from './functions';
import { sendEmpty, sendJson } from './http-io';
import { serveHttpFunction } from './http-trigger';
import type { Invoker } from './invoke';
import { byPrecedence, compileRoute, type CompiledRoute } from './routes';

export interface RequestHandlerOptions {
  durableApi: DurableApiOptions;
  invoker: Invoker;
  httpFunctions: HttpFunction[];
  /** `api` unless host.json says otherwise (extensions.http.routePrefix). */
  routePrefix: string;
  /** The library's HTTP stream proxy, when the app enabled streaming. */
  streamProxyUrl: string | undefined;
  log: (line: string) => void;
}

interface Route {
  compiled: CompiledRoute;
  fn: HttpFunction;
}

/**
 * Dispatches requests: HTTP triggers under `/{routePrefix}/`, the public
 * durable webhooks and the durable client's RPC API. Function keys are not
 * checked (authLevel is accepted as `func start` does locally).
 */
export function createRequestHandler(options: RequestHandlerOptions): RequestListener {
  const routes: Route[] = options.httpFunctions
    .map((fn) => ({ compiled: compileRoute(joinRoute(options.routePrefix, fn.route)), fn }))
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
  const url = new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`);
  const path = url.pathname;
  for (const prefix of [WEBHOOK_PREFIX, RPC_PREFIX]) {
    if (path === prefix || path.startsWith(`${prefix}/`)) {
      await handleDurableApi(options.durableApi, request, response, path.slice(prefix.length), url.searchParams);
      return;
    }
  }
  const method = (request.method ?? 'GET').toUpperCase();
  let pathMatched = false;
  for (const route of routes) {
    const params = route.compiled.match(path);
    if (params === undefined) continue;
    pathMatched = true;
    if (route.fn.methods !== undefined && !route.fn.methods.includes(method)) continue;
    await serveHttpFunction({ invoker: options.invoker, fn: route.fn, params, request, response, url, log: options.log }, options.streamProxyUrl);
    return;
  }
  sendJson(response, pathMatched ? 405 : 404, { message: `No function serves ${method} ${path}.` });
}

function joinRoute(prefix: string, route: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? route : `${trimmed}/${route.replace(/^\/+/, '')}`;
}
