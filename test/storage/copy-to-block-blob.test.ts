/**
 * The streamed copy from Sora (the emulator over HTTP) into Blob Storage
 * (Azurite), with the real SDKs: few large ranges, the first of them also
 * the request that learns the size (no HEAD), a broken range resumed at
 * its first unfilled block, throttling waited out as Sora asks, a memory
 * budget shared by copies and never exceeded, nothing read before a block has
 * room for it (each range read straight from the socket into the blocks).
 * Waits between retries are recorded, not slept.
 */
import { createHash } from 'node:crypto';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { soraFailure, videoSource } from '../../src/activities/sora-copy-sources';
import { startAzurite, type Azurite } from '../../src/local/azurite';
import { startSoraEmulator, type SoraEmulator } from '../../src/local/sora-emulator';
import { createVideoService, SoraError, type ByteRange, type JobsClient } from '../../src/sora';
import { BlockPool, type BlockLease, type BlockWant } from '../../src/storage/block-pool';
import { copyToBlockBlob, type CopyOptions, type CopySource, type RangeReader } from '../../src/storage/copy-to-block-blob';
import { RangeSocket } from '../../src/sora/range-socket';
import { DEFAULT_SOURCE_RETRY, type SourceRetryPolicy } from '../../src/storage/source-retry';

const KiB = 1024;
const BLOCK = 256 * KiB;

let now = Date.parse('2026-12-01T12:00:00Z');
const clock = { now: () => now };
let emulator: SoraEmulator;
let azurite: Azurite;
let sora: JobsClient;
let container: ContainerClient;
/** One succeeded generation: its video is whatever synthetic size the test sets. */
let generationId: string;

beforeAll(async () => {
  [emulator, azurite] = await Promise.all([startSoraEmulator({ port: 0, clock, jobSeconds: 10, requestsPerMinute: 10_000, log: () => undefined }), startAzurite()]);
  sora = createVideoService({ api: 'jobs', endpoint: emulator.endpoint, deployment: emulator.deployments.jobs, apiKey: emulator.apiKey });
  container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('copies');
  await container.createIfNotExists();
  const job = await sora.submit({ prompt: 'a copy', width: 480, height: 480, nSeconds: 1, nVariants: 1 });
  now += 11_000;
  generationId = (await sora.getJob(job.id)).generations[0]?.id ?? '';
});
afterEach(() => {
  emulator.faults.clear();
});
afterAll(async () => {
  await emulator.close();
  await azurite.close();
});

/** The video as a copy source, every call to Sora recorded: `started` counts the requests from byte 0, `opened` the others. */
function recorded(source: CopySource = videoSource(sora, generationId)) {
  const opened: (ByteRange | 'whole')[] = [];
  const readers: RangeReader[] = [];
  let started = 0;
  const wrapped: CopySource = {
    openWhole: () => {
      opened.push('whole');
      return source.openWhole();
    },
    failure: soraFailure,
  };
  const openStart = source.openStart?.bind(source);
  if (openStart) {
    wrapped.openStart = async () => {
      started++;
      const start = await openStart();
      if (start.reader) readers.push(start.reader);
      return start;
    };
  }
  const describe = source.describe?.bind(source);
  if (describe) wrapped.describe = describe;
  const openRange = source.openRange?.bind(source);
  if (openRange) {
    wrapped.openRange = async (range) => {
      opened.push(range);
      const reader = await openRange(range);
      readers.push(reader);
      return reader;
    };
  }
  return {
    source: wrapped,
    opened,
    readers,
    get started() {
      return started;
    },
  };
}

/** Retries with their waits recorded instead of slept. */
function recordedRetry(): { policy: SourceRetryPolicy; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    policy: {
      ...DEFAULT_SOURCE_RETRY,
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    },
  };
}

function options(pool: BlockPool, more: Partial<CopyOptions> = {}): CopyOptions {
  return { pool, ranges: 4, contentType: 'video/mp4', ...more };
}

async function servedSha256(): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of (await sora.openContent(generationId)).body) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function storedSha256(name: string): Promise<string> {
  const hash = createHash('sha256');
  const body = (await container.getBlockBlobClient(name).download()).readableStreamBody;
  for await (const chunk of body ?? []) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Waits, turn by turn of the event loop (never on the clock), until `done()` holds. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise(setImmediate);
}

