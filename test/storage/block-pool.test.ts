/**
 * The worker's memory budget for copies: never more blocks out than it holds,
 * a waiter served as soon as a block comes back, the block a checksum needs
 * next before read-ahead, and read-ahead kept to half the blocks and that
 * many blocks ahead.
 */
import { setTimeout as nextTimerTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { BlockPool, type BlockLease, type BlockWant } from '../../src/storage/block-pool';

const KiB = 1024;
const next: BlockWant = { blocksAhead: 0, connectionOpen: false };
/** A budget that holds `blocks` blocks of 8 KiB. */
const budgetFor = (blocks: number) => 2 * blocks * 8 * KiB;
const ahead = (blocksAhead: number, connectionOpen = false): BlockWant => ({ blocksAhead, connectionOpen });

/** Leases in the order the pool grants them, by name. */
function recorder(pool: BlockPool) {
  const granted: string[] = [];
  const leases = new Map<string, BlockLease>();
  return {
    granted,
    ask(name: string, want: BlockWant | (() => BlockWant), signal?: AbortSignal): Promise<BlockLease> {
      const lease = pool.lease(typeof want === 'function' ? want : () => want, signal).then((l) => {
        granted.push(name);
        leases.set(name, l);
        return l;
      });
      return lease;
    },
    release(name: string) {
      leases.get(name)?.release();
    },
  };
}

/** Lets granted leases' callbacks run (promise turns only, no clock). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('BlockPool', () => {
  it('holds as many blocks as fit in half the budget (the rest is for what copying costs besides), one at least', () => {
    expect(new BlockPool(64 * KiB, 8 * KiB).stats()).toEqual({ blocks: 4, leased: 0, peakLeased: 0, waiting: 0 });
    expect(new BlockPool(256 * KiB, 16 * KiB).stats().blocks).toBe(8);
    expect(new BlockPool(8 * KiB, 8 * KiB).stats().blocks).toBe(1);
    expect(() => new BlockPool(4 * KiB, 8 * KiB)).toThrow('A memory budget of 4096 bytes holds no block of 8192 bytes');
  });

  it('never leases more blocks than it holds: a waiter gets the block the first holder gives back', async () => {
    const pool = new BlockPool(budgetFor(2), 8 * KiB);
    const r = recorder(pool);
    const first = await r.ask('a', next);
    await r.ask('b', next);
    const third = r.ask('c', next);
    await settle();
    expect(r.granted).toEqual(['a', 'b']);
    expect(pool.stats()).toMatchObject({ leased: 2, waiting: 1 });

    r.release('a');
    await settle();
    expect(r.granted).toEqual(['a', 'b', 'c']);
    expect(pool.stats()).toEqual({ blocks: 2, leased: 2, peakLeased: 2, waiting: 0 });
    // The block came back and went out again: reused, not allocated anew.
    expect((await third).block).toBe(first.block);
  });

  it('reuses a returned block, and a lease given back twice counts once', async () => {
    const pool = new BlockPool(budgetFor(1), 8 * KiB);
    const lease = await pool.lease(() => next);
    lease.release();
    lease.release();
    expect(pool.stats().leased).toBe(0);
    const again = await pool.lease(() => next);
    expect(again.block).toBe(lease.block);
  });

  it('serves the block a checksum needs next before read-ahead, and an open connection before a new one', async () => {
    const pool = new BlockPool(budgetFor(2), 8 * KiB);
    const r = recorder(pool);
    await r.ask('held-1', next);
    await r.ask('held-2', next);
    void r.ask('ahead', ahead(1, true));
    void r.ask('next-new', next);
    void r.ask('next-open', ahead(0, true));
    await settle();
    r.release('held-1');
    await settle();
    r.release('held-2');
    await settle();
    expect(r.granted).toEqual(['held-1', 'held-2', 'next-open', 'next-new']);
    expect(pool.stats().waiting).toBe(1);
  });

  it('lets read-ahead take blocks only while fewer than half are out, and only that many blocks ahead', async () => {
    const pool = new BlockPool(budgetFor(8), 8 * KiB);
    const r = recorder(pool);
    // Too far ahead: 5 blocks beyond the one the checksum needs, with 4 the most read-ahead may hold.
    void r.ask('far', ahead(5));
    for (const name of ['near-1', 'near-2', 'near-3', 'near-4', 'near-5']) void r.ask(name, ahead(1));
    await settle();
    expect(r.granted).toEqual(['near-1', 'near-2', 'near-3', 'near-4']);
    expect(pool.stats()).toMatchObject({ leased: 4, waiting: 2 });
    // The block a checksum needs next still gets one of the other half.
    await r.ask('next', next);
    expect(pool.stats().leased).toBe(5);
  });

  it('hands a waiting lease out once what it wants changes (its checksum reached it)', async () => {
    const pool = new BlockPool(budgetFor(2), 8 * KiB);
    const r = recorder(pool);
    await r.ask('held', next);
    let blocksAhead = 3;
    void r.ask('waiting', () => ahead(blocksAhead));
    await settle();
    expect(r.granted).toEqual(['held']);
    blocksAhead = 0;
    pool.reconsider();
    await settle();
    expect(r.granted).toEqual(['held', 'waiting']);
  });

  it('stops waiting when the copy is abandoned, with the reason it was abandoned for', async () => {
    const pool = new BlockPool(budgetFor(1), 8 * KiB);
    await pool.lease(() => next);
    const abandon = new AbortController();
    const waiting = pool.lease(() => next, abandon.signal);
    expect(pool.stats().waiting).toBe(1);
    abandon.abort(new Error('the copy failed'));
    await expect(waiting).rejects.toThrow('the copy failed');
    expect(pool.stats().waiting).toBe(0);
  });

  it('drops its blocks once nothing has been leased for a while, so an idle worker gives the memory back', async () => {
    const pool = new BlockPool(8 * KiB, 8 * KiB, { idleReleaseMs: 0 });
    const first = await pool.lease(() => next);
    first.release();
    // The pool's idle timer was set first, with the same delay: it has fired once this one fires.
    await nextTimerTurn(0);
    const later = await pool.lease(() => next);
    expect(later.block).not.toBe(first.block);
  });
});
