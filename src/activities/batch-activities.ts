/**
 * Cancelling the requests a batch still runs. An orchestrator cannot raise an
 * event on another instance, so the batch runs this activity with the
 * durable client. Idempotent: a second `cancel` to a request that is already
 * cancelling (or has ended) changes nothing.
 */
import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { EVENTS } from '../names';

/** The activities here that need the durable client binding (index.ts registers it for these). */
export const BATCH_CLIENT_ACTIVITIES: readonly string[] = ['cancelVideoRequests'];

export function createBatchActivities() {
  return {
    cancelVideoRequests: async (requestIds: string[], context: InvocationContext): Promise<number> => {
      const client = df.getClient(context);
      const requestedAt = new Date().toISOString();
      await Promise.all(requestIds.map((id) => client.raiseEvent(id, EVENTS.cancel, { requestedAt })));
      return requestIds.length;
    },
  };
}
