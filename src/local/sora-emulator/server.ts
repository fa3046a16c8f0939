/**
 * The HTTP front: request ids on every answer, the admin routes, then for
 * /openai/v1/… (Azure OpenAI) and /v1/… (an OpenAI-compatible endpoint in
 * front of the videos deployment) auth, the request rate, the route, a
 * retired deployment's 410, the api-version (Azure only), injected faults,
 * and the handler; any thrown ApiError becomes the service's error body.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleAdmin } from './admin';
import { checkAuth, checkBearerAuth } from './auth';
import type { EmulatorContext } from './context';
import { ApiError, retryLater, sendError } from './errors';
import type { SoraOperation } from './faults';
import { newRequestId } from './ids';
import { jobsRoutes } from './jobs-api';
import { RequestRateLimiter } from './rate-limits';
import type { RequestCounts } from './request-counts';
import type { Route, Surface } from './route';
import { videosRoutes } from './videos-api';

/** The spec's versions for the v1 routes; a missing api-version means v1. */
const API_VERSIONS = ['preview', 'v1'];
const FAULT_CODES = { 429: 'too_many_requests', 500: 'internal_error', 503: 'service_unavailable' } as const;

/** A route and the API whose deployment serves it (each API has one deployment here). */
interface ApiRoute extends Route {
  api: 'jobs' | 'videos';
}

const withApi = (api: ApiRoute['api'], routes: readonly Route[]): ApiRoute[] => routes.map((route) => ({ ...route, api }));

/** Where each surface lives and what it serves: Azure both APIs, the OpenAI-compatible one the videos API (model = deployment). */
const SURFACES: readonly { surface: Surface; root: string; routes: readonly ApiRoute[] }[] = [
  { surface: 'azure', root: '/openai/v1', routes: [...withApi('jobs', jobsRoutes), ...withApi('videos', videosRoutes)] },
  { surface: 'openai', root: '/v1', routes: withApi('videos', videosRoutes) },
];

function findRoute(routes: readonly ApiRoute[], method: string, root: string, path: string): { route: ApiRoute; params: string[] } {
  const onPath = routes.map((route) => ({ route, match: route.path.exec(path) })).filter((r) => r.match !== null);
  const found = onPath.find(({ route }) => route.method === method || (method === 'HEAD' && route.head === true));
  if (found?.match) return { route: found.route, params: found.match.slice(1) };
  if (onPath.length > 0) throw new ApiError(405, { code: 'MethodNotAllowed', message: `${method} is not supported on ${root}${path}.` });
  throw new ApiError(404, { code: '404', message: 'Resource not found' });
}

function checkApiVersion(url: URL): void {
  const version = url.searchParams.get('api-version');
  if (version !== null && !API_VERSIONS.includes(version)) {
    throw new ApiError(400, {
      code: 'BadRequest',
      message: `API version not supported: '${version}'. The v1 video routes accept api-version ${API_VERSIONS.join(' or ')} (or none, meaning v1).`,
      param: 'api-version',
      type: 'invalid_request_error',
    });
  }
}

async function applyFaults(ctx: EmulatorContext, operation: SoraOperation): Promise<void> {
  const slow = ctx.faults.takeSlow(operation);
  if (slow) await sleep(slow.delayMs);
  const status = ctx.faults.takeStatus(operation);
  if (status) {
    const waitMs = status.retryAfterSeconds === undefined ? undefined : status.retryAfterSeconds * 1000;
    throw retryLater(status.status, FAULT_CODES[status.status], `Injected fault: ${operation} answers ${status.status}.`, waitMs);
  }
}

/** The kind a request is counted under: its method and the operation its path names (known before any check runs). */
function kindOf(routes: readonly ApiRoute[], method: string, path: string): string {
  const route = routes.find((candidate) => candidate.path.test(path) && (candidate.method === method || (method === 'HEAD' && candidate.head === true)));
  return `${method} ${route?.operation ?? 'other'}`;
}

async function handle(ctx: EmulatorContext, limiter: RequestRateLimiter, counts: RequestCounts, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  const method = req.method ?? 'GET';
  if (url.pathname.startsWith('/_emulator/')) {
    await handleAdmin(req, res, url.pathname, ctx);
    return;
  }
  const served = SURFACES.find(({ root }) => url.pathname === root || url.pathname.startsWith(`${root}/`));
  if (!served) throw new ApiError(404, { code: '404', message: 'Resource not found' });
  const { surface, root, routes } = served;
  const kind = kindOf(routes, method, url.pathname.slice(root.length));
  res.once('close', () => {
    counts.record(kind, res.statusCode);
  });
  if (surface === 'azure') checkAuth(req.headers, ctx.options.apiKey);
  else checkBearerAuth(req.headers, ctx.options.apiKey);
  limiter.take();
  const { route, params } = findRoute(routes, method, root, url.pathname.slice(root.length));
  ctx.retired.refuseIfRetired(route.api === 'jobs' ? ctx.options.jobsDeployment : ctx.options.videosDeployment);
  if (surface === 'azure') checkApiVersion(url);
  if (route.operation) await applyFaults(ctx, route.operation);
  await route.handle({ req, res, url, params, ctx, surface });
}

export function requestListener(ctx: EmulatorContext, counts: RequestCounts): RequestListener {
  const limiter = new RequestRateLimiter(ctx.options.requestsPerMinute, ctx.clock);
  return (req, res) => {
    const requestId = newRequestId();
    res.setHeader('apim-request-id', requestId);
    res.setHeader('x-request-id', requestId);
    res.setHeader('x-ms-region', 'local-emulator');
    handle(ctx, limiter, counts, req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof ApiError) {
        sendError(res, error);
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      ctx.log(`sora-emulator: ${req.method ?? 'GET'} ${req.url ?? ''} failed: ${message}`);
      sendError(res, new ApiError(500, { code: 'internal_error', message: `The emulator failed: ${message}`, type: 'server_error' }));
    });
  };
}
