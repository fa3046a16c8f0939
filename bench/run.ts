/**
 * `npm run bench` — every benchmark, each beside its baseline measured in the
 * same run. Speed and memory live here, never as timed assertions in tests.
 *
 * BENCH_ONLY=store,upload… runs some of them (host, store, store-memory,
 * store-pipeline, upload, inspect, admission, learned-durations); BENCH_STORE_MIB (256) is the size of the
 * copy benchmark's video, BENCH_MEMORY_MIB (512) and BENCH_MEMORY_VARIANTS
 * (1,4,16) those of the memory benchmark.
 */
import { benchAdmission, printAdmissionTable } from './admission.bench';
import { benchHost } from './host.bench';
import { benchInspectMp4 } from './inspect-mp4.bench';
import { benchLearnedDurations, printLearnedDurationsTable } from './learned-durations.bench';
import { printRepeatedTable } from './measure';
import { benchStore } from './store.bench';
import { benchStoreMemory } from './store-memory.bench';
import { benchStorePipeline } from './store-pipeline.bench';
import { benchUpload } from './upload.bench';

const benchmarks: Record<string, () => Promise<void>> = {
  host: async () => {
    const host = await benchHost();
    printRepeatedTable('Local host: 3 activities + 1 timer, time skipping (baselines: no timer; handlers called directly)', host.throughput);
    printRepeatedTable("Local host: replay as an instance's history grows (one episode per activity)", host.replay);
  },
  store: async () => {
    const sizeMiB = Number(process.env.BENCH_STORE_MIB ?? 256);
    const store = await benchStore(sizeMiB);
    printRepeatedTable(`Store copy: ${sizeMiB} MiB from the Sora emulator (a process of its own) into Azurite (baseline: Azurite ingesting the same bytes from memory)`, store.rows);
    for (const line of store.summary) console.log(line);
  },
  'store-memory': async () => {
    const sizeMiB = Number(process.env.BENCH_MEMORY_MIB ?? 512);
    const variants = (process.env.BENCH_MEMORY_VARIANTS ?? '1,4,16').split(',').map(Number);
    printRepeatedTable(`Store copy memory: variants of ${sizeMiB} MiB at once under one 64 MiB budget, each run a process of its own (beside the seed's way)`, await benchStoreMemory(sizeMiB, variants));
  },
  'store-pipeline': async () => {
    printRepeatedTable("The whole pipeline storing large videos with the emulator's default limits (60 requests a minute)", await benchStorePipeline());
  },
  upload: async () => {
    printRepeatedTable('Streamed upload through SoraHttp to a local server (baseline: the same bytes posted by node:http)', await benchUpload());
  },
  inspect: async () => {
    printRepeatedTable('MP4 duration from a stream, index last (baseline: the same stream read and discarded)', await benchInspectMp4());
  },
  admission: async () => {
    printAdmissionTable(await benchAdmission());
  },
  'learned-durations': async () => {
    printLearnedDurationsTable(await benchLearnedDurations());
  },
};

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim());
  const unknown = only?.filter((name) => !(name in benchmarks)) ?? [];
  if (unknown.length > 0) throw new Error(`BENCH_ONLY names no benchmark ${unknown.join(', ')}; there are ${Object.keys(benchmarks).join(', ')}`);
  for (const [name, run] of Object.entries(benchmarks)) {
    if (!only || only.includes(name)) await run();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
