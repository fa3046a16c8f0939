/** What a route handler gets, and the small answer helpers they share. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from './context';
import { ApiError } from './errors';
import type { CreateOperation, SoraOperation } from './faults';

/** Azure OpenAI (`/openai/v1`), or an OpenAI-compatible endpoint (`/v1`) in front of the videos deployment. */
export type Surface = 'azure' | 'openai';

export interface RouteRequest {
  /** Which front the call came through: it decides the shape of some errors. */
  surface: Surface;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The path's captured segments, in order. */
  params: string[];
  ctx: EmulatorContext;
}

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** Also answers HEAD (GET routes of binary content). */
  head?: boolean;
  /** Matched against the path after the surface's root (`/openai/v1` or `/v1`). */
  path: RegExp;
  /** Name for fault injection; routes without one cannot be faulted. */
  operation?: SoraOperation;
  handle: (request: RouteRequest) => Promise<void> | void;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

/**
 * The 200 of an accepted create — unless an `acceptedThenReset` fault cuts
 * the connection first: the job exists and runs, and the client never hears
 * of it, as when the service's answer is lost on the way.
 */
export function answerCreated({ res, ctx }: RouteRequest, operation: CreateOperation, body: unknown): void {
  if (ctx.faults.takeAcceptedThenReset(operation)) {
    res.destroy();
    return;
  }
  sendJson(res, 200, body);
}

export function param(request: RouteRequest, index: number): string {
  const value = request.params[index];
  if (value === undefined) throw new Error(`route has no parameter ${index}`);
  return decodeURIComponent(value);
}

/**
 * The model names a deployment this API serves, or the answer is a 404:
 * Azure's `DeploymentNotFound`, or through the OpenAI-compatible front the
 * `model_not_found` OpenAI answers for a model it does not have.
 */
export function checkDeployment(model: unknown, deployment: string, surface: Surface = 'azure'): void {
  if (typeof model !== 'string' || model === '' || model === deployment) return;
  if (surface === 'openai') {
    throw new ApiError(404, { code: 'model_not_found', message: `The model '${model}' does not exist or you do not have access to it.`, param: 'model', type: 'invalid_request_error' });
  }
  throw new ApiError(404, {
    code: 'DeploymentNotFound',
    message: `The API deployment '${model}' for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.`,
  });
}

/** `limit` query: an integer in [1, max], or the default. */
export function limitParam(url: URL, fallback: number, max: number): number {
  const raw = url.searchParams.get('limit');
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new ApiError(400, { code: 'invalid_value', message: `Invalid value for 'limit': must be an integer between 1 and ${max}.`, param: 'limit', type: 'invalid_request_error' });
  }
  return value;
}

/** Cursor paging over an ordered list: items after / before the given ids. */
export function page<T extends { id: string }>(items: readonly T[], limit: number, after: string | null, before: string | null): { data: T[]; hasMore: boolean } {
  let start = 0;
  let end = items.length;
  if (after) start = items.findIndex((i) => i.id === after) + 1;
  if (before) {
    const at = items.findIndex((i) => i.id === before);
    end = at === -1 ? items.length : at;
    if (!after) start = Math.max(0, end - limit);
  }
  const data = items.slice(start, Math.min(end, start + limit));
  return { data, hasMore: start + data.length < end };
}
