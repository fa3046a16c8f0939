import type { HistoryEvent } from './orchestration/history';

export type RuntimeStatus =
  | 'Pending'
  | 'Running'
  | 'Completed'
  | 'ContinuedAsNew'
  | 'Failed'
  | 'Canceled'
  | 'Terminated'
  | 'Suspended';

const TERMINAL: ReadonlySet<RuntimeStatus> = new Set(['Completed', 'Failed', 'Canceled', 'Terminated']);

export function isTerminal(status: RuntimeStatus): boolean {
  return TERMINAL.has(status);
}

/** Where a sub-orchestration reports back to. */
export interface ParentLink {
  instanceId: string;
  executionId: string;
  taskScheduledId: number;
}

/** One orchestration instance, as the status API and the engine see it. */
export interface InstanceRecord {
  instanceId: string;
  /** Changes at continue-as-new, so late results of an old execution are dropped. */
  executionId: string;
  name: string;
  /** JSON text of the current execution's input, if any. */
  input: string | undefined;
  /** JSON text of the output once finished (a failure's message for Failed). */
  output: string | undefined;
  customStatus: unknown;
  runtimeStatus: RuntimeStatus;
  createdTime: number;
  lastUpdatedTime: number;
  /** The current execution's history, as last given to the SDK plus what that episode produced. */
  history: HistoryEvent[];
  parent: ParentLink | undefined;
}

export interface InstanceQuery {
  createdTimeFrom?: number;
  createdTimeTo?: number;
  runtimeStatus?: readonly RuntimeStatus[];
}

/**
 * The instances as the status API reads them: each one as it was last saved
 * (the engine works on its own copy, and the journal in persistence/ keeps
 * what survives a restart). Records are kept until purged.
 */
export interface InstanceStore {
  get(instanceId: string): InstanceRecord | undefined;
  put(record: InstanceRecord): void;
  delete(instanceId: string): boolean;
  /** Matching records, oldest first. */
  query(filter: InstanceQuery): InstanceRecord[];
}

function matchesQuery(record: InstanceRecord, filter: InstanceQuery): boolean {
  if (filter.createdTimeFrom !== undefined && record.createdTime < filter.createdTimeFrom) return false;
  if (filter.createdTimeTo !== undefined && record.createdTime > filter.createdTimeTo) return false;
  const statuses = filter.runtimeStatus;
  return statuses === undefined || statuses.length === 0 || statuses.includes(record.runtimeStatus);
}

export class InMemoryInstanceStore implements InstanceStore {
  readonly #records = new Map<string, InstanceRecord>();

  get(instanceId: string): InstanceRecord | undefined {
    return this.#records.get(instanceId);
  }

  put(record: InstanceRecord): void {
    this.#records.set(record.instanceId, record);
  }

  delete(instanceId: string): boolean {
    return this.#records.delete(instanceId);
  }

  query(filter: InstanceQuery): InstanceRecord[] {
    return [...this.#records.values()]
      .filter((record) => matchesQuery(record, filter))
      .sort((a, b) => a.createdTime - b.createdTime);
  }
}