describe('copyToBlockBlob', () => {
  it('copies a video in at most 4 ranges of whole blocks, one request each, the blob identical to what Sora served', async () => {
    const size = 5 * 1024 * KiB + 123;
    emulator.faults.add({ kind: 'contentSize', bytes: size });
    const calls = recorded();
    const result = await copyToBlockBlob(calls.source, container.getBlockBlobClient('ranged.mp4'), options(new BlockPool(16 * BLOCK, BLOCK), { metadata: { requestId: 'r1' } }));

    const served = await servedSha256();
    expect(result).toEqual({ bytes: size, sha256: served });
    expect(await storedSha256('ranged.mp4')).toBe(served);
    // 21 blocks of 256 KiB (the last one 123 bytes) in 4 runs of 5 or 6 blocks: the first run is read from the
    // answer that said the size, each other run asks for its range — 4 requests, none of them a HEAD.
    expect(calls.started).toBe(1);
    expect(sortedRanges(calls.opened)).toEqual([
      { start: 5 * BLOCK, end: 10 * BLOCK - 1 },
      { start: 10 * BLOCK, end: 15 * BLOCK - 1 },
      { start: 15 * BLOCK, end: size - 1 },
    ]);
    const properties = await container.getBlockBlobClient('ranged.mp4').getProperties();
    expect(properties).toMatchObject({ contentLength: size, contentType: 'video/mp4', metadata: { requestid: 'r1' } });
  });

  it('resumes a range that breaks at its first block not yet filled, not from its start', async () => {
    const size = 4 * 1024 * KiB;
    emulator.faults.add({ kind: 'contentSize', bytes: size });
    // The first GET to arrive (the one from byte 0, carrying the first run) is cut after one and a half blocks.
    emulator.faults.add({ kind: 'reset', operation: 'content', afterBytes: BLOCK + BLOCK / 2, times: 1 });
    const calls = recorded();
    const result = await copyToBlockBlob(calls.source, container.getBlockBlobClient('resumed.mp4'), options(new BlockPool(16 * BLOCK, BLOCK)));

    expect(result.sha256).toBe(await servedSha256());
    expect(await storedSha256('resumed.mp4')).toBe(result.sha256);
    expect(calls.started).toBe(1);
    const runs = [4, 8, 12].map((first) => ({ start: first * BLOCK, end: (first + 4) * BLOCK - 1 }));
    // One block was filled before the break: the first run asks again from the next one, to its same end.
    expect(sortedRanges(calls.opened)).toEqual([{ start: BLOCK, end: 4 * BLOCK - 1 }, ...runs]);
  });

  it('waits out 429s as long as Sora asks, however many, and they use up no attempt', async () => {
    const size = 2 * 1024 * KiB;
    emulator.faults.add({ kind: 'contentSize', bytes: size });
    // More throttled answers than transient failures are allowed in a row (4); the request from byte 0 gets the first.
    emulator.faults.add({ kind: 'status', operation: 'content', status: 429, times: 6, retryAfterSeconds: 7 });
    const retry = recordedRetry();
    const result = await copyToBlockBlob(recorded().source, container.getBlockBlobClient('throttled.mp4'), options(new BlockPool(16 * BLOCK, BLOCK), { retry: retry.policy }));

    expect(result).toEqual({ bytes: size, sha256: await servedSha256() });
    expect(retry.waits).toEqual([7_000, 7_000, 7_000, 7_000, 7_000, 7_000]);
  });

  it('fails at once, without a retry, when Sora answers what asking again will not change', async () => {
    emulator.faults.add({ kind: 'contentNotFound', forSeconds: 3600 });
    const retry = recordedRetry();
    const calls = recorded();
    const failure = await copyToBlockBlob(calls.source, container.getBlockBlobClient('missing.mp4'), options(new BlockPool(16 * BLOCK, BLOCK), { retry: retry.policy })).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(SoraError);
    expect(failure).toMatchObject({ status: 404, retryable: false });
    expect(calls.started).toBe(1);
    expect(calls.opened).toEqual([]);
    expect(retry.waits).toEqual([]);
  });

  it('keeps copies running at once within one budget: three copies through two blocks, each blob whole', async () => {
    const size = 3 * 1024 * KiB + 7;
    emulator.faults.add({ kind: 'contentSize', bytes: size });
    const pool = new BlockPool(4 * BLOCK, BLOCK);
    const names = ['shared-0.mp4', 'shared-1.mp4', 'shared-2.mp4'];
    const results = await Promise.all(names.map((name) => copyToBlockBlob(recorded().source, container.getBlockBlobClient(name), options(pool))));

    const served = await servedSha256();
    expect(results.map((r) => r.sha256)).toEqual([served, served, served]);
    expect(await Promise.all(names.map(storedSha256))).toEqual([served, served, served]);
    expect(pool.stats()).toMatchObject({ blocks: 2, peakLeased: 2, leased: 0, waiting: 0 });
  });

  it('opens no connection while it waits for a block, and reads nothing ahead of the block it fills', async () => {
    const size = 2 * 1024 * KiB;
    emulator.faults.add({ kind: 'contentSize', bytes: size });
    // Lease 1 is the test's, 2 the copy's first block, 3 its second: that one waits at the gate.
    const pool = new GatedPool(BLOCK, BLOCK, 3);
    const held = await pool.lease(() => ({ blocksAhead: 0, connectionOpen: false }));
    const calls = recorded();
    const copying = copyToBlockBlob(calls.source, container.getBlockBlobClient('gated.mp4'), options(pool, { ranges: 1 }));

    await until(() => pool.stats().waiting === 1);
    expect(calls.started).toBe(0);
    expect(calls.opened).toEqual([]);

    // The copy gets the block, fills it, and asks for the next, which waits at the gate.
    held.release();
    await pool.atGate;
    // The connection stopped reading with the first block full: not a byte more came in.
    const reader = calls.readers[0];
    expect(reader).toBeInstanceOf(RangeSocket);
    expect((reader as RangeSocket).received).toBe(BLOCK);

    pool.openGate();
    const result = await copying;
    expect(result.sha256).toBe(await servedSha256());
    // One run, all of it read from the answer that said the size.
    expect(calls.started).toBe(1);
    expect(calls.opened).toEqual([]);
  });

  it('reads the body start to end, one request, when the source serves no ranges', async () => {
    const size = 1024 * KiB + 1;
    emulator.faults.add({ kind: 'contentSize', bytes: size });
    const video = videoSource(sora, generationId);
    const described = async () => ({ size: (await sora.headContent(generationId)).contentLength, acceptRanges: false });
    const calls = recorded({ describe: described, openWhole: video.openWhole.bind(video), failure: soraFailure });
    const result = await copyToBlockBlob(calls.source, container.getBlockBlobClient('whole.mp4'), options(new BlockPool(2 * BLOCK, BLOCK)));

    expect(result).toEqual({ bytes: size, sha256: await servedSha256() });
    expect(await storedSha256('whole.mp4')).toBe(result.sha256);
    expect(calls.opened).toEqual(['whole']);
  });

  it('reads all of a video from the first answer when the service ignored the range, and does not resume it when it breaks', async () => {
    const size = 1024 * KiB + 1;
    emulator.faults.add({ kind: 'contentSize', bytes: size });
    const video = videoSource(sora, generationId);
    const openStart = video.openStart?.bind(video);
    if (!openStart) throw new Error('the video source opens from byte 0');
    const ignoring = (): CopySource => ({ openStart: async () => ({ ...(await openStart()), acceptRanges: false }), openWhole: video.openWhole.bind(video), failure: soraFailure });
    const calls = recorded(ignoring());
    const result = await copyToBlockBlob(calls.source, container.getBlockBlobClient('range-ignored.mp4'), options(new BlockPool(2 * BLOCK, BLOCK)));
    expect(result).toEqual({ bytes: size, sha256: await servedSha256() });
    expect(calls.started).toBe(1);
    expect(calls.opened).toEqual([]);

    emulator.faults.add({ kind: 'reset', operation: 'content', afterBytes: BLOCK + BLOCK / 2, times: 1 });
    const broken = recorded(ignoring());
    const failure = await copyToBlockBlob(broken.source, container.getBlockBlobClient('range-ignored-broken.mp4'), options(new BlockPool(2 * BLOCK, BLOCK))).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'network_error' });
    expect(broken.opened).toEqual([]);
  });

  it('stores an empty video as an empty blob', async () => {
    emulator.faults.add({ kind: 'contentSize', bytes: 0 });
    const calls = recorded();
    const result = await copyToBlockBlob(calls.source, container.getBlockBlobClient('empty.mp4'), options(new BlockPool(2 * BLOCK, BLOCK)));

    expect(result).toEqual({ bytes: 0, sha256: createHash('sha256').digest('hex') });
    expect((await container.getBlockBlobClient('empty.mp4').getProperties()).contentLength).toBe(0);
    expect(calls.started).toBe(1);
    expect(calls.opened).toEqual([]);
  });
});

function sortedRanges(opened: (ByteRange | 'whole')[]): ByteRange[] {
  return opened.filter((r): r is ByteRange => r !== 'whole').sort((a, b) => a.start - b.start);
}

/** A pool whose `gatedCall`-th lease waits at a gate the test opens. */
class GatedPool extends BlockPool {
  private calls = 0;
  private reached: () => void = () => undefined;
  private opened: () => void = () => undefined;
  /** Resolves once that lease is waiting at the gate. */
  readonly atGate = new Promise<void>((resolve) => {
    this.reached = resolve;
  });
  private readonly gate = new Promise<void>((resolve) => {
    this.opened = resolve;
  });

  constructor(
    budgetBytes: number,
    blockSize: number,
    private readonly gatedCall: number,
  ) {
    super(budgetBytes, blockSize);
  }

  openGate(): void {
    this.opened();
  }

  override async lease(want: () => BlockWant, signal?: AbortSignal): Promise<BlockLease> {
    if (++this.calls === this.gatedCall) {
      this.reached();
      await this.gate;
    }
    return super.lease(want, signal);
  }
}
