/**
 * Streams a video into a block blob within the worker's memory budget
 * (./block-pool.ts), whatever its size and however many copies run at once.
 *
 * When the source serves ranges and says its size, the file is split into at
 * most `ranges` runs of whole blocks, each fetched with one request and read
 * straight from the connection into its blocks, in order: a handful of
 * requests per video, well within the service's request rate. The first
 * request asks for everything from byte 0: its answer says the size, and its
 * connection carries the first run — no HEAD is spent on learning the size.
 * A run that breaks resumes at its first block not yet filled; throttling is
 * waited out as the source asks (./source-retry.ts). Otherwise the body is
 * read once, start to end, from a stream.
 *
 * Every filled block is staged at once. The SHA-256 is computed in file order
 * on the way (./ordered-hash.ts): a block read ahead of its turn keeps its
 * lease until the hash reaches it, and the pool bounds how many can wait so.
 * Nothing is read from a body before a block has room for it.
 *
 * Block ids depend only on the position, so a retried copy stages the same
 * ids and its commit replaces what an earlier attempt left.
 *
 * Why the service does not pull the bytes itself (Put Block From URL): its
 * source must be public or carry a SAS, or — for another storage account — a
 * Microsoft Entra bearer token in `x-ms-copy-source-authorization`, the only
 * scheme it accepts. Sora's content needs `api-key` (or a bearer token for
 * Cognitive Services, not storage), which that header cannot carry, and
 * Azurite does not implement the operation, so no local test could stand
 * for it. The streamed copy is the only copy.
 */
import { setMaxListeners } from 'node:events';
import type { Readable } from 'node:stream';
import type { BlockBlobClient } from '@azure/storage-blob';
import { StreamFiller } from '../sora/stream-fill';
import type { ByteRange } from '../sora/types';
import { blockId, blockLayout, blockLength, blockStart, runEndByte, splitIntoRuns, type BlockLayout, type BlockRun } from './block-layout';
import type { BlockLease, BlockPool } from './block-pool';
import { OrderedHash } from './ordered-hash';
import { DEFAULT_SOURCE_RETRY, SourceRetry, type FailureStreak, type SourceFailure, type SourceRetryPolicy } from './source-retry';

export interface SourceInfo {
  /** Total size, when the source says. */
  size: number | null;
  /** Whether `openRange` may be used. */
  acceptRanges: boolean;
}

/** One range's bytes, read into the copy's own blocks. */
export interface RangeReader {
  /** Fills `target[0, length)` with the range's next bytes. */
  fill(target: Buffer, length: number): Promise<void>;
  /** Lets go of the connection; no byte reaches a block after it. */
  close(): void;
}

/** The answer to the first request, from byte 0: the size it announces and the bytes it carries. */
export interface OpenedStart extends SourceInfo {
  /** Reads from byte 0; null when the answer's bytes cannot be read into blocks. */
  reader: RangeReader | null;
  /** How many bytes from byte 0 the reader holds. */
  readable: number;
}

/**
 * A source says what it is in one of two ways: `openStart`, whose answer both
 * sizes the copy and starts it, or `describe` (a HEAD, or nothing to ask).
 * One with neither is read whole, start to end.
 */
export interface CopySource {
  openStart?(): Promise<OpenedStart>;
  describe?(): Promise<SourceInfo>;
  /** The bytes of `range`; a source without it is read whole. */
  openRange?(range: ByteRange): Promise<RangeReader>;
  /** The whole content, start to end. */
  openWhole(): Promise<Readable>;
  /** How a failure of a call or of reading may be retried. */
  failure(error: unknown): SourceFailure;
}

export interface CopyOptions {
  /** Where every block comes from; its block size is the copy's. */
  pool: BlockPool;
  /** Ranges fetched at once, when the source serves ranges. */
  ranges: number;
  contentType: string;
  metadata?: Record<string, string>;
  retry?: SourceRetryPolicy;
}

export interface CopyResult {
  bytes: number;
  sha256: string;
}

export async function copyToBlockBlob(source: CopySource, blob: BlockBlobClient, options: CopyOptions): Promise<CopyResult> {
  return new BlockBlobCopy(source, blob, options).run();
}

/** The first request's answer and the block leased for it, until run 0 takes them or they are let go. */
interface Start {
  info: OpenedStart;
  lease: BlockLease;
}

interface FilledBlock {
  lease: BlockLease;
  staged: boolean;
  hashed: boolean;
}

