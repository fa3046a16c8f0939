import type { InstanceStore } from '../store';
import { CoalescingWrites } from './coalescing-writes';
import type { InstanceJournal, PersistedInstance } from './instance-journal';

/**
 * Keeps each instance's saved state in line with the engine's: `persist(id)`
 * saves the instance as it is when the write starts (or removes it once it
 * is gone), one write per instance at a time. Only then does the status
 * store show it, so a client never reads a state a restart could take back
 * — as in production, where the Instances table is written after the
 * history it summarizes.
 */
export class InstancePersister {
  readonly #journal: InstanceJournal;
  readonly #store: InstanceStore;
  readonly #current: (instanceId: string) => PersistedInstance | undefined;
  readonly #writes: CoalescingWrites<string>;

  constructor(journal: InstanceJournal, store: InstanceStore, current: (instanceId: string) => PersistedInstance | undefined) {
    this.#journal = journal;
    this.#store = store;
    this.#current = current;
    this.#writes = new CoalescingWrites((instanceId) => this.#write(instanceId));
  }

  /** Resolves once the instance's state as of this call (or later) is saved; rejects when the write failed. */
  persist(instanceId: string): Promise<void> {
    return this.#writes.request(instanceId);
  }

  /** Resolves once no write runs or waits. */
  settled(): Promise<void> {
    return this.#writes.settled();
  }

  async #write(instanceId: string): Promise<void> {
    const state = this.#current(instanceId);
    if (state === undefined) {
      await this.#journal.remove(instanceId);
      this.#store.delete(instanceId);
      return;
    }
    await this.#journal.save(state);
    this.#store.put(state.record);
  }
}
