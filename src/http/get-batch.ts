/** GET /api/batches/{id}?limit=&cursor= — counts per state and a page of the batch's items (read-batch-request.ts). */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { batchPageQuerySchema } from '../contracts/batch';
import { checkRules } from '../contracts/validation';
import { readBatchRequest } from '../requests/read-batch-request';
import { requestIdOfPath } from './path-id';
import { batchNotFound } from './batch-not-found';
import { validationProblem } from './problem';

export function createGetBatch() {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const id = requestIdOfPath(request);
    if (id === undefined) return batchNotFound(id);
    const query = checkRules(batchPageQuerySchema, Object.fromEntries(request.query.entries()));
    if (!query.ok) return validationProblem(query.violations);
    const outcome = await readBatchRequest(df.getClient(context), id, query.value);
    if (outcome.kind === 'not_found') return batchNotFound(id);
    if (outcome.kind === 'bad_cursor') return validationProblem([{ field: 'cursor', message: 'is not a cursor this batch returned' }]);
    const running = outcome.view.status === 'pending' || outcome.view.status === 'running';
    return { status: 200, headers: { 'cache-control': 'no-store', ...(running ? { 'retry-after': '5' } : {}) }, jsonBody: outcome.view };
  };
}
