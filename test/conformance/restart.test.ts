// The local host with its task hub in Azurite's tables: a host closed mid-way
// and a new one started on the same tables carries on with every instance —
// timers at their original due time, activities in flight run again, raised
// events kept, sub-orchestrations and continue-as-new resumed — and what a
// client was told happened is in the tables before the answer. Purge removes
// the rows.
import { createHash } from 'node:crypto';
import { TableClient, odata } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type Azurite } from '../../src/local/azurite';
import { startLocalHost, type LocalHost, type LocalHostOptions } from '../../src/local/host';
import { eventTypes, getStatusOverHttp, type HistoryEventPayload } from './support/durable-http';
import { RESTART_APP, setRestartHooks } from './support/restart-hooks';

let azurite: Azurite;

beforeAll(async () => {
  // Kept running across the hosts of a test: the tables outlive each host, as on disk for `npm run dev`.
  azurite = await startAzurite();
});

afterAll(async () => {
  await azurite.close();
});

/** A host on the task hub `hub` in Azurite's tables. */
function startHost(hub: string, options: Pick<LocalHostOptions, 'timeSkipping'> = {}): Promise<LocalHost> {
  return startLocalHost({
    entry: RESTART_APP,
    port: 0,
    log: () => undefined,
    store: 'table',
    taskHubName: hub,
    settings: { AzureWebJobsStorage: azurite.connectionString },
    ...options,
  });
}

function table(name: string): TableClient {
  return TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true });
}

