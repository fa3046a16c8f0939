// Durable entities with the task hub in Azurite's tables: an entity's state
// and its queued operations survive a restart of the host, and an
// orchestration waiting on a call made before the restart gets its answer
// from the new host — the operation runs once, not once per host.
import { fileURLToPath } from 'node:url';
import { TableClient, odata } from '@azure/data-tables';
import * as df from 'durable-functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type Azurite } from '../../src/local/azurite';
import { startLocalHost, type LocalHost } from '../../src/local/host';

const ENTITIES_APP = fileURLToPath(new URL('./apps/entities.js', import.meta.url));

declare global {
  // Read by the 'gatedAdd' operation of apps/entities.js.
  var entityTestGate: ((input: unknown) => Promise<void>) | undefined;
}

let azurite: Azurite;

beforeAll(async () => {
  azurite = await startAzurite();
});

afterAll(async () => {
  await azurite.close();
});

function startHost(hub: string): Promise<LocalHost> {
  return startLocalHost({
    entry: ENTITIES_APP,
    port: 0,
    log: () => undefined,
    store: 'table',
    taskHubName: hub,
    settings: { AzureWebJobsStorage: azurite.connectionString },
  });
}

interface CounterState {
  value: number;
  ops: string[];
}

async function stateOf(host: LocalHost, key: string): Promise<CounterState | undefined> {
  return (await host.client.readEntityState<CounterState>(new df.EntityId('counter', key))).entityState;
}

describe('entities on a host restarted on the same tables', () => {
  it('keeps an entity’s state, saved in the Instances table under its entity id', async () => {
    const first = await startHost('EntityState');
    await first.client.signalEntity(new df.EntityId('counter', 'kept'), 'add', 5);
    await first.waitForIdle();
    await first.close();

    const table = TableClient.fromConnectionString(azurite.connectionString, 'EntityStateInstances', { allowInsecureConnection: true });
    const rows: Record<string, unknown>[] = [];
    for await (const row of table.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${'@counter@kept'}` } })) rows.push(row);
    expect(rows.map((row) => row.Name)).toEqual(['counter']);

    const second = await startHost('EntityState');
    try {
      expect(await stateOf(second, 'kept')).toEqual({ value: 5, ops: ['add:5'] });
      const id = await second.client.startNew('addTwice', { input: { key: 'kept', amount: 1 } });
      await second.waitForIdle();
      expect((await second.client.getStatus(id)).output).toEqual({ first: 6, second: 7 });
    } finally {
      await second.close();
    }
  });

  it('runs a call that was in progress when the host stopped once on the new host, and answers the waiting orchestration', async () => {
    const runs: unknown[] = [];
    let firstRunStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (firstRunStarted = resolve));
    globalThis.entityTestGate = (input) => {
      runs.push(input);
      if (runs.length > 1) return Promise.resolve();
      firstRunStarted();
      // The worker dies with the host: this operation never finishes there.
      return new Promise<void>(() => undefined);
    };
    const first = await startHost('EntityInFlight');
    await first.client.signalEntity(new df.EntityId('counter', 'gated'), 'add', 100);
    await first.waitForIdle();
    const id = await first.client.startNew('gatedCall', { input: { key: 'gated', amount: 3 } });
    await started;
    // A signal queued behind the held operation: saved with the queue, 202 before the restart.
    await first.client.signalEntity(new df.EntityId('counter', 'gated'), 'add', 20);
    await first.close();

    const second = await startHost('EntityInFlight');
    try {
      await second.waitForIdle();
      const done = await second.client.getStatus(id);
      expect([done.runtimeStatus, done.output]).toEqual(['Completed', 103]);
      expect(runs).toEqual([3, 3]);
      expect(await stateOf(second, 'gated')).toEqual({ value: 123, ops: ['add:100', 'gatedAdd:3', 'add:20'] });
    } finally {
      await second.close();
      globalThis.entityTestGate = undefined;
    }
  });
});
