import type { HistoryEvent } from '../orchestration/history';
import type { InstanceRecord } from '../store';

/**
 * What survives a restart of the host for one instance: the record with its
 * history up to the last committed episode, the events that history does not
 * hold yet, and the timers the orchestrator cancelled (not re-armed).
 */
export interface PersistedInstance {
  record: InstanceRecord;
  /** Events no committed episode has taken in yet: those the running episode works on, then the inbox. */
  pending: HistoryEvent[];
  /** Timers of the current execution the orchestrator cancelled: their TimerCreated has no TimerFired to wait for. */
  cancelledTimers: number[];
}

/**
 * Where instance state is kept beyond the process. Saves of one instance are
 * never concurrent (the persister serializes them), and a saved history only
 * grows within an execution: what was saved is never rewritten.
 */
export interface InstanceJournal {
  /** Every instance as last saved. */
  load(): Promise<PersistedInstance[]>;
  save(state: PersistedInstance): Promise<void>;
  remove(instanceId: string): Promise<void>;
}

/** Keeps nothing: state lives and dies with the process (tests, the demo). */
export const memoryOnlyJournal: InstanceJournal = {
  load: () => Promise.resolve([]),
  save: () => Promise.resolve(),
  remove: () => Promise.resolve(),
};
