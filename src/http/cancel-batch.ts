/** POST /api/batches/{id}/cancel — 202 while the batch runs, 409 once it has ended, 404 for unknown ids. */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { cancelBatchRequest } from '../requests/cancel-batch-request';
import { batchLinksOf } from '../requests/read-batch-request';
import { batchNotFound } from './batch-not-found';
import { requestIdOfPath } from './path-id';
import { problem } from './problem';

export function createCancelBatch() {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const id = requestIdOfPath(request);
    if (id === undefined) return batchNotFound(id);
    const outcome = await cancelBatchRequest(df.getClient(context), id);
    switch (outcome.kind) {
      case 'not_found':
        return batchNotFound(id);
      case 'finished':
        return problem(409, 'The batch has already ended', `Batch '${id}' has ended; there is nothing to cancel.`, { runtimeStatus: outcome.runtimeStatus });
      case 'accepted':
        return { status: 202, headers: { location: batchLinksOf(id).self }, jsonBody: { id, cancelRequested: true, links: batchLinksOf(id) } };
    }
  };
}
