/** GET /api/videos/{id} — the request's status view, with fresh read-only links when done. */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { FINISHED_STATUSES } from '../contracts/public-status';
import type { Dependencies } from '../dependencies';
import { readVideoRequest } from '../requests/read-video-request';
import { requestIdOfPath } from './path-id';
import { notFound } from './problem';

export function createGetVideo(deps: () => Dependencies) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const id = requestIdOfPath(request);
    if (id === undefined) return notFound(id);
    const view = await readVideoRequest(deps(), df.getClient(context), id);
    if (!view) return notFound(id);
    const headers: Record<string, string> = { 'cache-control': 'no-store' };
    if (!FINISHED_STATUSES.includes(view.status)) headers['retry-after'] = String(Math.ceil(deps().config.poll.minDelayMs / 1000));
    return { status: 200, headers, jsonBody: view };
  };
}
