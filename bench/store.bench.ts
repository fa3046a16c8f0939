/**
 * The store activity's copy of a large video, from Sora (the emulator, in a
 * process of its own, serving a synthetic body of the chosen size) into Blob
 * Storage (Azurite), beside the baseline measured in the same run: Azurite
 * ingesting the same bytes from memory, with the same block size and as many
 * blocks staged at once as the copy's memory budget allows — what any copy
 * into this Azurite costs at least. CPU is this process's, as on a worker.
 *
 * The rows after the baseline show where the rest goes: the download alone
 * (node:http, and fetch for comparison) and the SHA-256 alone; then the copy
 * read start to end, the copy in parallel ranges, and the seed's way (the
 * whole file in memory, then one upload).
 */
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { soraFailure, videoSource } from '../src/activities/sora-copy-sources';
import { startAzurite } from '../src/local/azurite';
import { blockId } from '../src/storage/block-layout';
import { BlockPool } from '../src/storage/block-pool';
import { copyToBlockBlob, type CopySource } from '../src/storage/copy-to-block-blob';
import type { VideoService } from '../src/sora/types';
import { startEmulatorProcess } from './emulator-process';
import { measureInTurns, type RepeatedRow } from './measure';

const MiB = 1024 * 1024;
export const BLOCK_BYTES = 8 * MiB;
export const BUDGET_BYTES = 64 * MiB;
const RANGES = 4;
/** Throughput rows make many requests; the rate limit has its own benchmark (./store-pipeline.bench.ts). */
const UNLIMITED_RATE = 1_000_000;

export interface StoreBench {
  rows: RepeatedRow[];
  /** The ranged copy's median over the baseline's: throughput (MiB/s) and CPU per GiB. */
  rangedVsRaw: { throughput: number; cpu: number };
}

export async function benchStore(sizeMiB = 256): Promise<StoreBench> {
  const bytes = sizeMiB * MiB;
  const azurite = await startAzurite();
  const emulator = await startEmulatorProcess({ requestsPerMinute: UNLIMITED_RATE });
  try {
    const generationId = await emulator.generation(bytes);
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('bench');
    await container.createIfNotExists();
    const content = await download(emulator.sora, generationId);
    const contentUrl = `${emulator.endpoint}/openai/v1/video/generations/${generationId}/content/video?api-version=preview`;
    const requests = { sequential: 0, ranged: 0 };
    const copy = (name: string, source: CopySource) => () =>
      copyToBlockBlob(source, container.getBlockBlobClient(name), { pool: new BlockPool(BUDGET_BYTES, BLOCK_BYTES), ranges: RANGES, contentType: 'video/mp4' });

    const rows = await measureInTurns(bytes, [
      {
        name: `baseline: Azurite ingests the same ${sizeMiB} MiB from memory (8 MiB blocks, up to ${BUDGET_BYTES / BLOCK_BYTES} staged at once)`,
        work: () => ingest(container, content, BUDGET_BYTES / BLOCK_BYTES),
      },
      { name: 'where it goes: download and discard (node:http, as the copy reads)', work: () => drain(emulator.sora, generationId) },
      { name: 'where it goes: SHA-256 of the same bytes from memory', work: () => Promise.resolve(sha256(content)) },
      {
        name: 'for comparison: download and discard through fetch',
        work: async () => {
          const response = await fetch(contentUrl, { headers: { 'api-key': emulator.apiKey } });
          for await (const chunk of response.body ?? []) chunk;
        },
      },
      { name: 'copy to blob, read start to end (one request)', work: copy('sequential.mp4', counted(sequentialSource(emulator.sora, generationId), requests, 'sequential')) },
      { name: `copy to blob, ${RANGES} ranges in parallel`, work: copy('ranged.mp4', counted(videoSource(emulator.sora, generationId), requests, 'ranged')) },
      { name: "the seed's way: the whole file in memory, then one upload", work: () => wholeFileCopy(contentUrl, emulator.apiKey, container) },
    ]);
    const runs = rows[0]?.samples.length ?? 1;
    for (const row of rows) {
      if (row.name.startsWith('copy to blob, read')) row.notes = { 'requests per video': String(requests.sequential / runs) };
      if (row.name.startsWith(`copy to blob, ${RANGES}`)) row.notes = { 'requests per video': String(requests.ranged / runs) };
    }
    return { rows, rangedVsRaw: compare(rows[0], rows.find((r) => r.name.startsWith(`copy to blob, ${RANGES}`)), bytes) };
  } finally {
    await emulator.close();
    await azurite.close();
  }
}

/** The same source, read start to end: what the copy does when a source serves no ranges. */
function sequentialSource(sora: VideoService, generationId: string): CopySource {
  const ranged = videoSource(sora, generationId);
  return { ...ranged, describe: async () => ({ ...(await ranged.describe()), acceptRanges: false }) };
}

/** Counts the calls a copy makes to the source (HEAD and GETs). */
function counted(source: CopySource, into: Record<string, number>, key: string): CopySource {
  const add = () => {
    into[key] = (into[key] ?? 0) + 1;
  };
  return {
    describe: () => {
      add();
      return source.describe();
    },
    open: (range) => {
      add();
      return source.open(range);
    },
    failure: soraFailure,
  };
}

async function download(sora: VideoService, generationId: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of (await sora.openContent(generationId)).body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function drain(sora: VideoService, generationId: string): Promise<void> {
  await pipeline((await sora.openContent(generationId)).body, new Writable({ write: (_chunk, _encoding, done) => { done(); } }));
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Stages `content` in blocks, `inFlight` at a time, and commits them. */
async function ingest(container: ContainerClient, content: Buffer, inFlight: number): Promise<void> {
  const blob = container.getBlockBlobClient('raw.mp4');
  const count = Math.ceil(content.length / BLOCK_BYTES);
  let next = 0;
  const stager = async () => {
    while (next < count) {
      const index = next++;
      const block = content.subarray(index * BLOCK_BYTES, (index + 1) * BLOCK_BYTES);
      await blob.stageBlock(blockId(index), block, block.length);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, stager));
  await blob.commitBlockList(Array.from({ length: count }, (_, index) => blockId(index)));
}

/** Download into one buffer, hash it, upload it: how the project's seed stored a video. */
async function wholeFileCopy(url: string, apiKey: string, container: ContainerClient): Promise<void> {
  const response = await fetch(url, { headers: { 'api-key': apiKey } });
  const whole = Buffer.from(await response.arrayBuffer());
  sha256(whole);
  await container.getBlockBlobClient('whole.mp4').uploadData(whole);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function compare(baseline: RepeatedRow | undefined, subject: RepeatedRow | undefined, bytes: number): StoreBench['rangedVsRaw'] {
  const rate = (row: RepeatedRow | undefined) => median((row?.samples ?? []).map((s) => bytes / s.seconds));
  const cpu = (row: RepeatedRow | undefined) => median((row?.samples ?? []).map((s) => s.cpuSeconds));
  return { throughput: rate(subject) / rate(baseline), cpu: cpu(subject) / cpu(baseline) };
}
