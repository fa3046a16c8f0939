/**
 * The store activity's copy of a large video, from Sora (the emulator, in a
 * process of its own, serving a synthetic body) into Blob Storage (Azurite),
 * beside the baseline measured in the same run: Azurite ingesting the same
 * bytes from memory, with the same block size and as many blocks staged at
 * once as the copy's pool holds — what any copy into this Azurite costs at
 * least. CPU is this process's, as a worker would pay it.
 *
 * The rows between show where the rest goes, each part alone: the download as
 * the copy reads it (ranges straight into blocks), the same bytes through
 * node:http and through fetch for comparison, the SHA-256, and the ingest
 * while the download and the hash run alongside it (what sharing the CPU
 * leaves of the baseline on this machine). Then the copy read start to end,
 * the copy in ranges, and the seed's way (the whole file in memory, then one
 * upload).
 */
import { createHash } from 'node:crypto';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { soraFailure, videoSource } from '../src/activities/sora-copy-sources';
import { startAzurite } from '../src/local/azurite';
import type { VideoService } from '../src/sora/types';
import { blockId } from '../src/storage/block-layout';
import { BlockPool } from '../src/storage/block-pool';
import { copyToBlockBlob, type CopySource } from '../src/storage/copy-to-block-blob';
import { startEmulatorProcess } from './emulator-process';
import { measureInTurns, median, type RepeatedRow } from './measure';

const MiB = 1024 * 1024;
export const BLOCK_BYTES = 8 * MiB;
export const BUDGET_BYTES = 64 * MiB;
export const RANGES = 4;
/** As many blocks as the budget's pool holds: the most the copy stages at once. */
const IN_FLIGHT = new BlockPool(BUDGET_BYTES, BLOCK_BYTES).stats().blocks;
/** Throughput rows make many requests; the service's rate is the pipeline benchmark's business. */
const UNLIMITED_RATE = 1_000_000;

const NAMES = {
  raw: `baseline: Azurite ingests the same bytes from memory (8 MiB blocks, up to ${IN_FLIGHT} staged at once)`,
  download: `where it goes: the download alone, ${RANGES} ranges read straight into blocks`,
  sha: 'where it goes: the SHA-256 alone, of the same bytes in memory',
  ceiling: 'where it goes: the baseline with that download and SHA-256 running alongside',
  nodeHttp: 'for comparison: the download through node:http streams',
  fetch: 'for comparison: the download through fetch',
  sequential: 'copy to blob, read start to end (one request)',
  ranged: `copy to blob, ${RANGES} ranges in parallel`,
  seed: "the seed's way: the whole file in memory, then one upload",
};

export interface StoreBench {
  rows: RepeatedRow[];
  /** Medians, for the summary under the table. */
  summary: string[];
}

export async function benchStore(sizeMiB = 256): Promise<StoreBench> {
  const bytes = sizeMiB * MiB;
  const azurite = await startAzurite();
  const emulator = await startEmulatorProcess({ requestsPerMinute: UNLIMITED_RATE });
  try {
    const { sora } = emulator;
    const generationId = await emulator.generation(bytes);
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('bench');
    await container.createIfNotExists();
    const content = await download(sora, generationId);
    const contentUrl = `${emulator.endpoint}/openai/v1/video/generations/${generationId}/content/video?api-version=preview`;
    const requests = { sequential: 0, ranged: 0 };
    const copy = (name: string, source: CopySource) => () =>
      copyToBlockBlob(source, container.getBlockBlobClient(name), { pool: new BlockPool(BUDGET_BYTES, BLOCK_BYTES), ranges: RANGES, contentType: 'video/mp4' });

    const rows = await measureInTurns(bytes, [
      { name: NAMES.raw, work: () => ingest(container, content) },
      { name: NAMES.download, work: () => readRanges(sora, generationId, bytes) },
      { name: NAMES.sha, work: () => Promise.resolve(sha256(content)) },
      { name: NAMES.ceiling, work: () => Promise.all([ingest(container, content), readRanges(sora, generationId, bytes), Promise.resolve(sha256(content))]) },
      { name: NAMES.nodeHttp, work: async () => { expectBytes(await byteCount((await sora.openContent(generationId)).body), bytes); } },
      {
        name: NAMES.fetch,
        work: async () => {
          const { body } = await fetch(contentUrl, { headers: { 'api-key': emulator.apiKey } });
          if (!body) throw new Error('the download through fetch has no body');
          expectBytes(await byteCount(body), bytes);
        },
      },
      { name: NAMES.sequential, work: copy('sequential.mp4', counted(wholeSource(sora, generationId), requests, 'sequential')) },
      { name: NAMES.ranged, work: copy('ranged.mp4', counted(videoSource(sora, generationId), requests, 'ranged')) },
      { name: NAMES.seed, work: () => wholeFileCopy(contentUrl, emulator.apiKey, container) },
    ]);
    const runs = rows[0]?.samples.length ?? 1;
    const row = (name: string) => rows.find((r) => r.name === name);
    const sequential = row(NAMES.sequential);
    const ranged = row(NAMES.ranged);
    if (sequential) sequential.notes = { 'requests per video': String(requests.sequential / runs) };
    if (ranged) ranged.notes = { 'requests per video': String(requests.ranged / runs) };
    return { rows, summary: summarize(row, bytes) };
  } finally {
    await emulator.close();
    await azurite.close();
  }
}

