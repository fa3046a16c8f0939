/**
 * Times pieces of work, samples this process's peak memory and CPU time while
 * they run, and prints the median (min–max) of repeated runs.
 */
import { PerformanceObserver } from 'node:perf_hooks';

/** What one run of a piece of work cost. */
export interface Sample {
  seconds: number;
  /** Peak RSS over the RSS before the work, in MiB. */
  peakRssGrowthMiB: number;
  /** Peak memory of ArrayBuffers (Buffers, fetch's chunks) over that before the work, in MiB. */
  peakArrayBuffersGrowthMiB: number;
  /** Peak size of the JavaScript heap (what V8 reserved for objects) over that before the work, in MiB. */
  peakHeapGrowthMiB: number;
  /**
   * ArrayBuffers still reachable when the work called its checkpoint, after a
   * full GC, over those before the work: what it holds on to rather than what
   * is merely not collected yet. Null when the work has no checkpoint.
   */
  heldMiB: number | null;
  /** CPU time this process spent (user + system), in seconds. */
  cpuSeconds: number;
  /** Of it, in the kernel (system): moving bytes through sockets, mostly. */
  systemSeconds: number;
  /** Time the main thread stood still for the garbage collector, in seconds. */
  gcSeconds: number;
}

/** Work that may call `checkpoint` once, at the moment its held memory is worth knowing. */
export type Work = (checkpoint: () => void) => Promise<unknown>;

const MiB = 1024 * 1024;
const SAMPLE_EVERY_MS = 10;
const MAX_SETTLE_TURNS = 20;

/** Only a checkpoint insists on the collector: without it, "held" would count garbage. */
function collectGarbage(): void {
  if (!globalThis.gc) throw new Error('a checkpoint needs the collector exposed: run with node --expose-gc (npm run bench does)');
  globalThis.gc();
}

/**
 * Collects until ArrayBuffers stop shrinking: some are released only a turn
 * of the event loop after the previous run ended (a closed socket, a
 * finalizer), and counting them in "before" makes the next run look negative.
 */
async function settle(): Promise<void> {
  if (!globalThis.gc) return;
  for (let last = Infinity, turns = 0; turns < MAX_SETTLE_TURNS; turns++) {
    globalThis.gc();
    await new Promise(setImmediate);
    const now = process.memoryUsage().arrayBuffers;
    if (now >= last) return;
    last = now;
  }
}

