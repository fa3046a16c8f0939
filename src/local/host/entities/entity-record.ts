import type { PersistedInstance } from '../persistence/instance-journal';
import { addressOf, type EntityAddress } from './entity-id';
import type { EntityOperation, EntityResponse } from './entity-operation';

/**
 * Request ids an entity remembers having processed, with the response of
 * each call: a message delivered again (a restarted host re-sends what an
 * orchestration's history sent without an answer) is answered from here,
 * never run twice. Bounded; the oldest are forgotten first.
 */
export const REMEMBERED_REQUESTS = 1000;

/** The execution id entity rows carry in the task hub: entities have no executions. */
const ENTITY_EXECUTION = 'entity';

/** One entity as the host keeps it: its state, its queue of operations, and what it answered. */
export interface EntityRecord {
  schedulerId: string;
  address: EntityAddress;
  exists: boolean;
  stateJson: string | undefined;
  queue: EntityOperation[];
  /** Request id → the response of a call, or null for a signal; in the order processed. */
  answered: Map<string, EntityResponse | null>;
  createdTime: number;
  lastUpdatedTime: number;
}

/** What is saved in the instance row's Input: everything but the id, as JSON. */
interface SavedEntity {
  exists: boolean;
  state?: string;
  queue: EntityOperation[];
  answered: [string, EntityResponse | null][];
}

export function newEntityRecord(schedulerId: string, now: number): EntityRecord {
  return {
    schedulerId,
    address: addressOf(schedulerId),
    exists: false,
    stateJson: undefined,
    queue: [],
    answered: new Map(),
    createdTime: now,
    lastUpdatedTime: now,
  };
}

export function rememberAnswer(record: EntityRecord, requestId: string, response: EntityResponse | null): void {
  record.answered.set(requestId, response);
  for (const oldest of record.answered.keys()) {
    if (record.answered.size <= REMEMBERED_REQUESTS) break;
    record.answered.delete(oldest);
  }
}

/**
 * An entity saved as an instance of the task hub, as the Azure Storage
 * backend keeps entities (instance id `@name@key`): the journal and its
 * tables need nothing of their own for it.
 */
export function toPersisted(record: EntityRecord): PersistedInstance {
  const saved: SavedEntity = {
    exists: record.exists,
    ...(record.stateJson === undefined ? {} : { state: record.stateJson }),
    queue: record.queue,
    answered: [...record.answered.entries()],
  };
  return {
    record: {
      instanceId: record.schedulerId,
      executionId: ENTITY_EXECUTION,
      name: record.address.name,
      input: JSON.stringify(saved),
      output: undefined,
      customStatus: undefined,
      runtimeStatus: 'Running',
      createdTime: record.createdTime,
      lastUpdatedTime: record.lastUpdatedTime,
      history: [],
      parent: undefined,
    },
    pending: [],
    cancelledTimers: [],
  };
}

export function fromPersisted(state: PersistedInstance): EntityRecord {
  const { record } = state;
  const saved = JSON.parse(record.input ?? '{}') as Partial<SavedEntity>;
  return {
    schedulerId: record.instanceId,
    address: addressOf(record.instanceId),
    exists: saved.exists === true,
    stateJson: saved.state,
    queue: saved.queue ?? [],
    answered: new Map(saved.answered ?? []),
    createdTime: record.createdTime,
    lastUpdatedTime: record.lastUpdatedTime,
  };
}
