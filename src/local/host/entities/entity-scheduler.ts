import type { HostClock } from '../clock';
import type { Registration } from '../core-types';
import type { IdleTracker } from '../idle-tracker';
import type { Invoker } from '../invoke';
import { CoalescingWrites } from '../persistence/coalescing-writes';
import type { InstanceJournal, PersistedInstance } from '../persistence/instance-journal';
import { runEntityBatch, type EntityStateSnapshot } from './entity-batch';
import { schedulerIdOf, type EntityAddress } from './entity-id';
import type { EntityCaller, EntityOperation, EntityResponse } from './entity-operation';
import { fromPersisted, newEntityRecord, rememberAnswer, toPersisted, type EntityRecord } from './entity-record';

/** Operations handed to the entity function in one invocation, at most (the extension batches too). */
const MAX_BATCH = 50;

export interface EntitySchedulerOptions {
  /** Entity functions by lower-case name. */
  entities: ReadonlyMap<string, Registration>;
  journal: InstanceJournal;
  clock: HostClock;
  idle: IdleTracker;
  invoker: Invoker;
  log: (line: string) => void;
  /** Hands a call's response to the orchestration that made it. */
  respond: (caller: EntityCaller, requestId: string, response: EntityResponse) => void;
}

/**
 * Runs durable entities: each entity takes its operations one at a time in
 * the order they arrived, a batch of them per invocation of its function.
 * A batch's new state, the rest of the queue and the request ids it
 * processed are saved before anything it produced leaves — the responses to
 * its callers and the signals it sent — as the extension commits an entity's
 * batch before sending its messages.
 */
export class EntityScheduler {
  readonly #options: EntitySchedulerOptions;
  readonly #records = new Map<string, EntityRecord>();
  /** What readEntityState shows: each entity's state as last saved. */
  readonly #saved = new Map<string, EntityStateSnapshot>();
  readonly #running = new Set<string>();
  readonly #writes: CoalescingWrites<string>;
  #closed = false;

  constructor(options: EntitySchedulerOptions) {
    this.#options = options;
    this.#writes = new CoalescingWrites((schedulerId) => this.#write(schedulerId));
  }

  /** Takes back the entities a previous host saved and carries on with their queues. */
  restore(states: readonly PersistedInstance[]): void {
    for (const state of states) {
      const record = fromPersisted(state);
      this.#records.set(record.schedulerId, record);
      this.#saved.set(record.schedulerId, { exists: record.exists, stateJson: record.stateJson });
    }
    for (const schedulerId of this.#records.keys()) this.#schedule(schedulerId);
  }

  /**
   * Queues an operation; resolves once the queue holding it is saved. A
   * request id the entity already has (queued, or processed and remembered)
   * is not queued again: a call already answered is answered once more.
   * The host is not idle until the queue is saved (time does not skip past
   * a message on its way).
   */
  enqueue(schedulerId: string, operation: EntityOperation): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('The host is closing.'));
    return this.#options.idle.track(() => this.#enqueue(schedulerId, operation));
  }

  async #enqueue(schedulerId: string, operation: EntityOperation): Promise<void> {
    const record = this.#recordOf(schedulerId);
    if (record.queue.some((queued) => queued.id === operation.id)) return;
    const answered = record.answered.get(operation.id);
    if (answered !== undefined) {
      if (answered !== null && operation.caller !== undefined) this.#options.respond(operation.caller, operation.id, answered);
      return;
    }
    record.queue.push(operation);
    record.lastUpdatedTime = this.#options.clock.now();
    await this.#writes.request(schedulerId);
    this.#schedule(schedulerId);
  }

  /** The entity's state as last saved, or undefined when it does not exist. */
  read(address: EntityAddress): string | undefined {
    const saved = this.#saved.get(schedulerIdOf(address));
    return saved?.exists === true ? (saved.stateJson ?? 'null') : undefined;
  }

  /** Stops starting batches; resolves once the writes under way are done. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#writes.settled();
  }

  #recordOf(schedulerId: string): EntityRecord {
    let record = this.#records.get(schedulerId);
    if (record === undefined) {
      record = newEntityRecord(schedulerId, this.#options.clock.now());
      this.#records.set(schedulerId, record);
    }
    return record;
  }

  #schedule(schedulerId: string): void {
    const record = this.#records.get(schedulerId);
    if (this.#closed || record === undefined || record.queue.length === 0 || this.#running.has(schedulerId)) return;
    this.#running.add(schedulerId);
    void this.#options.idle.track(async () => {
      try {
        await this.#runBatch(record);
      } catch (error) {
        this.#options.log(`Error: a batch of entity '${schedulerId}' crashed: ${String(error)}`);
      } finally {
        this.#running.delete(schedulerId);
        this.#schedule(schedulerId);
      }
    });
  }

  async #runBatch(record: EntityRecord): Promise<void> {
    const { entities, invoker, clock, respond, log } = this.#options;
    const batch = record.queue.slice(0, MAX_BATCH);
    const registration = entities.get(record.address.name.toLowerCase());
    const outcome =
      registration === undefined
        ? undefined
        : await runEntityBatch(invoker, registration, record.address, { exists: record.exists, stateJson: record.stateJson }, batch);
    if (this.#closed) return;
    if (outcome === undefined) {
      log(`Warning: no entity function '${record.address.name}' is registered: ${batch.length} operation(s) of '${record.schedulerId}' fail.`);
    }
    const missing: EntityResponse = {
      result: JSON.stringify(`The entity function '${record.address.name}' is not registered.`),
      exceptionType: 'EntityFunctionNotFound',
    };
    if (outcome !== undefined) {
      record.exists = outcome.exists;
      record.stateJson = outcome.stateJson;
    }
    record.queue.splice(0, batch.length);
    batch.forEach((operation, index) => {
      const response = outcome?.responses[index] ?? missing;
      rememberAnswer(record, operation.id, operation.caller === undefined ? null : response);
    });
    record.lastUpdatedTime = clock.now();
    // Saved before anything leaves: a crash now re-runs nothing and loses nothing (callers re-send, see restore).
    await this.#writes.request(record.schedulerId).catch((error: unknown) => {
      log(`Error: saving entity '${record.schedulerId}' failed: ${String(error)}`);
    });
    batch.forEach((operation, index) => {
      if (operation.caller !== undefined) respond(operation.caller, operation.id, outcome?.responses[index] ?? missing);
    });
    for (const signal of outcome?.signals ?? []) {
      this.enqueue(signal.schedulerId, signal.operation).catch((error: unknown) => {
        log(`Error: a signal from '${record.schedulerId}' to '${signal.schedulerId}' was not delivered: ${String(error)}`);
      });
    }
  }

  async #write(schedulerId: string): Promise<void> {
    const record = this.#records.get(schedulerId);
    if (record === undefined) return;
    const state = toPersisted(record);
    const snapshot = { exists: record.exists, stateJson: record.stateJson };
    await this.#options.journal.save(state);
    this.#saved.set(schedulerId, snapshot);
  }
}
