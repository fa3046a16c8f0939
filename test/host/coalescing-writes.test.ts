// Writes per key, one at a time; requests made during a write share the next
// one, which stores the state as it is when it starts.
import { describe, expect, it } from 'vitest';
import { CoalescingWrites } from '../../src/local/host/persistence/coalescing-writes';

/** A write that records the state it stored and waits for the test to let it finish. */
function gatedWrites(state: Map<string, number>) {
  const stored: [string, number][] = [];
  const gates: (() => void)[] = [];
  const writes = new CoalescingWrites<string>(async (key) => {
    stored.push([key, state.get(key) ?? 0]);
    await new Promise<void>((resolve) => gates.push(resolve));
  });
  return { writes, stored, release: () => gates.shift()?.(), pending: () => gates.length };
}

describe('coalescing writes', () => {
  it('folds the requests made during a write into one more write of the latest state', async () => {
    const state = new Map([['a', 1]]);
    const { writes, stored, release, pending } = gatedWrites(state);
    const first = writes.request('a');
    state.set('a', 2);
    const second = writes.request('a');
    state.set('a', 3);
    const third = writes.request('a');
    expect(second).toBe(third);
    expect(stored).toEqual([['a', 1]]);
    release();
    await first;
    // The follow-up started as the first finished, with the state as it was then.
    expect(stored).toEqual([['a', 1], ['a', 3]]);
    expect(pending()).toBe(1);
    release();
    await third;
    await writes.settled();
    expect(stored).toHaveLength(2);
  });

  it('writes different keys side by side', () => {
    const state = new Map([['a', 1], ['b', 2]]);
    const { writes, stored, release } = gatedWrites(state);
    void writes.request('a');
    void writes.request('b');
    expect(stored).toEqual([['a', 1], ['b', 2]]);
    release();
    release();
  });

  it('rejects the requests of a failed write and still runs the queued one', async () => {
    let calls = 0;
    const writes = new CoalescingWrites<string>(() => {
      calls++;
      return calls === 1 ? Promise.reject(new Error('storage down')) : Promise.resolve();
    });
    const failed = writes.request('a');
    const next = writes.request('a');
    await expect(failed).rejects.toThrow('storage down');
    await expect(next).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });
});
