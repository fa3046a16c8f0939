/**
 * The task hub in Azure Table storage (Azurite locally), through
 * @azure/data-tables. A save writes the events the history gained since the
 * last save, then the instance row — the commit point, which names the
 * execution and how many of its events count. A crash between the two leaves
 * events nobody reads; events of an older execution are deleted once a newer
 * one is committed.
 */
import { odata, TableClient, type TransactionAction } from '@azure/data-tables';
import type { InstanceJournal, PersistedInstance } from './instance-journal';
import { overflowKeysOf, readEntity, toRows, type Row } from './table-entity';
import {
  historyEntity,
  historyKeyPrefix,
  historyRowKey,
  INSTANCE_ROW_KEY,
  instanceEntity,
  readHistoryEvent,
  readInstance,
  taskHubTables,
} from './task-hub-rows';

/** A transaction holds at most 100 operations and 4 MiB; stay well under the size. */
const MAX_BATCH_OPERATIONS = 100;
const MAX_BATCH_BYTES = 3 * 1024 * 1024;

/** What the journal last wrote for an instance: where its next save starts. */
interface Saved {
  executionId: string;
  historyCount: number;
  /** Row keys of the instance row's overflow rows, deleted once a newer version is committed. */
  instanceOverflow: string[];
  version: number;
}

export class TableInstanceJournal implements InstanceJournal {
  readonly #instances: TableClient;
  readonly #history: TableClient;
  readonly #log: (line: string) => void;
  readonly #saved = new Map<string, Saved>();

  private constructor(instances: TableClient, history: TableClient, log: (line: string) => void) {
    this.#instances = instances;
    this.#history = history;
    this.#log = log;
  }

  /** Connects to the task hub's tables, creating them when missing. */
  static async open(connectionString: string, taskHubName: string, log: (line: string) => void): Promise<TableInstanceJournal> {
    const names = taskHubTables(taskHubName);
    const client = (table: string) => TableClient.fromConnectionString(connectionString, table, { allowInsecureConnection: true });
    const journal = new TableInstanceJournal(client(names.instances), client(names.history), log);
    await journal.#instances.createTable();
    await journal.#history.createTable();
    return journal;
  }

