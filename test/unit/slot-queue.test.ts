// The admission rule of the per-deployment limiter: capacity, FIFO order,
// leaving the queue, and leases that free the slot of a holder that vanished.
import { describe, expect, it } from 'vitest';
import { emptySlotQueue, releaseSlot, requestSlot, settle, standingOf } from '../../src/entities/slot-queue';

const MINUTE = 60_000;
const LEASE = 30 * MINUTE;

function ask(state: ReturnType<typeof emptySlotQueue>, requestId: string, now: number) {
  return requestSlot(state, { requestId, instanceId: `i-${requestId}`, leaseMs: LEASE }, 2, now);
}

describe('slot queue of one deployment (capacity 2)', () => {
  it('grants the first two at once and queues the rest in arrival order', () => {
    const state = emptySlotQueue();
    expect(ask(state, 'a', 0).standing).toEqual({ holding: true, leaseUntil: LEASE });
    expect(ask(state, 'b', 1).standing).toEqual({ holding: true, leaseUntil: 1 + LEASE });
    expect(ask(state, 'c', 2).standing).toEqual({ holding: false, position: 1 });
    expect(ask(state, 'd', 3).standing).toEqual({ holding: false, position: 2 });
    // Asking again keeps the place.
    expect(ask(state, 'c', 4).standing).toEqual({ holding: false, position: 1 });
    expect(state.waiters.map((waiter) => waiter.requestId)).toEqual(['c', 'd']);
  });

  it('gives a released slot to the first waiter, with a lease from then', () => {
    const state = emptySlotQueue();
    for (const [index, id] of ['a', 'b', 'c', 'd'].entries()) ask(state, id, index);
    const changes = releaseSlot(state, 'a', 2, 10 * MINUTE);
    expect(changes.granted).toEqual([{ requestId: 'c', instanceId: 'i-c', since: 10 * MINUTE, leaseUntil: 10 * MINUTE + LEASE }]);
    expect(standingOf(state, 'd')).toEqual({ holding: false, position: 1 });
    expect(standingOf(state, 'a')).toBeUndefined();
  });

  it('lets a waiter leave the queue (cancel while waiting) without granting anyone', () => {
    const state = emptySlotQueue();
    for (const [index, id] of ['a', 'b', 'c', 'd'].entries()) ask(state, id, index);
    expect(releaseSlot(state, 'c', 2, 5)).toEqual({ granted: [], expired: [] });
    expect(standingOf(state, 'c')).toBeUndefined();
    expect(standingOf(state, 'd')).toEqual({ holding: false, position: 1 });
  });

  it('takes the slot of a holder whose lease ended and grants it to the next waiter', () => {
    const state = emptySlotQueue();
    ask(state, 'a', 0);
    ask(state, 'b', 20 * MINUTE);
    ask(state, 'c', 21 * MINUTE);
    expect(settle(state, 2, LEASE - 1)).toEqual({ granted: [], expired: [] });
    const changes = settle(state, 2, LEASE);
    expect(changes.expired.map((holder) => holder.requestId)).toEqual(['a']);
    expect(changes.granted.map((holder) => holder.requestId)).toEqual(['c']);
    expect(state.holders.map((holder) => holder.requestId)).toEqual(['b', 'c']);
  });

  it('reports a slot granted to someone else while asking, and not the asker itself', () => {
    const state = emptySlotQueue();
    ask(state, 'a', 0);
    ask(state, 'b', 0);
    ask(state, 'c', 1);
    // 'a' and 'b' have expired when 'd' asks: 'c' (first in line) and then 'd' get the two slots.
    const { standing, changes } = ask(state, 'd', LEASE + 1);
    expect(standing).toEqual({ holding: true, leaseUntil: 2 * LEASE + 1 });
    expect(changes.granted.map((holder) => holder.requestId)).toEqual(['c']);
    expect(changes.expired.map((holder) => holder.requestId)).toEqual(['a', 'b']);
  });
});
