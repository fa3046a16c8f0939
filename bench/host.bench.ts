/**
 * The local Functions + Durable host: orchestrations per second for a
 * 3-activity + 1-timer orchestration with time skipping, beside baselines
 * measured in the same run (the same orchestration without the timer, and the
 * three activity handlers called directly in-process), and the cost of replay
 * as an instance's history grows (one episode per activity, each replaying the
 * whole history so far).
 */
import { createRequire } from 'node:module';
import { OrchestrationRuntimeStatus } from 'durable-functions';
import path from 'node:path';
import { startLocalHost, type LocalHost } from '../src/local/host';
import { measureInTurns, printRepeatedTable, type RepeatedRow } from './measure';

/** The bench app lives with the host's tests; this file runs from bench/ or dist/bench/. */
const APP = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..', 'test/host/apps/bench-app.js');

interface Order {
  id: string;
  quantity: number;
}
type Handler = (input: unknown) => unknown;

/** Starts in waves, as a busy client would; hundreds of simultaneous connections measure the socket layer instead. */
const STARTS_IN_FLIGHT = 25;

async function runOrchestrations(host: LocalHost, name: string, count: number): Promise<void> {
  const ids: string[] = [];
  for (let first = 0; first < count; first += STARTS_IN_FLIGHT) {
    const wave = Array.from({ length: Math.min(STARTS_IN_FLIGHT, count - first) }, (_, k) => first + k);
    ids.push(
      ...(await Promise.all(
        wave.map((i) => host.client.startNew(name, { input: { id: `o${i}`, quantity: i } satisfies Order })),
      )),
    );
  }
  await host.waitForIdle();
  const statuses = await host.client.getStatusBy({});
  const completed = statuses.filter((status) => ids.includes(status.instanceId) && status.runtimeStatus === OrchestrationRuntimeStatus.Completed);
  if (completed.length !== count) throw new Error(`${name}: only ${completed.length} of ${count} completed`);
  await host.client.purgeInstanceHistoryBy({ createdTimeFrom: new Date(0) });
}

export async function benchHost(count = 500, chainLengths: readonly number[] = [25, 100, 250, 500]): Promise<{ throughput: RepeatedRow[]; replay: RepeatedRow[] }> {
  const host = await startLocalHost({ entry: APP, port: 0, timeSkipping: true, log: () => undefined });
  try {
    const { handlers } = createRequire(APP)(APP) as { handlers: Record<'validate' | 'price' | 'confirm', Handler> };
    // Warm up the JIT on every path first, so the rows compare steady states.
    await runOrchestrations(host, 'order', 100);
    await runOrchestrations(host, 'orderWithTimer', 100);
    const throughput = await measureInTurns(null, [
      {
        name: `baseline: the 3 activity handlers called directly, ${count}×`,
        items: { count, unit: 'runs' },
        work: async () => {
          for (let i = 0; i < count; i++) {
            const order = { id: `o${i}`, quantity: i };
            await handlers.confirm(await handlers.price(await handlers.validate(order)));
          }
        },
      },
      { name: `baseline: 3-activity orchestration, no timer, ${count} instances`, items: { count, unit: 'orchestrations' }, work: () => runOrchestrations(host, 'order', count) },
      { name: `3 activities + 1-hour timer, time skipping, ${count} instances`, items: { count, unit: 'orchestrations' }, work: () => runOrchestrations(host, 'orderWithTimer', count) },
    ]);
    const replay = await measureInTurns(
      null,
      chainLengths.map((length) => ({
        name: `replay: ${length} activities in sequence (history ≈ ${4 * length + 3} events)`,
        items: { count: length, unit: 'episodes' },
        work: async () => {
          const id = await host.client.startNew('longChain', { input: { count: length } });
          await host.waitForIdle();
          const status = await host.client.getStatus(id);
          if (status.runtimeStatus !== OrchestrationRuntimeStatus.Completed) throw new Error(`longChain(${length}) ended ${status.runtimeStatus}`);
          await host.client.purgeInstanceHistory(id);
        },
      })),
    );
    return { throughput, replay };
  } finally {
    await host.close();
  }
}

if (require.main === module) {
  benchHost().then(
    ({ throughput, replay }) => {
      printRepeatedTable('Local Functions + Durable host', throughput);
      printRepeatedTable('Replay as history grows', replay);
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
