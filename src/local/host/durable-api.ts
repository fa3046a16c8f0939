import type { IncomingMessage, ServerResponse } from 'node:http';
import { managementUrls } from './client-binding';
import { readBody, requestOrigin, sendEmpty, sendJson, sendMethodNotAllowed, sendProblem } from './http-io';
import { handleEntityRequest } from './entity-api';
import type { IdleTracker } from './idle-tracker';
import type { HostChaos } from './orchestration/chaos';
import type { OrchestrationEngine } from './orchestration/engine';
import { fromJsonText } from './orchestration/history';
import { historyView } from './orchestration/history-view';
import { InstanceError, type InstanceErrorKind } from './orchestration/instance-error';
import { isTerminal, type InstanceQuery, type InstanceRecord, type RuntimeStatus } from './store';

/** Seconds a client should wait before polling a running instance again, as production says. */
const RETRY_AFTER_SECONDS = '10';

/** A request the API refuses, with the status code it answers. */
class HostError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** How the API answers the engine's refusals, as the extension does. */
const STATUS_OF_INSTANCE_ERROR: Readonly<Record<InstanceErrorKind, number>> = {
  unknownOrchestrator: 400,
  alreadyRunning: 409,
  notFound: 404,
  finished: 410,
};

export interface DurableApiOptions {
  engine: OrchestrationEngine;
  /** API requests count as work in flight: time does not skip while one is handled. */
  idle: IdleTracker;
  taskHubName: string;
  baseUrl: () => string;
  /** Starts it refuses (tests). */
  chaos?: HostChaos;
}

/**
 * The Durable Functions HTTP API, served both as the public webhooks and as
 * the durable client's RPC endpoint (`rpcBaseUrl`): `path` is relative to
 * either prefix, e.g. `instances/abc/raiseEvent/Approval`.
 */
export async function handleDurableApi(
  options: DurableApiOptions,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  query: URLSearchParams,
): Promise<void> {
  const method = (request.method ?? 'GET').toUpperCase();
  const segments = path.split('/').filter((segment) => segment !== '').map(decodeURIComponent);
  const allowed = allowedMethods(segments);
  if (allowed === undefined) {
    sendProblem(response, 404, 'Not Found', `No durable API at '${path}'.`);
    return;
  }
  if (!allowed.includes(method)) {
    sendMethodNotAllowed(response, method, path, allowed);
    return;
  }
  try {
    await options.idle.track(async () => {
      const [collection, id, operation, argument] = segments;
      if (collection === 'entities' && id !== undefined && operation !== undefined) {
        await handleEntityRequest(options.engine, request, response, { name: id, key: operation }, query);
      } else if (collection === 'orchestrators' && id !== undefined) {
        await startInstance(options, request, response, id, operation);
      } else if (id === undefined) {
        if (method === 'GET') listInstances(options, response, query, request.headers['x-ms-continuation-token']);
        else await purgeMany(options, response, query);
      } else if (operation === undefined) {
        if (method === 'GET') instanceStatus(options, request, response, id, query);
        else await purgeOne(options, response, id);
      } else {
        await instanceOperation(options, request, response, id, operation, argument, query);
      }
    });
  } catch (error) {
    if (error instanceof HostError) sendJson(response, error.status, { message: error.message });
    else if (error instanceof InstanceError) sendJson(response, STATUS_OF_INSTANCE_ERROR[error.kind], { message: error.message });
    else throw error;
  }
}

/** The methods a durable API path answers, or undefined when no such resource exists. */
function allowedMethods(segments: readonly string[]): string[] | undefined {
  const [collection] = segments;
  const count = segments.length;
  if (collection === 'orchestrators' && (count === 2 || count === 3)) return ['POST'];
  if (collection === 'entities' && count === 3) return ['GET', 'POST'];
  if (collection !== 'instances' || count > 4) return undefined;
  // instances/ and instances/{id}: list or read, and purge; instances/{id}/{operation}[/{argument}]: POST.
  return count <= 2 ? ['GET', 'DELETE'] : ['POST'];
}

async function startInstance(
  options: DurableApiOptions,
  request: IncomingMessage,
  response: ServerResponse,
  name: string,
  instanceId: string | undefined,
): Promise<void> {
  const body = (await readBody(request)).toString('utf8').trim();
  // The SDK posts "" for no input, which axios sends as the JSON string `""`: both mean none.
  const inputJson = body === '' || body === '""' ? undefined : validJson(body);
  if (instanceId !== undefined && options.chaos?.refuseStarts?.(instanceId) === true) {
    throw new HostError(503, `The task hub is unavailable (chaos refused the start of '${instanceId}').`);
  }
  const record = await options.engine.startNew(name, instanceId, inputJson);
  const urls = managementUrls(requestOrigin(request, options.baseUrl()), options.taskHubName, record.instanceId);
  sendJson(response, 202, urls, { location: urls.statusQueryGetUri, 'retry-after': RETRY_AFTER_SECONDS });
}

