/**
 * The deployment limiter entity: one instance per Sora deployment (key =
 * API + deployment) keeping the slot queue of slot-queue.ts in its state.
 * Operations carry the capacity setting and the caller's clock, so the
 * entity itself reads neither configuration nor wall time.
 */
import type { EntityContext, EntityHandler } from 'durable-functions';
import {
  emptySlotQueue,
  releaseSlot,
  requestSlot,
  type SlotChanges,
  type SlotQueueState,
  type SlotRequest,
  type SlotStanding,
} from './slot-queue';

export const DEPLOYMENT_LIMITER = 'deploymentLimiter';

export interface LimiterClockAndCapacity {
  capacity: number;
  now: number;
}

export type RequestSlotInput = SlotRequest & LimiterClockAndCapacity;
export type ReleaseSlotInput = { requestId: string } & LimiterClockAndCapacity;
/** The caller's standing, what else changed, and since when each current holder has held its slot (for a waiter's estimated start). */
export type RequestSlotAnswer = { standing: SlotStanding; holdersSince: number[] } & SlotChanges;

/**
 * An operation's failure as its caller reads it. durable-functions 3.5.0
 * sends what an operation throws as JSON.stringify(thrown) and the calling
 * orchestration rebuilds it as Error(parsed): a plain Error arrives as
 * "[object Object]", this one as its message.
 */
export class LimiterOperationError extends Error {
  toJSON(): string {
    return this.message;
  }
}

export const deploymentLimiter: EntityHandler<SlotQueueState> = (context: EntityContext<SlotQueueState>) => {
  const state = context.df.getState(emptySlotQueue) ?? emptySlotQueue();
  switch (context.df.operationName) {
    case 'request': {
      const input = context.df.getInput<RequestSlotInput>();
      if (input === undefined) throw new LimiterOperationError("The deployment limiter's request needs { requestId, instanceId, leaseMs, capacity, now }.");
      const { standing, changes } = requestSlot(state, input, input.capacity, input.now);
      context.df.setState(state);
      context.df.return({ standing, holdersSince: state.holders.map((holder) => holder.since), ...changes } satisfies RequestSlotAnswer);
      return;
    }
    case 'release': {
      const input = context.df.getInput<ReleaseSlotInput>();
      if (input === undefined) throw new LimiterOperationError("The deployment limiter's release needs { requestId, capacity, now }.");
      const changes = releaseSlot(state, input.requestId, input.capacity, input.now);
      context.df.setState(state);
      context.df.return(changes);
      return;
    }
    default:
      throw new LimiterOperationError(`The deployment limiter has no operation '${context.df.operationName ?? ''}'.`);
  }
};
