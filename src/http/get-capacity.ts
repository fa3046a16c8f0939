/** GET /api/capacity — per deployment: its capacity, requests holding a slot, requests waiting for one. */
import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { Dependencies } from '../dependencies';
import { readCapacity } from '../requests/read-capacity';

export function createGetCapacity(deps: () => Dependencies) {
  return async (_request: unknown, context: InvocationContext): Promise<HttpResponseInit> => {
    const deployments = await readCapacity(deps().config, df.getClient(context), Date.now());
    return { status: 200, headers: { 'cache-control': 'no-store' }, jsonBody: { deployments } };
  };
}