function instanceStatus(
  options: DurableApiOptions,
  request: IncomingMessage,
  response: ServerResponse,
  instanceId: string,
  query: URLSearchParams,
): void {
  const record = options.engine.store.get(instanceId);
  if (record === undefined) {
    sendEmpty(response, 404);
    return;
  }
  const status = statusOf(record, {
    showHistory: flag(query, 'showHistory', false),
    showHistoryOutput: flag(query, 'showHistoryOutput', false),
    showInput: flag(query, 'showInput', true),
  });
  if (isTerminal(record.runtimeStatus)) {
    // Failed answers 200 unless the caller asks for a server error (returnInternalServerErrorOnFailure).
    const failedAsError = record.runtimeStatus === 'Failed' && flag(query, 'returnInternalServerErrorOnFailure', false);
    sendJson(response, failedAsError ? 500 : 200, status);
    return;
  }
  const self = new URL(request.url ?? '/', requestOrigin(request, options.baseUrl())).href;
  sendJson(response, 202, status, { location: self, 'retry-after': RETRY_AFTER_SECONDS });
}

function listInstances(
  options: DurableApiOptions,
  response: ServerResponse,
  query: URLSearchParams,
  continuationToken: string | string[] | undefined,
): void {
  const prefix = query.get('instanceIdPrefix') ?? '';
  const all = options.engine.store.query(instanceQuery(query)).filter((record) => record.instanceId.startsWith(prefix));
  const start = typeof continuationToken === 'string' ? Number.parseInt(continuationToken, 10) || 0 : 0;
  const top = Number.parseInt(query.get('top') ?? '', 10);
  const end = Number.isInteger(top) && top > 0 ? start + top : all.length;
  const page = all.slice(start, end).map((record) =>
    statusOf(record, {
      showHistory: false,
      showHistoryOutput: false,
      showInput: flag(query, 'showInput', false),
    }),
  );
  sendJson(response, 200, page, end < all.length ? { 'x-ms-continuation-token': String(end) } : {});
}

async function purgeOne(options: DurableApiOptions, response: ServerResponse, instanceId: string): Promise<void> {
  if (await options.engine.purge(instanceId)) sendJson(response, 200, { instancesDeleted: 1 });
  else sendEmpty(response, 404);
}

async function purgeMany(options: DurableApiOptions, response: ServerResponse, query: URLSearchParams): Promise<void> {
  if (query.get('createdTimeFrom') === null) throw new HostError(400, 'Purging by filter requires createdTimeFrom.');
  let deleted = 0;
  for (const record of options.engine.store.query(instanceQuery(query))) {
    if (await options.engine.purge(record.instanceId)) deleted++;
  }
  if (deleted === 0) sendEmpty(response, 404);
  else sendJson(response, 200, { instancesDeleted: deleted });
}

async function instanceOperation(
  options: DurableApiOptions,
  request: IncomingMessage,
  response: ServerResponse,
  instanceId: string,
  operation: string,
  argument: string | undefined,
  query: URLSearchParams,
): Promise<void> {
  const { engine } = options;
  const reason = query.get('reason') ?? '';
  switch (operation) {
    case 'raiseEvent': {
      if (argument === undefined || argument === '') throw new HostError(400, 'An event name is required.');
      const body = (await readBody(request)).toString('utf8');
      await engine.raiseEvent(instanceId, argument, body.trim() === '' ? undefined : validJson(body));
      break;
    }
    case 'terminate':
      await engine.terminate(instanceId, reason);
      break;
    case 'suspend':
      await engine.suspend(instanceId, reason);
      break;
    case 'resume':
      await engine.resume(instanceId, reason);
      break;
    case 'rewind':
      throw new HostError(501, 'The local host does not support rewind.');
    default:
      throw new HostError(404, `Unknown instance operation '${operation}'.`);
  }
  sendEmpty(response, 202);
}

interface StatusOptions {
  showHistory: boolean;
  showHistoryOutput: boolean;
  showInput: boolean;
}

/** The status object of the HTTP API: input, output and customStatus are never undefined. */
export function statusOf(record: InstanceRecord, options: StatusOptions): Record<string, unknown> {
  return {
    name: record.name,
    instanceId: record.instanceId,
    runtimeStatus: record.runtimeStatus,
    input: options.showInput ? fromJsonText(record.input) : null,
    customStatus: record.customStatus ?? null,
    output: fromJsonText(record.output),
    createdTime: statusTime(record.createdTime),
    lastUpdatedTime: statusTime(record.lastUpdatedTime),
    ...(options.showHistory ? { historyEvents: historyView(record.history, options.showHistoryOutput) } : {}),
  };
}

/** Whole seconds, as the extension formats status times ("2024-05-01T12:00:00Z"). */
function statusTime(at: number): string {
  return `${new Date(at).toISOString().slice(0, 19)}Z`;
}

function instanceQuery(query: URLSearchParams): InstanceQuery {
  const from = query.get('createdTimeFrom');
  const to = query.get('createdTimeTo');
  const statuses = query.get('runtimeStatus');
  return {
    ...(from === null ? {} : { createdTimeFrom: Date.parse(from) }),
    ...(to === null ? {} : { createdTimeTo: Date.parse(to) }),
    ...(statuses === null || statuses === '' ? {} : { runtimeStatus: statuses.split(',') as RuntimeStatus[] }),
  };
}

function flag(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const value = query.get(name);
  return value === null ? fallback : value.toLowerCase() === 'true';
}

function validJson(text: string): string {
  try {
    JSON.parse(text);
  } catch {
    throw new HostError(400, 'The request body must be JSON.');
  }
  return text;
}
