/** POST /api/videos/{id}/cancel — asks the orchestrator to delete the Sora job and end `cancelled`. */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { FINISHED_STATUSES } from '../contracts/public-status';
import { EVENTS } from '../names';
import { findVideoRequest } from './instances';
import { notFound, problem } from './problem';
import { linksOf, publicStatusOf } from './video-view';

export function createCancelVideo() {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const id = request.params.id ?? '';
    const client = df.getClient(context);
    const status = await findVideoRequest(client, id);
    if (!status) return notFound(id);
    const current = publicStatusOf(status);
    if (FINISHED_STATUSES.includes(current)) {
      return problem(409, 'The request has already finished', `Video request '${id}' is ${current}; there is nothing to cancel.`, { status: current });
    }
    await client.raiseEvent(id, EVENTS.cancel, { requestedAt: new Date().toISOString() });
    return { status: 202, headers: { location: linksOf(id).self }, jsonBody: { id, status: current, cancelRequested: true, links: linksOf(id) } };
  };
}
