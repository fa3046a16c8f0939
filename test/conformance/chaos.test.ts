// Host chaos: an activity's result lost as if its worker died after running
// it. The host runs the activity again (at-least-once delivery, as Azure
// re-delivers the activity message), so the orchestration still completes
// with one result per call, while the activity itself ran more than once.
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalHost, type HostChaos, type LocalHost } from '../../src/local/host';
import { eventTypes, getStatusOverHttp } from './support/durable-http';
import { RESTART_APP, setRestartHooks } from './support/restart-hooks';

let host: LocalHost | undefined;
let runs: Map<string, number>;

afterEach(async () => {
  await host?.close();
  host = undefined;
});

async function startWithChaos(chaos: HostChaos): Promise<LocalHost> {
  runs = new Map();
  setRestartHooks({
    gatedWork: (input) => Promise.resolve(input),
    countRun: (key) => {
      const count = (runs.get(key) ?? 0) + 1;
      runs.set(key, count);
      return count;
    },
  });
  host = await startLocalHost({ entry: RESTART_APP, port: 0, log: () => undefined, chaos });
  return host;
}

/** Runs 'counted' over the keys; returns its output and the types of its history events. */
async function countedRun(started: LocalHost, keys: string[]): Promise<{ output: unknown; events: string[] }> {
  const id = await started.client.startNew('counted', { input: keys });
  await started.waitForIdle();
  const status = await started.client.getStatus(id);
  expect(status.runtimeStatus).toBe('Completed');
  const events = (await getStatusOverHttp(started.baseUrl, id, { showHistory: 'true' })).body?.historyEvents;
  return { output: status.output, events: eventTypes(events) };
}

describe('host chaos: lost activity results', () => {
  it('runs an activity again when its result is lost, and records one result', async () => {
    const started = await startWithChaos({ loseActivityResults: 1 });
    const { output, events } = await countedRun(started, ['a']);
    // The orchestration sees the second run's result: the first one's was lost.
    expect(output).toEqual([2]);
    expect(runs.get('a')).toBe(2);
    expect(events.filter((type) => type === 'TaskCompleted')).toHaveLength(1);
  });

  it('loses the results a predicate picks, each as often as it says', async () => {
    const seen: string[] = [];
    const started = await startWithChaos({
      loseActivityResults: ({ name, run, taskId }) => {
        seen.push(`${name}#${taskId} run ${run}`);
        return taskId === 1 && run <= 2;
      },
    });
    const { output } = await countedRun(started, ['x', 'y', 'z']);
    expect(output).toEqual([1, 3, 1]);
    expect(Object.fromEntries(runs)).toEqual({ x: 1, y: 3, z: 1 });
    expect(seen.filter((line) => line.startsWith('countRun#1'))).toEqual(['countRun#1 run 1', 'countRun#1 run 2', 'countRun#1 run 3']);
  });

  it('loses nothing without chaos', async () => {
    const started = await startWithChaos({});
    expect((await countedRun(started, ['a', 'b'])).output).toEqual([1, 1]);
  });
});
