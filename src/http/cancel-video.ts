/** POST /api/videos/{id}/cancel — 202 while running, 409 once finished, 404 for unknown ids. */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { cancelVideoRequest } from '../requests/cancel-video-request';
import { linksOf } from '../requests/video-view';
import { requestIdOfPath } from './path-id';
import { notFound, problem } from './problem';

export function createCancelVideo() {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const id = requestIdOfPath(request);
    if (id === undefined) return notFound(id);
    const outcome = await cancelVideoRequest(df.getClient(context), id);
    switch (outcome.kind) {
      case 'not_found':
        return notFound(id);
      case 'finished':
        return problem(409, 'The request has already finished', `Video request '${id}' is ${outcome.status}; there is nothing to cancel.`, { requestStatus: outcome.status });
      case 'accepted':
        return { status: 202, headers: { location: linksOf(id).self }, jsonBody: { id, status: outcome.status, cancelRequested: true, links: linksOf(id) } };
    }
  };
}
