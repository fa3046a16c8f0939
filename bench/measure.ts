/** Times a piece of work and samples the process's peak memory while it runs. */
export interface BenchRow {
  name: string;
  seconds: number;
  /** MiB per second, when the work moved bytes. */
  mibPerSecond: number | null;
  /** Peak RSS growth over the RSS before the work, in MiB. */
  peakRssGrowthMiB: number;
  /** Free-form extra figure (e.g. operations per second). */
  note?: string;
}

/** What one run of a piece of work cost. */
export interface Sample {
  seconds: number;
  /** Peak RSS over the RSS before the work, in MiB. */
  peakRssGrowthMiB: number;
  /** Peak memory of ArrayBuffers (Buffers, fetch's chunks) over that before the work, in MiB. */
  peakArrayBuffersGrowthMiB: number;
  /**
   * ArrayBuffers still reachable when the work called its checkpoint, after a
   * full GC, over those before the work: what it holds on to rather than what
   * is merely not collected yet. Null when the work has no checkpoint.
   */
  heldMiB: number | null;
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
  const peak = { rss: before.rss, arrayBuffers: before.arrayBuffers };
  const look = () => {
    const now = process.memoryUsage();
    peak.rss = Math.max(peak.rss, now.rss);
    peak.arrayBuffers = Math.max(peak.arrayBuffers, now.arrayBuffers);
  };
  const checkpointed: { held: number | null } = { held: null };
  const checkpoint = () => {
    look();
    collectGarbage();
    checkpointed.held = process.memoryUsage().arrayBuffers - before.arrayBuffers;
  };
  const sampler = setInterval(look, SAMPLE_EVERY_MS);
  const started = process.hrtime.bigint();
  try {
    await work(checkpoint);
  } finally {
    clearInterval(sampler);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  look();
  return {
    seconds,
    peakRssGrowthMiB: (peak.rss - before.rss) / MiB,
    peakArrayBuffersGrowthMiB: (peak.arrayBuffers - before.arrayBuffers) / MiB,
    heldMiB: checkpointed.held === null ? null : checkpointed.held / MiB,
  };
}

export async function measure(name: string, bytes: number | null, work: () => Promise<unknown>): Promise<BenchRow> {
  const { seconds, peakRssGrowthMiB } = await sample(work);
  return { name, seconds, mibPerSecond: bytes === null ? null : bytes / MiB / seconds, peakRssGrowthMiB };
}

export function printTable(title: string, rows: BenchRow[]): void {
  console.log(`\n${title}`);
  console.table(
    rows.map((r) => ({
      benchmark: r.name,
      seconds: r.seconds.toFixed(2),
      'MiB/s': r.mibPerSecond === null ? '' : r.mibPerSecond.toFixed(0),
      'peak RSS growth (MiB)': r.peakRssGrowthMiB.toFixed(0),
      ...(r.note ? { note: r.note } : {}),
    })),
  );
}

export interface Contender {
  name: string;
  work: Work;
}

/** A contender's samples, one per repetition. */
export interface RepeatedRow {
  name: string;
  /** Bytes each run moved, for the rate; null when it moved none worth counting. */
  bytes: number | null;
  samples: Sample[];
}

/**
 * Runs every contender `repetitions` times, taking turns (A B, A B, A B) so a
 * change in the machine's load falls on all of them alike.
 */
export async function measureInTurns(bytes: number | null, contenders: readonly Contender[], repetitions = 3): Promise<RepeatedRow[]> {
  const rows = contenders.map((c): RepeatedRow => ({ name: c.name, bytes, samples: [] }));
  for (let run = 0; run < repetitions; run++) {
    for (const [i, contender] of contenders.entries()) rows[i]?.samples.push(await sample(contender.work));
  }
  return rows;
}

/** `median (min–max)` of the figures, or empty when there are none. */
function spread(values: readonly number[], digits: number): string {
  if (values.length === 0) return '';
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  const [min, max] = [sorted[0] ?? 0, sorted[sorted.length - 1] ?? 0];
  return `${median.toFixed(digits)} (${min.toFixed(digits)}–${max.toFixed(digits)})`;
}

export function printRepeatedTable(title: string, rows: readonly RepeatedRow[]): void {
  const runs = rows[0]?.samples.length ?? 0;
  console.log(`\n${title}\n${runs} runs each, taking turns; every figure is median (min–max)`);
  console.table(
    rows.map((r) => {
      const { bytes } = r;
      const held = r.samples.flatMap((s) => (s.heldMiB === null ? [] : [s.heldMiB]));
      return {
        benchmark: r.name,
        seconds: spread(r.samples.map((s) => s.seconds), 2),
        'MiB/s': bytes === null ? '' : spread(r.samples.map((s) => bytes / MiB / s.seconds), 0),
        'peak RSS growth (MiB)': spread(r.samples.map((s) => s.peakRssGrowthMiB), 0),
        'peak ArrayBuffers growth (MiB)': spread(r.samples.map((s) => s.peakArrayBuffersGrowthMiB), 0),
        'ArrayBuffers held at checkpoint, after GC (MiB)': spread(held, 1),
      };
    }),
  );
}