/** The ranged copy against the baseline, and its CPU beside the sum of its parts. */
function summarize(row: (name: string) => RepeatedRow | undefined, bytes: number): string[] {
  const rate = (name: string) => median((row(name)?.samples ?? []).map((s) => bytes / MiB / s.seconds));
  const cpu = (name: string) => median((row(name)?.samples ?? []).map((s) => s.cpuSeconds / (bytes / (1024 * MiB))));
  const parts = cpu(NAMES.raw) + cpu(NAMES.download) + cpu(NAMES.sha);
  return [
    `ranged copy / baseline: throughput ${(rate(NAMES.ranged) / rate(NAMES.raw)).toFixed(2)}×, CPU per GiB ${(cpu(NAMES.ranged) / cpu(NAMES.raw)).toFixed(2)}×`,
    `ranged copy / the baseline with download and SHA-256 alongside: throughput ${(rate(NAMES.ranged) / rate(NAMES.ceiling)).toFixed(2)}×`,
    `CPU per GiB: ingest ${cpu(NAMES.raw).toFixed(2)} + download ${cpu(NAMES.download).toFixed(2)} + SHA-256 ${cpu(NAMES.sha).toFixed(2)} = ${parts.toFixed(2)} s; the ranged copy ${cpu(NAMES.ranged).toFixed(2)} s`,
  ];
}

/** The same video read start to end: what the copy does when a source serves no ranges. */
function wholeSource(sora: VideoService, generationId: string): CopySource {
  const video = videoSource(sora, generationId);
  return { openWhole: video.openWhole.bind(video), failure: soraFailure };
}

/** Counts the calls a copy makes to Sora (each GET, the first one from byte 0 included). */
function counted(source: CopySource, into: Record<string, number>, key: string): CopySource {
  const add = () => {
    into[key] = (into[key] ?? 0) + 1;
  };
  const openRange = source.openRange?.bind(source);
  const openStart = source.openStart?.bind(source);
  return {
    ...(openStart
      ? {
          openStart: () => {
            add();
            return openStart();
          },
        }
      : {}),
    ...(openRange
      ? {
          openRange: (range) => {
            add();
            return openRange(range);
          },
        }
      : {}),
    openWhole: () => {
      add();
      return source.openWhole();
    },
    failure: soraFailure,
  };
}

async function download(sora: VideoService, generationId: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of (await sora.openContent(generationId)).body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The copy's download without the copy: the ranges read into one block each, over and over. */
async function readRanges(sora: VideoService, generationId: string, bytes: number): Promise<void> {
  const span = Math.ceil(bytes / RANGES);
  await Promise.all(
    Array.from({ length: RANGES }, async (_, i) => {
      const start = i * span;
      const end = Math.min(bytes, start + span) - 1;
      const { reader } = await sora.readContentRange(generationId, { start, end });
      const block = Buffer.allocUnsafeSlow(BLOCK_BYTES);
      try {
        for (let at = start; at <= end; at += BLOCK_BYTES) await reader.fill(block, Math.min(BLOCK_BYTES, end + 1 - at));
      } finally {
        reader.close();
      }
    }),
  );
}

async function byteCount(chunks: AsyncIterable<unknown>): Promise<number> {
  let count = 0;
  for await (const chunk of chunks) count += (chunk as Uint8Array).length;
  return count;
}

function expectBytes(got: number, bytes: number): void {
  if (got !== bytes) throw new Error(`downloaded ${got} bytes of ${bytes}`);
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Stages `content` in 8 MiB blocks, as many at once as the copy's pool holds, and commits them. */
async function ingest(container: ContainerClient, content: Buffer): Promise<void> {
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
  await Promise.all(Array.from({ length: IN_FLIGHT }, stager));
  await blob.commitBlockList(Array.from({ length: count }, (_, index) => blockId(index)));
}

/** Download into one buffer, hash it, upload it: how the project's seed stored a video. */
async function wholeFileCopy(url: string, apiKey: string, container: ContainerClient): Promise<void> {
  const response = await fetch(url, { headers: { 'api-key': apiKey } });
  const whole = Buffer.from(await response.arrayBuffer());
  sha256(whole);
  await container.getBlockBlobClient('whole.mp4').uploadData(whole);
}
