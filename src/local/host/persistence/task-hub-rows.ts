/**
 * The task hub's rows, laid out as the Durable Functions Azure Storage
 * backend lays out its own: an Instances table with one row per instance
 * (partition = instance id, empty row key) and a History table with one row
 * per history event (partition = instance id, row key ordered by sequence).
 * Payloads are JSON text, chunked by table-entity.ts when large.
 */
import { EventType, type HistoryEvent } from '../orchestration/history';
import type { RuntimeStatus } from '../store';
import type { PersistedInstance } from './instance-journal';
import type { EntityReader, LogicalEntity } from './table-entity';

/** The Instances row key, as in the Azure Storage backend. */
export const INSTANCE_ROW_KEY = '';

/** Table names from the task hub name, as the Azure Storage backend names them. */
export function taskHubTables(taskHubName: string): { instances: string; history: string } {
  // Azure Storage task hub names: 3–45 letters and digits, starting with a letter.
  if (!/^[A-Za-z][A-Za-z0-9]{2,44}$/.test(taskHubName)) {
    throw new Error(`Task hub name '${taskHubName}' cannot name tables: use 3–45 letters and digits, starting with a letter.`);
  }
  return { instances: `${taskHubName}Instances`, history: `${taskHubName}History` };
}

/** Row keys of one execution's events: `{executionId}:{sequence}`, zero-padded so they sort in order. */
export function historyRowKey(executionId: string, sequence: number): string {
  return `${historyKeyPrefix(executionId)}${String(sequence).padStart(8, '0')}`;
}

export function historyKeyPrefix(executionId: string): string {
  return `${executionId}:`;
}

/** The instance's row: its status columns, payloads as texts, and how much of the history is committed. */
export function instanceEntity(state: PersistedInstance): LogicalEntity {
  const { record } = state;
  return {
    partitionKey: record.instanceId,
    rowKey: INSTANCE_ROW_KEY,
    columns: {
      Name: record.name,
      ExecutionId: record.executionId,
      RuntimeStatus: record.runtimeStatus,
      CreatedTime: new Date(record.createdTime),
      LastUpdatedTime: new Date(record.lastUpdatedTime),
      ParentInstanceId: record.parent?.instanceId,
      ParentExecutionId: record.parent?.executionId,
      ParentTaskScheduledId: record.parent?.taskScheduledId,
      // The commit point: events past this count in the History table are not part of the instance yet.
      HistoryCount: record.history.length,
    },
    texts: {
      Input: record.input,
      Output: record.output,
      CustomStatus: record.customStatus === undefined ? undefined : JSON.stringify(record.customStatus),
      PendingEvents: state.pending.length === 0 ? undefined : JSON.stringify(state.pending),
      CancelledTimers: state.cancelledTimers.length === 0 ? undefined : JSON.stringify(state.cancelledTimers),
    },
  };
}

export interface StoredInstance {
  state: PersistedInstance;
  historyCount: number;
}

/** An instance read back from its row, with an empty history to fill from the History table. */
export function readInstance(instanceId: string, row: EntityReader): StoredInstance {
  const parentInstanceId = row.string('ParentInstanceId');
  const parentExecutionId = row.string('ParentExecutionId');
  const parentTask = row.number('ParentTaskScheduledId');
  const customStatus = row.text('CustomStatus');
  const state: PersistedInstance = {
    record: {
      instanceId,
      executionId: required(row.string('ExecutionId'), instanceId, 'ExecutionId'),
      name: required(row.string('Name'), instanceId, 'Name'),
      input: row.text('Input'),
      output: row.text('Output'),
      customStatus: customStatus === undefined ? undefined : JSON.parse(customStatus),
      runtimeStatus: required(row.string('RuntimeStatus'), instanceId, 'RuntimeStatus') as RuntimeStatus,
      createdTime: required(row.date('CreatedTime'), instanceId, 'CreatedTime').getTime(),
      lastUpdatedTime: required(row.date('LastUpdatedTime'), instanceId, 'LastUpdatedTime').getTime(),
      history: [],
      parent:
        parentInstanceId === undefined || parentExecutionId === undefined || parentTask === undefined
          ? undefined
          : { instanceId: parentInstanceId, executionId: parentExecutionId, taskScheduledId: parentTask },
    },
    pending: JSON.parse(row.text('PendingEvents') ?? '[]') as HistoryEvent[],
    cancelledTimers: JSON.parse(row.text('CancelledTimers') ?? '[]') as number[],
  };
  return { state, historyCount: required(row.number('HistoryCount'), instanceId, 'HistoryCount') };
}

/** One history event's row: the event type by name (for people reading the table) and the event as JSON. */
export function historyEntity(instanceId: string, executionId: string, sequence: number, event: HistoryEvent): LogicalEntity {
  return {
    partitionKey: instanceId,
    rowKey: historyRowKey(executionId, sequence),
    columns: { ExecutionId: executionId, EventType: EventType[event.EventType] },
    texts: { Event: JSON.stringify(event) },
  };
}

export function readHistoryEvent(row: EntityReader): HistoryEvent | undefined {
  const text = row.text('Event');
  return text === undefined ? undefined : (JSON.parse(text) as HistoryEvent);
}

function required<T>(value: T | undefined, instanceId: string, column: string): T {
  if (value === undefined) throw new Error(`Instance '${instanceId}': its row has no ${column}.`);
  return value;
}
