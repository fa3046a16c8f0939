/** Times a piece of work and samples the process's peak resident memory while it runs. */
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

export async function measure(name: string, bytes: number | null, work: () => Promise<unknown>): Promise<BenchRow> {
  globalThis.gc?.();
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  const started = process.hrtime.bigint();
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  peak = Math.max(peak, process.memoryUsage.rss());
  return {
    name,
    seconds,
    mibPerSecond: bytes === null ? null : bytes / (1024 * 1024) / seconds,
    peakRssGrowthMiB: (peak - before) / (1024 * 1024),
  };
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
