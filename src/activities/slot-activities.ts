/**
 * Telling queued requests that the deployment limiter granted them a slot.
 * Entities written in JavaScript cannot raise events, so the limiter's
 * `request` and `release` answer with the waiters they granted, and the
 * orchestration that made the call runs this activity to wake them.
 * Idempotent: a second `slotGranted` event to a request already holding its
 * slot is never waited for again.
 */
import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { EVENTS } from '../names';

/** The activities that need the durable client binding (index.ts registers it for these). */
export const DURABLE_CLIENT_ACTIVITIES: readonly string[] = ['notifySlotGranted'];

export function createSlotActivities() {
  return {
    notifySlotGranted: async (instanceIds: string[], context: InvocationContext): Promise<number> => {
      const client = df.getClient(context);
      await Promise.all(instanceIds.map((instanceId) => client.raiseEvent(instanceId, EVENTS.slotGranted, null)));
      return instanceIds.length;
    },
  };
}
