/**
 * The admission rule of one Sora deployment, as pure functions over the
 * limiter entity's state: at most `capacity` requests hold a slot, the rest
 * wait in arrival order. A slot is a lease: a holder that never gives it
 * back (its instance terminated or purged) loses it once the lease ends, on
 * the next operation that looks at the queue. Time comes from the caller
 * (the orchestration's replay-safe clock), never from the entity.
 */

/** A request holding a slot until it releases it or `leaseUntil` passes. */
export interface SlotHolder {
  requestId: string;
  instanceId: string;
  since: number;
  leaseUntil: number;
}

/** A request waiting for a slot; its lease starts when it is granted one. */
export interface SlotWaiter {
  requestId: string;
  instanceId: string;
  since: number;
  leaseMs: number;
}

export interface SlotQueueState {
  holders: SlotHolder[];
  waiters: SlotWaiter[];
}

export interface SlotRequest {
  requestId: string;
  instanceId: string;
  leaseMs: number;
}

/** A request's place: holding a slot, or waiting at a 1-based position. */
export type SlotStanding = { holding: true; leaseUntil: number } | { holding: false; position: number };

/** What an operation changed beyond its own answer: waiters it granted a slot (to be told), holders whose lease ran out. */
export interface SlotChanges {
  granted: SlotHolder[];
  expired: SlotHolder[];
}

export function emptySlotQueue(): SlotQueueState {
  return { holders: [], waiters: [] };
}

/**
 * Asks for a slot: granted at once when one is free and nobody waits, else
 * queued last. Asking again answers the current standing (no second place).
 */
export function requestSlot(state: SlotQueueState, request: SlotRequest, capacity: number, now: number): { standing: SlotStanding; changes: SlotChanges } {
  const changes = settle(state, capacity, now);
  if (standingOf(state, request.requestId) === undefined) {
    state.waiters.push({ requestId: request.requestId, instanceId: request.instanceId, since: now, leaseMs: request.leaseMs });
    const more = settle(state, capacity, now);
    changes.granted.push(...more.granted.filter((holder) => holder.requestId !== request.requestId));
  }
  const standing = standingOf(state, request.requestId);
  if (standing === undefined) throw new Error(`request '${request.requestId}' vanished from the slot queue`);
  return { standing, changes };
}

/** Gives a slot back, or leaves the queue (a cancel while waiting); unknown ids change nothing but expiry. */
export function releaseSlot(state: SlotQueueState, requestId: string, capacity: number, now: number): SlotChanges {
  state.holders = state.holders.filter((holder) => holder.requestId !== requestId);
  state.waiters = state.waiters.filter((waiter) => waiter.requestId !== requestId);
  return settle(state, capacity, now);
}

/** Where a request stands, or undefined when it neither holds nor waits. */
export function standingOf(state: SlotQueueState, requestId: string): SlotStanding | undefined {
  const holder = state.holders.find((candidate) => candidate.requestId === requestId);
  if (holder !== undefined) return { holding: true, leaseUntil: holder.leaseUntil };
  const index = state.waiters.findIndex((waiter) => waiter.requestId === requestId);
  return index === -1 ? undefined : { holding: false, position: index + 1 };
}

/** Drops holders whose lease has ended, then grants free slots to the waiters in order. */
export function settle(state: SlotQueueState, capacity: number, now: number): SlotChanges {
  const expired = state.holders.filter((holder) => holder.leaseUntil <= now);
  state.holders = state.holders.filter((holder) => holder.leaseUntil > now);
  const granted: SlotHolder[] = [];
  while (state.holders.length < capacity && state.waiters.length > 0) {
    const waiter = state.waiters.shift();
    if (waiter === undefined) break;
    const holder = { requestId: waiter.requestId, instanceId: waiter.instanceId, since: now, leaseUntil: now + waiter.leaseMs };
    state.holders.push(holder);
    granted.push(holder);
  }
  return { granted, expired };
}