class BlockBlobCopy {
  private readonly abort = new AbortController();
  private readonly retry: SourceRetry;
  private readonly hash = new OrderedHash((index) => {
    this.settle(index, 'hashed');
  });
  /** Filled blocks whose lease is still held (staging, or waiting for the hash). */
  private readonly filled = new Map<number, FilledBlock>();
  /** Leases handed out and not yet given back, whatever holds them. */
  private readonly held = new Set<BlockLease>();
  private readonly staging = new Set<Promise<void>>();
  /** Connections open: closed first when the copy stops, before their blocks go back. */
  private readonly connections = new Set<{ close(): void }>();
  private failure: { error: unknown } | undefined;
  private bytes = 0;

  constructor(
    private readonly source: CopySource,
    private readonly blob: BlockBlobClient,
    private readonly options: CopyOptions,
  ) {
    // Every block staged and every lease awaited listens to it: many listeners are expected.
    setMaxListeners(0, this.abort.signal);
    this.retry = new SourceRetry(options.retry ?? DEFAULT_SOURCE_RETRY, (error) => this.failureOf(error), this.abort.signal);
  }

  async run(): Promise<CopyResult> {
    let info: SourceInfo;
    let blockCount: number;
    try {
      const start = await this.start();
      info = start?.info ?? (await this.describe());
      blockCount = info.size === null ? await this.copyWhole(start) : await this.copyKnownSize(blockLayout(info.size, this.options.pool.blockSize), info, start);
      await this.settled();
    } finally {
      this.stop(new Error('The copy ended'));
      await this.settled();
      for (const lease of this.held) lease.release();
    }
    if (this.failure) throw this.failure.error;
    if (info.size !== null && this.bytes !== info.size) throw new Error(`Read ${this.bytes} bytes for ${this.blob.name}, but the source announced ${info.size}`);

    const ids = Array.from({ length: blockCount }, (_, index) => blockId(index));
    await this.blob.commitBlockList(ids, { blobHTTPHeaders: { blobContentType: this.options.contentType }, metadata: this.options.metadata });
    const stored = (await this.blob.getProperties()).contentLength ?? 0;
    if (stored !== this.bytes) throw new Error(`${this.blob.name} holds ${stored} bytes after the commit, not the ${this.bytes} copied`);
    return { bytes: this.bytes, sha256: this.hash.digest(blockCount) };
  }

  /**
   * The first request, from byte 0, for a source that opens so — with block 0
   * leased before it, as every run leases before it connects: a copy waiting
   * for memory holds no connection open.
   */
  private async start(): Promise<Start | undefined> {
    const openStart = this.source.openStart?.bind(this.source);
    if (!openStart) return undefined;
    const streak: FailureStreak = { transient: 0 };
    for (;;) {
      const lease = await this.lease(0, false);
      try {
        const info = await openStart();
        if (info.reader) this.opened(info.reader);
        return { info, lease };
      } catch (error) {
        this.giveBack(lease);
        await this.retry.beforeRetry(error, streak);
      }
    }
  }

  private describe(): Promise<SourceInfo> {
    const describe = this.source.describe?.bind(this.source);
    return describe ? this.retry.call(describe) : Promise.resolve({ size: null, acceptRanges: false });
  }

  /**
   * Runs of whole blocks, fetched in parallel when the source serves ranges;
   * returns the number of blocks. The first request's answer carries the
   * first run when it holds all of it; else it is let go and the run asks
   * for its own range (or, without ranges, the body is read again whole).
   */
  private async copyKnownSize(layout: BlockLayout, info: SourceInfo, start: Start | undefined): Promise<number> {
    if (layout.blockCount === 0) {
      if (start) this.letGo(start);
      return 0;
    }
    const ranged = info.acceptRanges && this.source.openRange !== undefined;
    const runs = ranged ? splitIntoRuns(layout, this.options.ranges) : [{ first: 0, end: layout.blockCount }];
    const first = runs[0];
    const carried = start?.info.reader && first && start.info.readable > runEndByte(layout, first) ? { reader: start.info.reader, lease: start.lease } : undefined;
    if (start && !carried) this.letGo(start);
    if (!ranged && !carried) return this.copyWhole(undefined);
    await Promise.all(runs.map((run, i) => this.copyRun(layout, run, ranged, i === 0 ? carried : undefined).catch((error: unknown) => { this.fail(error); })));
    return layout.blockCount;
  }

  private letGo(start: Start): void {
    if (start.info.reader) this.closed(start.info.reader);
    this.giveBack(start.lease);
  }