/** Runs `work` once, sampling RSS and ArrayBuffers as it goes. */
export async function sample(work: Work): Promise<Sample> {
  await settle();
  const before = process.memoryUsage();
  const peak = { rss: before.rss, arrayBuffers: before.arrayBuffers, heap: before.heapTotal };
  const look = () => {
    const now = process.memoryUsage();
    peak.rss = Math.max(peak.rss, now.rss);
    peak.arrayBuffers = Math.max(peak.arrayBuffers, now.arrayBuffers);
    peak.heap = Math.max(peak.heap, now.heapTotal);
  };
  const checkpointed: { held: number | null } = { held: null };
  const checkpoint = () => {
    look();
    collectGarbage();
    checkpointed.held = process.memoryUsage().arrayBuffers - before.arrayBuffers;
  };
  let gcMs = 0;
  const collections = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  collections.observe({ entryTypes: ['gc'] });
  const sampler = setInterval(look, SAMPLE_EVERY_MS);
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  try {
    await work(checkpoint);
  } finally {
    clearInterval(sampler);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  // Entries are delivered a turn later: take the last ones before stopping.
  await new Promise(setImmediate);
  collections.disconnect();
  look();
  return {
    seconds,
    peakRssGrowthMiB: (peak.rss - before.rss) / MiB,
    peakArrayBuffersGrowthMiB: (peak.arrayBuffers - before.arrayBuffers) / MiB,
    peakHeapGrowthMiB: (peak.heap - before.heapTotal) / MiB,
    heldMiB: checkpointed.held === null ? null : checkpointed.held / MiB,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    systemSeconds: cpu.system / 1e6,
    gcSeconds: gcMs / 1000,
  };
}

export interface Contender {
  name: string;
  work: Work;
  /** Items each run handles (orchestrations, episodes…), for a rate and the CPU cost of one. */
  items?: Items;
}

export interface Items {
  count: number;
  unit: string;
}

/** A contender's samples, one per repetition. */
export interface RepeatedRow {
  name: string;
  /** Bytes each run moved, for the rate; null when it moved none worth counting. */
  bytes: number | null;
  items?: Items;
  samples: Sample[];
  /** Figures a benchmark adds to its rows (requests made, the outcome…), one column each. */
  notes?: Record<string, string>;
}

/**
 * Runs every contender `repetitions` times, taking turns (A B, A B, A B) so a
 * change in the machine's load falls on all of them alike.
 */
export async function measureInTurns(bytes: number | null, contenders: readonly Contender[], repetitions = 3): Promise<RepeatedRow[]> {
  return sampleInTurns(
    bytes,
    contenders.map(({ work, ...rest }) => ({ ...rest, run: () => sample(work) })),
    repetitions,
  );
}

/** A contender that takes its own sample: set up first, or measured in another process. */
export interface SamplingContender {
  name: string;
  run: () => Promise<Sample>;
  items?: Items;
}

/** As measureInTurns, for contenders that take their samples themselves. */
export async function sampleInTurns(bytes: number | null, contenders: readonly SamplingContender[], repetitions = 3): Promise<RepeatedRow[]> {
  const rows = contenders.map((c): RepeatedRow => ({ name: c.name, bytes, ...(c.items ? { items: c.items } : {}), samples: [] }));
  for (let run = 0; run < repetitions; run++) {
    for (const [i, contender] of contenders.entries()) rows[i]?.samples.push(await contender.run());
  }
  return rows;
}

/** The median of some figures (0 when there are none). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** `median (min–max)` of the figures, or a dash when there are none. */
export function spread(values: readonly number[], digits: number): string {
  if (values.length === 0) return '—';
  const [min, max] = [Math.min(...values), Math.max(...values)];
  return `${median(values).toFixed(digits)} (${min.toFixed(digits)}–${max.toFixed(digits)})`;
}

export function printRepeatedTable(title: string, rows: readonly RepeatedRow[]): void {
  const runs = rows[0]?.samples.length ?? 0;
  console.log(`\n${title}\n${runs} runs each, taking turns; every figure is median (min–max)`);
  const table = rows.map((r): Record<string, string> => {
    const { bytes, items } = r;
    const held = r.samples.flatMap((s) => (s.heldMiB === null ? [] : [s.heldMiB]));
    return {
      benchmark: r.name,
      seconds: spread(r.samples.map((s) => s.seconds), 2),
      'MiB/s': bytes === null ? '' : spread(r.samples.map((s) => bytes / MiB / s.seconds), 0),
      // On a shared machine the wall-clock rate swings with the load; the CPU cost of one item does not.
      rate: items ? `${spread(r.samples.map((s) => items.count / s.seconds), 0)} ${items.unit}/s` : '',
      'CPU ms each': items ? spread(r.samples.map((s) => (s.cpuSeconds * 1000) / items.count), 3) : '',
      'CPU s per GiB': bytes === null ? '' : spread(r.samples.map((s) => s.cpuSeconds / (bytes / (1024 * MiB))), 2),
      '… of it in the kernel': bytes === null ? '' : spread(r.samples.map((s) => s.systemSeconds / (bytes / (1024 * MiB))), 2),
      'GC pauses (s per GiB)': bytes === null ? '' : spread(r.samples.map((s) => s.gcSeconds / (bytes / (1024 * MiB))), 2),
      'peak RSS growth (MiB)': spread(r.samples.map((s) => s.peakRssGrowthMiB), 0),
      'peak ArrayBuffers growth (MiB)': spread(r.samples.map((s) => s.peakArrayBuffersGrowthMiB), 0),
      'peak JS heap growth (MiB)': spread(r.samples.map((s) => s.peakHeapGrowthMiB), 0),
      'ArrayBuffers held at checkpoint, after GC (MiB)': spread(held, 1),
      ...r.notes,
    };
  });
  // A column no row of this table has a figure for is left out.
  const columns = [...new Set(table.flatMap((row) => Object.keys(row)))].filter((column) => table.some((row) => (row[column] ?? '') !== ''));
  console.table(table, columns);
}
