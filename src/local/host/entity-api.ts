import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendEmpty, sendJson } from './http-io';
import type { OrchestrationEngine } from './orchestration/engine';

/**
 * The entity part of the Durable Functions HTTP API (also the client's RPC
 * API): `entities/{name}/{key}` — POST `?op=` signals the entity (202 once the
 * operation is queued and saved; the body is its JSON input), GET answers its
 * state (200) or 404 when it does not exist.
 */
export async function handleEntityRequest(
  engine: OrchestrationEngine,
  request: IncomingMessage,
  response: ServerResponse,
  address: { name: string; key: string },
  query: URLSearchParams,
): Promise<void> {
  if ((request.method ?? 'GET').toUpperCase() === 'GET') {
    const state = engine.readEntityState(address);
    if (state === undefined) sendEmpty(response, 404);
    else sendJson(response, 200, JSON.parse(state));
    return;
  }
  const operation = query.get('op') ?? '';
  const body = (await readBody(request)).toString('utf8').trim();
  if (body !== '') {
    try {
      JSON.parse(body);
    } catch {
      sendJson(response, 400, { message: 'The request body must be JSON.' });
      return;
    }
  }
  await engine.signalEntity(address, operation, body === '' ? undefined : body);
  sendEmpty(response, 202);
}
