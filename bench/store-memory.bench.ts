/**
 * Peak memory of a worker storing several large variants at once under its
 * memory budget (STORE_MEMORY_BUDGET_MIB, 64 MiB): 1, 4 and 16 variants of
 * 512 MiB, beside the seed's way (the whole file in memory) for one. Each run
 * is a process of its own (./store-memory-run.ts), so none inherits another's
 * heap; Azurite keeps the blobs on disk, as 16 × 512 MiB would not fit in its
 * memory. The figures are the copying process's: the emulator serves from a
 * process of its own.
 */
import { runInChildProcess } from './child-process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { startAzurite } from '../src/local/azurite';
import { startEmulatorProcess } from './emulator-process';
import { sampleInTurns, type RepeatedRow, type Sample } from './measure';
import type { RunSpec } from './store-memory-run';
import { BLOCK_BYTES, BUDGET_BYTES, RANGES } from './store.bench';

const MiB = 1024 * 1024;
/** This file runs from dist/bench/; the run script is built beside it. */
const RUN_SCRIPT = path.join(__dirname, 'store-memory-run.js');

export async function benchStoreMemory(sizeMiB = 512, variantCounts: readonly number[] = [1, 4, 16]): Promise<RepeatedRow[]> {
  const location = await mkdtemp(path.join(tmpdir(), 'bench-azurite-'));
  const azurite = await startAzurite({ location });
  const emulator = await startEmulatorProcess({ requestsPerMinute: 1_000_000 });
  try {
    const generationId = await emulator.generation(sizeMiB * MiB);
    const container = 'memory';
    await BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(container).createIfNotExists();
    const spec = (mode: RunSpec['mode'], variants: number): RunSpec => ({
      mode,
      variants,
      endpoint: emulator.endpoint,
      apiKey: emulator.apiKey,
      generationId,
      connectionString: azurite.connectionString,
      container,
      budgetBytes: BUDGET_BYTES,
      blockBytes: BLOCK_BYTES,
      ranges: RANGES,
    });
    const contenders = [
      { name: `the seed's way: 1 variant of ${sizeMiB} MiB, the whole file in memory`, spec: spec('seed', 1) },
      ...variantCounts.map((n) => ({ name: `${n} variant${n === 1 ? '' : 's'} of ${sizeMiB} MiB at once, one ${BUDGET_BYTES / MiB} MiB budget`, spec: spec('budget', n) })),
    ];
    const rows = await sampleInTurns(
      null,
      contenders.map(({ name, spec: run }) => ({ name, run: () => runAlone(run) })),
    );
    // Each row moved its own number of bytes.
    for (const [i, row] of rows.entries()) row.bytes = (contenders[i]?.spec.variants ?? 1) * sizeMiB * MiB;
    return rows;
  } finally {
    await emulator.close();
    await azurite.close();
    await rm(location, { recursive: true, force: true });
  }
}

async function runAlone(spec: RunSpec): Promise<Sample> {
  return runInChildProcess<Sample>(RUN_SCRIPT, [JSON.stringify(spec)], ['--expose-gc']);
}