/** The instance's rows in one of the hub's tables. */
async function rowsOf(tableName: string, instanceId: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for await (const row of table(tableName).listEntities({ queryOptions: { filter: odata`PartitionKey eq ${instanceId}` } })) rows.push(row);
  return rows;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

async function history(host: LocalHost, id: string): Promise<HistoryEventPayload[]> {
  const response = await getStatusOverHttp(host.baseUrl, id, { showHistory: 'true', showHistoryOutput: 'true' });
  return response.body?.historyEvents ?? [];
}

describe('a host restarted on the same tables', () => {
  it('fires a durable timer set before the restart at its original due time', async () => {
    const first = await startHost('RestartTimer');
    const id = await first.client.startNew('napper');
    // Persisted before the client heard 202.
    expect((await rowsOf('RestartTimerInstances', id)).map((row) => row.Name)).toEqual(['napper']);
    await first.waitForIdle();
    const before = await first.client.getStatus(id, { showHistory: true });
    expect(before.runtimeStatus).toBe('Running');
    const [timer] = (await history(first, id)).filter((event) => event.EventType === 'TimerCreated');
    await first.close();

    const second = await startHost('RestartTimer', { timeSkipping: true });
    try {
      const resumed = await second.client.getStatus(id);
      expect([resumed.runtimeStatus, resumed.createdTime]).toEqual(['Running', before.createdTime]);
      await second.waitForIdle();
      const done = await second.client.getStatus(id);
      const output = done.output as { due: string; wokeAt: string; stamp: string };
      expect([done.runtimeStatus, output.stamp]).toEqual(['Completed', 'stamped after nap']);
      expect(output.due).toBe(timer?.FireAt);
      expect(Date.parse(output.wokeAt)).toBeGreaterThanOrEqual(Date.parse(output.due));
      const events = await history(second, id);
      expect(eventTypes(events).filter((type) => type.startsWith('Timer'))).toEqual(['TimerCreated', 'TimerFired']);
      expect(events.find((event) => event.EventType === 'TimerFired')?.FireAt).toBe(timer?.FireAt);
    } finally {
      await second.close();
    }
  });

  it('runs again an activity that was running when the host stopped', async () => {
    const runs: string[] = [];
    let firstRunStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (firstRunStarted = resolve));
    setRestartHooks({
      gatedWork: (input) => {
        runs.push(input);
        if (runs.length === 1) {
          firstRunStarted();
          // The worker dies with the host: this run never reports back.
          return new Promise<string>(() => undefined);
        }
        return Promise.resolve(`worked on ${input}`);
      },
      countRun: () => 0,
    });
    const first = await startHost('RestartActivity');
    const id = await first.client.startNew('gated', { input: 'order-7' });
    await started;
    await first.close();

    const second = await startHost('RestartActivity');
    try {
      await second.waitForIdle();
      const done = await second.client.getStatus(id);
      expect([done.runtimeStatus, done.output]).toEqual(['Completed', 'worked on order-7']);
      expect(runs).toEqual(['order-7', 'order-7']);
      const types = eventTypes(await history(second, id));
      expect(types.filter((type) => type.startsWith('Task'))).toEqual(['TaskCompleted']);
    } finally {
      await second.close();
    }
  });

  it('keeps an event raised before the restart (202 means it is stored)', async () => {
    const first = await startHost('RestartEvents');
    const id = await first.client.startNew('twoEvents');
    await first.waitForIdle();
    // Suspended, the instance only queues the event: it can only come back from the tables.
    await first.client.suspend(id, 'hold on');
    await first.client.raiseEvent(id, 'First', { n: 1 });
    await first.close();

    const second = await startHost('RestartEvents');
    try {
      expect((await second.client.getStatus(id)).runtimeStatus).toBe('Suspended');
      await second.client.resume(id, 'go on');
      await second.client.raiseEvent(id, 'Second', { n: 2 });
      await second.waitForIdle();
      const done = await second.client.getStatus(id);
      expect([done.runtimeStatus, done.output]).toEqual(['Completed', [{ n: 1 }, { n: 2 }]]);
    } finally {
      await second.close();
    }
  });

  it('resumes a parent waiting on a sub-orchestration that sleeps on a timer', async () => {
    const first = await startHost('RestartChild');
    const id = await first.client.startNew('napperParent', { instanceId: 'parent-1' });
    await first.waitForIdle();
    expect((await first.client.getStatus('parent-1-child')).runtimeStatus).toBe('Running');
    await first.close();

    const second = await startHost('RestartChild', { timeSkipping: true });
    try {
      await second.waitForIdle();
      const parent = await second.client.getStatus(id);
      expect([parent.runtimeStatus, parent.output]).toEqual(['Completed', { child: 'stamped after nap' }]);
      expect((await second.client.getStatus('parent-1-child')).runtimeStatus).toBe('Completed');
    } finally {
      await second.close();
    }
  });

  it('continues a continue-as-new loop, keeping only the last execution’s history rows', async () => {
    const first = await startHost('RestartLoop');
    const id = await first.client.startNew('countdown', { input: 2 });
    await first.waitForIdle();
    await first.close();

    const second = await startHost('RestartLoop', { timeSkipping: true });
    try {
      await second.waitForIdle();
      const done = await second.client.getStatus(id);
      expect([done.runtimeStatus, done.output]).toEqual(['Completed', 'lift-off']);
      const executions = new Set((await rowsOf('RestartLoopHistory', id)).map((row) => row.ExecutionId));
      expect(executions.size).toBe(1);
    } finally {
      await second.close();
    }
  });

  it('keeps inputs, events and outputs larger than a table row', async () => {
    const text = 'Å😀'.repeat(400_000);
    const first = await startHost('RestartLarge');
    const id = await first.client.startNew('bigEcho', { input: { text } });
    await first.waitForIdle();
    await first.client.suspend(id, 'hold on');
    await first.client.raiseEvent(id, 'Go', text);
    await first.close();

    const second = await startHost('RestartLarge');
    try {
      await second.client.resume(id, 'go on');
      await second.waitForIdle();
      const done = await second.client.getStatus(id);
      expect(done.runtimeStatus).toBe('Completed');
      expect(done.customStatus).toEqual({ inputLength: text.length });
      expect(sha256((done.output as { text: string }).text)).toBe(sha256(text + text));
    } finally {
      await second.close();
    }
    // The input alone spans several rows of the Instances table.
    expect((await rowsOf('RestartLargeInstances', id)).length).toBeGreaterThan(1);
  });
});

describe('purge with the table store', () => {
  it('removes the instance row and every history row; a new host does not know the instance', async () => {
    const first = await startHost('RestartPurge', { timeSkipping: true });
    const id = await first.client.startNew('napper');
    await first.waitForIdle();
    expect((await first.client.getStatus(id)).runtimeStatus).toBe('Completed');
    expect((await rowsOf('RestartPurgeHistory', id)).length).toBeGreaterThan(5);
    expect((await first.client.purgeInstanceHistory(id)).instancesDeleted).toBe(1);
    expect(await rowsOf('RestartPurgeInstances', id)).toEqual([]);
    expect(await rowsOf('RestartPurgeHistory', id)).toEqual([]);
    await first.close();

    const second = await startHost('RestartPurge');
    try {
      expect((await getStatusOverHttp(second.baseUrl, id)).status).toBe(404);
    } finally {
      await second.close();
    }
  });
});
