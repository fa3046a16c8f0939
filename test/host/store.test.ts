// The in-memory instance store: lookups, queries by creation time and status.
import { describe, expect, it } from 'vitest';
import { InMemoryInstanceStore, isTerminal, type InstanceRecord, type RuntimeStatus } from '../../src/local/host/store';

function record(instanceId: string, createdTime: number, runtimeStatus: RuntimeStatus): InstanceRecord {
  return {
    instanceId,
    executionId: 'e',
    name: 'orchestrator',
    input: undefined,
    output: undefined,
    customStatus: undefined,
    runtimeStatus,
    createdTime,
    lastUpdatedTime: createdTime,
    history: [],
    parent: undefined,
  };
}

describe('in-memory instance store', () => {
  it('puts, gets and deletes instances', () => {
    const store = new InMemoryInstanceStore();
    store.put(record('a', 1, 'Running'));
    expect(store.get('a')?.runtimeStatus).toBe('Running');
    expect(store.delete('a')).toBe(true);
    expect(store.get('a')).toBeUndefined();
    expect(store.delete('a')).toBe(false);
  });

  it('queries by creation time (inclusive) and runtime status, oldest first', () => {
    const store = new InMemoryInstanceStore();
    store.put(record('late', 300, 'Completed'));
    store.put(record('early', 100, 'Running'));
    store.put(record('middle', 200, 'Failed'));
    expect(store.query({}).map((r) => r.instanceId)).toEqual(['early', 'middle', 'late']);
    expect(store.query({ createdTimeFrom: 200 }).map((r) => r.instanceId)).toEqual(['middle', 'late']);
    expect(store.query({ createdTimeTo: 200 }).map((r) => r.instanceId)).toEqual(['early', 'middle']);
    expect(store.query({ runtimeStatus: ['Completed', 'Failed'] }).map((r) => r.instanceId)).toEqual(['middle', 'late']);
  });

  it('knows which statuses are final', () => {
    expect(['Completed', 'Failed', 'Terminated', 'Canceled'].every((s) => isTerminal(s as RuntimeStatus))).toBe(true);
    expect(['Pending', 'Running', 'Suspended', 'ContinuedAsNew'].some((s) => isTerminal(s as RuntimeStatus))).toBe(false);
  });
});
