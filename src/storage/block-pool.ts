/**
 * The memory every copy on this worker may hold, together: a fixed number of
 * blocks leased from one pool, so one copy or forty stay within the budget. A
 * copy that finds no free block waits for one instead of allocating more.
 *
 * The blocks take half the budget. The other half is what copying costs
 * besides: connections and requests in flight, and above all the JavaScript
 * heap, whose young generation V8 grows (by some 20 MiB here) while many
 * copies allocate fast. So the worker's memory grows by no more than the
 * budget, whatever the number of copies (bench/store-memory.bench.ts).
 *
 * Blocks are allocated on first use and reused after, which also spares the
 * page faults of fresh memory on every block. After a while with nothing
 * leased they are dropped, so an idle worker gives the memory back.
 *
 * Who gets the next free block: the block a copy's checksum needs next, before
 * any block read ahead of it; among those, a range that already has its
 * connection open, so it is not kept waiting mid-answer. A block read ahead
 * waits (once filled) until the checksum reaches it, so read-ahead is allowed
 * only while fewer than half the blocks are out and only that many blocks
 * ahead: the blocks the checksums need next can never all be held by blocks
 * waiting for them, and a read-ahead block is never held for long.
 */

/** What a lease is for; asked again each time a block comes free, as it changes while waiting. */
export interface BlockWant {
  /** Blocks between this one and the one its copy's checksum needs next (0: that very block). */
  blocksAhead: number;
  /** Whether a connection is open, waiting for room to read into. */
  connectionOpen: boolean;
}

export interface BlockLease {
  /** A whole block; the holder uses a prefix of it. */
  readonly block: Buffer;
  /** Gives the block back; later calls do nothing. */
  release(): void;
}

export interface BlockPoolStats {
  blocks: number;
  leased: number;
  /** The most leased at once since the pool was made. */
  peakLeased: number;
  waiting: number;
}

interface Waiter {
  want: () => BlockWant;
  arrival: number;
  grant: (lease: BlockLease) => void;
}

/** The share of the budget held in blocks. */
const BLOCKS_SHARE = 1 / 2;
/** An idle worker keeps its blocks this long in case the next copy follows soon. */
const DEFAULT_IDLE_RELEASE_MS = 5_000;

export class BlockPool {
  readonly blockSize: number;
  readonly blocks: number;
  private readonly readAheadLimit: number;
  private readonly idleReleaseMs: number;
  private readonly free: Buffer[] = [];
  private readonly waiters: Waiter[] = [];
  private leased = 0;
  private peakLeased = 0;
  private arrivals = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(budgetBytes: number, blockSize: number, options: { idleReleaseMs?: number } = {}) {
    if (!Number.isInteger(blockSize) || blockSize <= 0) throw new RangeError(`A block size must be a positive whole number of bytes, not ${blockSize}`);
    this.blockSize = blockSize;
    if (budgetBytes < blockSize) throw new RangeError(`A memory budget of ${budgetBytes} bytes holds no block of ${blockSize} bytes`);
    // One block at least, or nothing could be copied.
    this.blocks = Math.max(1, Math.floor((budgetBytes * BLOCKS_SHARE) / blockSize));
    this.readAheadLimit = Math.floor(this.blocks / 2);
    this.idleReleaseMs = options.idleReleaseMs ?? DEFAULT_IDLE_RELEASE_MS;
  }

  /**
   * A block, as soon as the budget allows one for this urgency. Rejects with
   * the signal's reason if it aborts first.
   */
  lease(want: () => BlockWant, signal?: AbortSignal): Promise<BlockLease> {
    signal?.throwIfAborted();
    return new Promise<BlockLease>((resolve, reject) => {
      const onAbort = () => {
        const at = this.waiters.indexOf(waiter);
        if (at !== -1) this.waiters.splice(at, 1);
        reject(signal?.reason as Error);
      };
      const waiter: Waiter = {
        want,
        arrival: this.arrivals++,
        grant: (lease) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(lease);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      this.serve();
    });
  }

  /** Looks at the waiters again: call when what they want changed (a checksum moved on). */
  reconsider(): void {
    this.serve();
  }

  stats(): BlockPoolStats {
    return { blocks: this.blocks, leased: this.leased, peakLeased: this.peakLeased, waiting: this.waiters.length };
  }

  private serve(): void {
    for (;;) {
      const first = this.first();
      if (!first || !this.grantable(first.want)) return;
      this.waiters.splice(this.waiters.indexOf(first.waiter), 1);
      first.waiter.grant(this.take());
    }
  }

  private grantable(want: BlockWant): boolean {
    if (want.blocksAhead === 0) return this.leased < this.blocks;
    return this.leased < this.readAheadLimit && want.blocksAhead <= this.readAheadLimit;
  }

  /** The waiter served first; when it cannot have a block, no other waiter can. */
  private first(): { waiter: Waiter; want: BlockWant } | undefined {
    let best: { waiter: Waiter; want: BlockWant } | undefined;
    for (const waiter of this.waiters) {
      const want = waiter.want();
      if (!best || servedBefore({ waiter, want }, best)) best = { waiter, want };
    }
    return best;
  }

  private take(): BlockLease {
    clearTimeout(this.idleTimer);
    this.leased++;
    this.peakLeased = Math.max(this.peakLeased, this.leased);
    // Not from Node's shared slab: a block is reused whole, and must not keep other buffers alive.
    const block = this.free.pop() ?? Buffer.allocUnsafeSlow(this.blockSize);
    let released = false;
    return {
      block,
      release: () => {
        if (released) return;
        released = true;
        this.leased--;
        this.free.push(block);
        this.serve();
        if (this.leased === 0) this.dropBlocksWhenIdle();
      },
    };
  }

  private dropBlocksWhenIdle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.leased === 0) this.free.length = 0;
    }, this.idleReleaseMs);
    // An idle pool must not keep the process alive.
    this.idleTimer.unref();
  }
}

/** The next block before read-ahead, nearer read-ahead before farther, an open connection before a new one, then first come. */
function servedBefore(a: { waiter: Waiter; want: BlockWant }, b: { waiter: Waiter; want: BlockWant }): boolean {
  const key = ({ waiter, want }: { waiter: Waiter; want: BlockWant }) => [want.blocksAhead, want.connectionOpen ? 0 : 1, waiter.arrival];
  const [x, y] = [key(a), key(b)];
  for (let i = 0; i < x.length; i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0);
  }
  return false;
}
