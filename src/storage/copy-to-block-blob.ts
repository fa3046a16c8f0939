/**
 * Streams a video into a block blob with bounded memory whatever its size:
 * fixed-size blocks are staged as they fill and committed at the end. When the
 * source serves byte ranges and its size is known, blocks are fetched in
 * parallel; a range that breaks is fetched again on its own.
 *
 * Block ids depend only on the block's position, so a retried copy of the same
 * source to the same blob name stages the same ids and the final commit
 * replaces what an earlier attempt left: no duplicates, no partial blob.
 *
 * The SHA-256 is computed in byte order while copying (out-of-order blocks
 * wait in a small window), so no second read is needed.
 */
import { createHash, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { BlockBlobClient } from '@azure/storage-blob';
import type { ByteRange } from '../sora/types';

export interface CopySource {
  /** Total size when known (e.g. from a HEAD request). */
  size: number | null;
  /** Whether `open(range)` may be used. */
  acceptRanges: boolean;
  open(range?: ByteRange): Promise<Readable>;
}

export interface CopyOptions {
  blockSizeBytes: number;
  /** Blocks in flight at once (staging, or ranges being fetched). */
  concurrency: number;
  contentType: string;
  metadata?: Record<string, string>;
  /** Attempts per range before the copy fails (ranged mode). */
  rangeAttempts?: number;
}

export interface CopyResult {
  bytes: number;
  sha256: string;
}

export async function copyToBlockBlob(source: CopySource, blob: BlockBlobClient, options: CopyOptions): Promise<CopyResult> {
  const hash = createHash('sha256');
  const ranged = source.acceptRanges && source.size !== null && source.size > options.blockSizeBytes;
  const blockIds = ranged && source.size !== null ? await copyRanges(source, source.size, blob, hash, options) : await copySequential(source, blob, hash, options);
  await blob.commitBlockList(blockIds, {
    blobHTTPHeaders: { blobContentType: options.contentType },
    metadata: options.metadata,
  });
  const bytes = (await blob.getProperties()).contentLength ?? 0;
  if (source.size !== null && bytes !== source.size) {
    throw new Error(`Copied ${bytes} bytes into ${blob.name}, but the source announced ${source.size}`);
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** Ids must all have the same length within a blob; the position makes them stable across retries. */
function blockId(index: number): string {
  return Buffer.from(`block-${index.toString().padStart(8, '0')}`).toString('base64');
}

async function copySequential(source: CopySource, blob: BlockBlobClient, hash: Hash, options: CopyOptions): Promise<string[]> {
  const ids: string[] = [];
  const staging = new BoundedWork(options.concurrency);
  const body = await source.open();
  try {
    for await (const block of blocksOf(body, options.blockSizeBytes)) {
      hash.update(block);
      const id = blockId(ids.length);
      ids.push(id);
      await staging.add(() => blob.stageBlock(id, block, block.length));
    }
  } finally {
    body.destroy();
  }
  await staging.drain();
  return ids;
}

async function copyRanges(source: CopySource, size: number, blob: BlockBlobClient, hash: Hash, options: CopyOptions): Promise<string[]> {
  const { blockSizeBytes, concurrency } = options;
  const count = Math.ceil(size / blockSizeBytes);
  const ids = Array.from({ length: count }, (_, i) => blockId(i));
  const window = new HashWindow(hash, concurrency);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count && !window.hasFailed()) {
      const index = next++;
      await window.waitForRoom(index);
      if (window.hasFailed()) return;
      const start = index * blockSizeBytes;
      const end = Math.min(size, start + blockSizeBytes) - 1;
      const block = await readRange(source, { start, end }, options.rangeAttempts ?? 3);
      await blob.stageBlock(ids[index] ?? blockId(index), block, block.length);
      window.completed(index, block);
    }
  };
  const failFast = (error: unknown): never => {
    window.fail();
    throw error;
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, () => worker().catch(failFast)));
  return ids;
}

async function readRange(source: CopySource, range: ByteRange, attempts: number): Promise<Buffer> {
  const expected = range.end - range.start + 1;
  for (let attempt = 1; ; attempt++) {
    try {
      const body = await source.open(range);
      const block = await readExactly(body, expected);
      return block;
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}

/** Reads a range body into one buffer of the announced length, or fails. */
async function readExactly(body: Readable, length: number): Promise<Buffer> {
  const block = Buffer.allocUnsafe(length);
  let filled = 0;
  try {
    for await (const chunk of body) {
      const data = chunk as Buffer;
      if (filled + data.length > length) throw new Error(`Range answered more than the ${length} bytes asked for`);
      data.copy(block, filled);
      filled += data.length;
    }
  } finally {
    body.destroy();
  }
  if (filled !== length) throw new Error(`Range ended after ${filled} of ${length} bytes`);
  return block;
}

/** Cuts a stream into blocks of exactly `size` bytes (the last one shorter). */
async function* blocksOf(body: Readable, size: number): AsyncGenerator<Buffer> {
  let block = Buffer.allocUnsafe(size);
  let filled = 0;
  for await (const chunk of body) {
    let data = chunk as Buffer;
    while (data.length > 0) {
      const take = Math.min(size - filled, data.length);
      data.copy(block, filled, 0, take);
      filled += take;
      data = data.subarray(take);
      if (filled === size) {
        yield block;
        block = Buffer.allocUnsafe(size);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield block.subarray(0, filled);
}

/** Runs at most `limit` operations at once; the first failure fails the copy. */
class BoundedWork {
  private readonly running = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  constructor(private readonly limit: number) {}

  async add(work: () => Promise<unknown>): Promise<void> {
    this.throwIfFailed();
    const task: Promise<void> = work().then(
      () => {
        this.running.delete(task);
      },
      (error: unknown) => {
        this.running.delete(task);
        this.failure ??= { error };
      },
    );
    this.running.add(task);
    if (this.running.size >= this.limit) await Promise.race(this.running);
    this.throwIfFailed();
  }

  async drain(): Promise<void> {
    await Promise.all(this.running);
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}

/** Feeds blocks to the hash in order; holds at most `size` finished blocks waiting for their turn. */
class HashWindow {
  private nextToHash = 0;
  private readonly waiting = new Map<number, Buffer>();
  private readonly waiters: (() => void)[] = [];
  /** Set when a block failed: everyone waiting stops. */
  private failed = false;

  constructor(
    private readonly hash: Hash,
    private readonly size: number,
  ) {}

  async waitForRoom(index: number): Promise<void> {
    while (!this.failed && index >= this.nextToHash + this.size) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  completed(index: number, block: Buffer): void {
    this.waiting.set(index, block);
    for (let ready = this.waiting.get(this.nextToHash); ready; ready = this.waiting.get(this.nextToHash)) {
      this.hash.update(ready);
      this.waiting.delete(this.nextToHash);
      this.nextToHash++;
    }
    this.wakeAll();
  }

  hasFailed(): boolean {
    return this.failed;
  }

  fail(): void {
    this.failed = true;
    this.wakeAll();
  }

  private wakeAll(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }
}
