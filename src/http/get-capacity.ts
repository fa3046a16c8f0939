/**
 * GET /api/capacity — per deployment: its capacity, requests holding a slot,
 * requests waiting for one; and how long its jobs have been taking, per shape.
 */
import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { Dependencies } from '../dependencies';
import { readCapacity } from '../requests/read-capacity';
import { readJobDurations } from '../requests/read-job-durations';

export function createGetCapacity(deps: () => Dependencies) {
  return async (_request: unknown, context: InvocationContext): Promise<HttpResponseInit> => {
    const client = df.getClient(context);
    const now = Date.now();
    const [deployments, jobDurations] = await Promise.all([readCapacity(deps().config, client, now), readJobDurations(deps().config, client, now)]);
    return { status: 200, headers: { 'cache-control': 'no-store' }, jsonBody: { deployments, jobDurations } };
  };
}