  async load(): Promise<PersistedInstance[]> {
    const instanceRows = await rowsByPartition(this.#instances);
    const historyRows = await rowsByPartition(this.#history);
    const loaded: PersistedInstance[] = [];
    for (const [instanceId, rows] of instanceRows) {
      const main = rows.get(INSTANCE_ROW_KEY);
      if (main === undefined) continue;
      const state = this.#loadInstance(instanceId, main, rows, historyRows.get(instanceId) ?? new Map<string, Row>());
      if (state !== undefined) loaded.push(state);
    }
    return loaded;
  }

  async save(state: PersistedInstance): Promise<void> {
    const { record } = state;
    const { instanceId, executionId, history } = record;
    const previous = this.#saved.get(instanceId);
    const sameExecution = previous?.executionId === executionId;
    const from = sameExecution ? previous.historyCount : 0;
    if (history.length < from) {
      throw new Error(`The history of instance '${instanceId}' shrank from ${from} to ${history.length} events: saved events are never rewritten.`);
    }
    const events = history.slice(from).flatMap((event, index) => toRows(historyEntity(instanceId, executionId, from + index, event), 0));
    await upsertRows(this.#history, events);

    const version = (previous?.version ?? 0) + 1;
    const [main, ...overflow] = toRows(instanceEntity(state), version);
    if (main === undefined) throw new Error('an entity always has a main row');
    await upsertRows(this.#instances, overflow);
    await upsertRows(this.#instances, [main]);
    await deleteRows(this.#instances, instanceId, previous?.instanceOverflow ?? []);

    if (previous !== undefined && !sameExecution) {
      const current = historyKeyPrefix(executionId);
      const stale = (await rowKeys(this.#history, instanceId)).filter((key) => !key.startsWith(current));
      await deleteRows(this.#history, instanceId, stale);
    }
    this.#saved.set(instanceId, { executionId, historyCount: history.length, instanceOverflow: overflow.map((row) => row.rowKey), version });
  }

  async remove(instanceId: string): Promise<void> {
    // The instance row first: history rows without it are never read.
    await deleteRows(this.#instances, instanceId, await rowKeys(this.#instances, instanceId));
    await deleteRows(this.#history, instanceId, await rowKeys(this.#history, instanceId));
    this.#saved.delete(instanceId);
  }

  #loadInstance(
    instanceId: string,
    main: Row,
    rows: ReadonlyMap<string, Row>,
    historyRows: ReadonlyMap<string, Row>,
  ): PersistedInstance | undefined {
    const reader = readEntity(main, rows);
    if (reader === undefined) {
      this.#log(`Error: instance '${instanceId}' is missing rows in the Instances table; it is not loaded.`);
      return undefined;
    }
    const { state, historyCount } = readInstance(instanceId, reader);
    const { executionId } = state.record;
    for (let sequence = 0; sequence < historyCount; sequence++) {
      const eventRow = historyRows.get(historyRowKey(executionId, sequence));
      const eventReader = eventRow === undefined ? undefined : readEntity(eventRow, historyRows);
      const event = eventReader === undefined ? undefined : readHistoryEvent(eventReader);
      if (event === undefined) {
        this.#log(`Error: instance '${instanceId}' is missing history event ${sequence} of ${historyCount}; it is not loaded.`);
        return undefined;
      }
      state.record.history.push(event);
    }
    const overflow = overflowKeysOf(main);
    this.#saved.set(instanceId, { executionId, historyCount, instanceOverflow: overflow, version: Number(main.RowsVersion ?? 0) });
    return state;
  }
}

/** Every row of a table, by partition and row key. */
async function rowsByPartition(client: TableClient): Promise<Map<string, Map<string, Row>>> {
  const partitions = new Map<string, Map<string, Row>>();
  for await (const listed of client.listEntities()) {
    const row: Row = { ...listed, partitionKey: listed.partitionKey ?? '', rowKey: listed.rowKey ?? '' };
    const partition = partitions.get(row.partitionKey) ?? new Map<string, Row>();
    partitions.set(row.partitionKey, partition);
    partition.set(row.rowKey, row);
  }
  return partitions;
}

async function rowKeys(client: TableClient, partitionKey: string): Promise<string[]> {
  const keys: string[] = [];
  const rows = client.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${partitionKey}`, select: ['RowKey'] } });
  for await (const row of rows) if (row.rowKey !== undefined) keys.push(row.rowKey);
  return keys;
}

/**
 * Always as transactions, even of one row: Azurite 3.35 garbles non-ASCII
 * characters in a single-entity request body over 64 KiB, not in a batch.
 */
async function upsertRows(client: TableClient, rows: Row[]): Promise<void> {
  for (const batch of batches(rows)) {
    await client.submitTransaction(batch.map((row): TransactionAction => ['upsert', row, 'Replace']));
  }
}

async function deleteRows(client: TableClient, partitionKey: string, keys: string[]): Promise<void> {
  const rows = keys.map((rowKey): Row => ({ partitionKey, rowKey }));
  for (const batch of batches(rows)) {
    await client.submitTransaction(batch.map((row): TransactionAction => ['delete', row]));
  }
}

/** Rows of one partition in transactions within the service's limits. */
function batches(rows: Row[]): Row[][] {
  const result: Row[][] = [];
  let current: Row[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = approximateBytes(row);
    if (current.length === MAX_BATCH_OPERATIONS || (current.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      result.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += size;
  }
  if (current.length > 0) result.push(current);
  return result;
}

/** Strings count twice (UTF-16 on the service, JSON escapes on the wire), plus room for names and framing. */
function approximateBytes(row: Row): number {
  let bytes = 1024;
  for (const value of Object.values(row)) if (typeof value === 'string') bytes += value.length * 2;
  return bytes;
}
