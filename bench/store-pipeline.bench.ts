/**
 * The whole pipeline storing large videos with the emulator's default limits
 * (60 requests a minute, two running jobs) and the app's default store
 * settings: 4 variants of 128 MiB, and 1 of 512 MiB, through the public HTTP
 * API on the local host (time skipping). Each run is a process of its own
 * with a fresh stack (./store-pipeline-run.ts). The time is the client's,
 * from the request to the answer that says succeeded; that process hosts the
 * emulator too, so its CPU includes serving the bytes (not comparable with
 * the copy rows of ./store.bench.ts).
 */
import { runInChildProcess } from './child-process';
import path from 'node:path';
import { sampleInTurns, type RepeatedRow, type Sample } from './measure';
import type { PipelineRunSpec } from './store-pipeline-run';

const MiB = 1024 * 1024;
/** This file runs from dist/bench/; the run script is built beside it. */
const RUN_SCRIPT = path.join(__dirname, 'store-pipeline-run.js');

export async function benchStorePipeline(cases: readonly PipelineRunSpec[] = [{ variants: 4, sizeMiB: 128 }, { variants: 1, sizeMiB: 512 }]): Promise<RepeatedRow[]> {
  const outcomes = cases.map((): string[] => []);
  const rows = await sampleInTurns(
    null,
    cases.map((spec, i) => ({
      name: `${spec.variants} variant${spec.variants === 1 ? '' : 's'} of ${spec.sizeMiB} MiB, from the request to succeeded`,
      run: async () => {
        const { sample, outcome } = await runAlone(spec);
        outcomes[i]?.push(outcome);
        return sample;
      },
    })),
  );
  for (const [i, row] of rows.entries()) {
    const spec = cases[i];
    if (spec) row.bytes = spec.variants * spec.sizeMiB * MiB;
    row.notes = { outcomes: tally(outcomes[i] ?? []) };
  }
  return rows;
}

async function runAlone(spec: PipelineRunSpec): Promise<{ sample: Sample; outcome: string }> {
  return runInChildProcess<{ sample: Sample; outcome: string }>(RUN_SCRIPT, [JSON.stringify(spec)], ['--expose-gc']);
}

/** e.g. "succeeded ×3". */
function tally(outcomes: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const outcome of outcomes) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  return [...counts].map(([outcome, count]) => `${outcome} ×${count}`).join(', ');
}