  /**
   * One run: one request for all its blocks (or the first request's answer,
   * `carried`), another from the first unfilled block after each break when
   * the source serves ranges.
   */
  private async copyRun(layout: BlockLayout, run: BlockRun, resumable: boolean, carried: { reader: RangeReader; lease: BlockLease } | undefined): Promise<void> {
    const streak: FailureStreak = { transient: 0 };
    let next = run.first;
    let handed = carried;
    while (next < run.end) {
      // The block first, then the connection: a run waiting for memory holds no connection open.
      let lease: BlockLease | undefined = handed?.lease ?? (await this.lease(next, false));
      let reader: RangeReader | undefined = handed?.reader;
      handed = undefined;
      try {
        reader ??= this.opened(await this.openRange({ start: blockStart(layout, next), end: runEndByte(layout, run) }));
        for (;;) {
          const length = blockLength(layout, next);
          await reader.fill(lease.block, length);
          this.blockFilled(next, lease, length);
          lease = undefined;
          next++;
          streak.transient = 0;
          if (next === run.end) break;
          lease = await this.lease(next, true);
        }
      } catch (error) {
        // The connection goes first: no byte may reach a block once it is back in the pool.
        if (reader) this.closed(reader);
        reader = undefined;
        if (lease) this.giveBack(lease);
        // Without ranges a broken body cannot be taken up where it broke.
        if (!resumable) throw error;
        await this.retry.beforeRetry(error, streak);
      } finally {
        if (reader) this.closed(reader);
      }
    }
  }

  private openRange(range: ByteRange): Promise<RangeReader> {
    const openRange = this.source.openRange?.bind(this.source);
    if (!openRange) throw new Error('a run resumed on a source that reads no ranges');
    return openRange(range);
  }

  /** The whole body, start to end, when ranges cannot be used; returns the number of blocks. */
  private async copyWhole(start: Start | undefined): Promise<number> {
    if (start) this.letGo(start);
    let index = 0;
    let lease: BlockLease | undefined = await this.lease(index, false);
    let connection: { close(): void } | undefined;
    try {
      const body = await this.retry.call(() => this.source.openWhole());
      connection = this.opened({ close: () => body.destroy() });
      const reader = new StreamFiller(body);
      for (;;) {
        const length = await reader.fillUpTo(lease.block, lease.block.length);
        if (length === 0) break;
        this.blockFilled(index, lease, length);
        lease = undefined;
        index++;
        if (length < this.options.pool.blockSize) break;
        lease = await this.lease(index, true);
      }
      return index;
    } finally {
      if (connection) this.closed(connection);
      if (lease) this.giveBack(lease);
    }
  }

  private async lease(index: number, connectionOpen: boolean): Promise<BlockLease> {
    const lease = await this.options.pool.lease(() => ({ blocksAhead: index - this.hash.nextIndex, connectionOpen }), this.abort.signal);
    this.held.add(lease);
    return lease;
  }

  private giveBack(lease: BlockLease): void {
    this.held.delete(lease);
    lease.release();
  }

  /** Stages the block at once and hands it to the hash; its lease goes back when both are done. */
  private blockFilled(index: number, lease: BlockLease, length: number): void {
    const bytes = lease.block.subarray(0, length);
    this.bytes += length;
    this.filled.set(index, { lease, staged: false, hashed: false });
    const staging = this.blob.stageBlock(blockId(index), bytes, length, { abortSignal: this.abort.signal }).then(
      () => {
        this.settle(index, 'staged');
      },
      (error: unknown) => {
        this.fail(error);
      },
    );
    this.staging.add(staging);
    void staging.finally(() => this.staging.delete(staging));
    this.hash.add(index, bytes);
    // The hash moved on: a block some run waits for may now be the one it needs next.
    this.options.pool.reconsider();
  }

  private settle(index: number, step: 'staged' | 'hashed'): void {
    const block = this.filled.get(index);
    if (!block) return;
    block[step] = true;
    if (block.staged && block.hashed) {
      this.filled.delete(index);
      this.giveBack(block.lease);
    }
  }

  /** The first failure ends the copy: runs stop, waits for blocks end, staging is cancelled. */
  private fail(error: unknown): void {
    this.failure ??= { error };
    this.stop(error);
  }

  private stop(reason: unknown): void {
    if (!this.abort.signal.aborted) this.abort.abort(reason);
    for (const connection of this.connections) connection.close();
  }

  private failureOf(error: unknown): SourceFailure {
    return this.abort.signal.aborted ? { kind: 'fatal' } : this.source.failure(error);
  }

  /** Keeps a connection to close when the copy stops; one opened after that is closed at once. */
  private opened<C extends { close(): void }>(connection: C): C {
    if (this.abort.signal.aborted) {
      connection.close();
      throw this.abort.signal.reason;
    }
    this.connections.add(connection);
    return connection;
  }

  private closed(connection: { close(): void }): void {
    this.connections.delete(connection);
    connection.close();
  }

  /** Until no block is being staged: only then may their memory go to another copy. */
  private async settled(): Promise<void> {
    while (this.staging.size > 0) await Promise.allSettled([...this.staging]);
  }
}
