import { randomUUID } from 'node:crypto';
import type { HostClock } from '../clock';
import { isSchedulerId, schedulerIdOf, type EntityAddress } from '../entities/entity-id';
import { EntityScheduler } from '../entities/entity-scheduler';
import type { FunctionCatalog } from '../functions';
import type { IdleTracker } from '../idle-tracker';
import type { Invoker } from '../invoke';
import type { InstanceJournal } from '../persistence/instance-journal';
import { InstancePersister } from '../persistence/instance-persister';
import { isTerminal, type InstanceRecord, type InstanceStore, type ParentLink, type RuntimeStatus } from '../store';
import { ActivityRunner } from './activity-runner';
import { ResultLoss, type HostChaos } from './chaos';
import { withEntityMessagesInOrder } from './entity-messages';
import { responseEventFields } from './entity-request';
import { runEpisode, type EpisodeResult } from './episode';
import { orchestratorFailureMessage } from './failure';
import { EventType, fromJsonText, historyEvent, toJsonText, type HistoryEvent } from './history';
import { Instance } from './instance';
import { InstanceError } from './instance-error';
import { plannedWork } from './planner';
import { outstandingWork } from './recovery';
import { ActionType, decodeActionInput, flattenActions, type SdkAction } from './sdk-state';
import { WorkDispatcher, type ScheduledWork } from './work-dispatcher';

/** Custom status must stay under 16 KB, as in production. */
const MAX_CUSTOM_STATUS_CHARS = 16 * 1024;

export interface EngineOptions {
  /** What the status API reads: each instance as last persisted. */
  store: InstanceStore;
  /** Where instance state survives the process (or not). */
  journal: InstanceJournal;
  clock: HostClock;
  idle: IdleTracker;
  invoker: Invoker;
  catalog: FunctionCatalog;
  log: (line: string) => void;
  maxConcurrentActivityFunctions: number;
  chaos?: HostChaos;
}

/** What an episode decided, to carry out once it is persisted. */
interface EpisodeOutcome {
  work: ScheduledWork[];
  /** The instance ended (its parent is told once that is persisted). */
  ended: boolean;
  failureDetails: string;
}

/**
 * Runs orchestration instances: takes the instance commands of the durable
 * API, runs one episode per instance at a time built from its history, and
 * hands what the SDK asked for to the work dispatcher, whose results come
 * back as history events.
 *
 * Persistence points, as in production: a command is persisted before the
 * API answers (Azure enqueues its message before the 202); an episode's new
 * history is persisted before its work starts, so after a crash an activity
 * may run again (at least once) but nothing a client was told is lost.
 */
export class OrchestrationEngine {
  readonly #options: EngineOptions;
  readonly #instances = new Map<string, Instance>();
  readonly #work: WorkDispatcher;
  readonly #persister: InstancePersister;
  readonly #entities: EntityScheduler;
  #closed = false;

  constructor(options: EngineOptions) {
    this.#options = options;
    this.#persister = new InstancePersister(options.journal, options.store, (id) => this.#instances.get(id)?.snapshot());
    this.#entities = new EntityScheduler({
      entities: options.catalog.entities,
      journal: options.journal,
      clock: options.clock,
      idle: options.idle,
      invoker: options.invoker,
      log: options.log,
      respond: (caller, requestId, response) => {
        this.#deliver(caller.instanceId, caller.executionId, () =>
          historyEvent(EventType.EventRaised, options.clock.now(), responseEventFields(requestId, response)),
        );
      },
    });
    this.#work = new WorkDispatcher({
      clock: options.clock,
      idle: options.idle,
      activities: new ActivityRunner(options.catalog, options.invoker, options.maxConcurrentActivityFunctions),
      resultLoss: new ResultLoss(options.chaos),
      log: options.log,
      deliver: (instanceId, executionId, event) => {
        this.#deliver(instanceId, executionId, event);
      },
      startChild: (name, instanceId, inputJson, parent) => this.#startChild(name, instanceId, inputJson, parent),
      sendToEntity: (schedulerId, operation) => this.#entities.enqueue(schedulerId, operation),
    });
  }

  get store(): InstanceStore {
    return this.#options.store;
  }

  /**
   * Loads what the journal kept and resumes every unfinished instance from
   * its history: pending events go to its next episode, timers are re-armed
   * at their original due time (those already due fire), activities and
   * sub-orchestrations that never reported back are started again, entity
   * requests without an answer are sent again. Entities carry on with the
   * operations they had queued.
   */
  async restore(): Promise<{ loaded: number; resumed: number }> {
    const saved = await this.#options.journal.load();
    for (const state of saved) {
      if (isSchedulerId(state.record.instanceId)) continue;
      const instance = Instance.restore(state);
      this.#instances.set(instance.id, instance);
      this.#options.store.put(instance.snapshot().record);
    }
    // After the instances: the answers of the entities' first batches go to them.
    this.#entities.restore(saved.filter((state) => isSchedulerId(state.record.instanceId)));
    let resumed = 0;
    for (const instance of this.#instances.values()) {
      if (isTerminal(instance.record.runtimeStatus)) continue;
      const { history } = instance.record;
      this.#work.start(instance, outstandingWork(history, instance.inbox, instance.cancelledTimers));
      this.#scheduleEpisode(instance);
      resumed++;
    }
    return { loaded: this.#instances.size, resumed };
  }

  // ---- instance commands ----------------------------------------------------

  /** Starts an instance (replacing a finished one with the same id); resolves once that is persisted. */
  async startNew(name: string, instanceId: string | undefined, inputJson: string | undefined, parent?: ParentLink): Promise<InstanceRecord> {
    const { clock, catalog } = this.#options;
    this.#assertOpen();
    if (!catalog.orchestrators.has(name.toLowerCase())) {
      throw new InstanceError('unknownOrchestrator', `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.`);
    }
    const id = instanceId ?? randomUUID().replaceAll('-', '');
    const existing = this.#instances.get(id);
    if (existing !== undefined && !isTerminal(existing.record.runtimeStatus)) {
      throw new InstanceError('alreadyRunning', `An orchestration instance with ID '${id}' is already ${existing.record.runtimeStatus}.`);
    }
    existing?.retire();
    const now = clock.now();
    const record: InstanceRecord = {
      instanceId: id,
      executionId: randomUUID(),
      name,
      input: inputJson,
      output: undefined,
      customStatus: undefined,
      runtimeStatus: 'Pending',
      createdTime: now,
      lastUpdatedTime: now,
      history: [],
      parent,
    };
    const instance = new Instance(record);
    this.#instances.set(id, instance);
    instance.inbox.push(instance.executionStarted(now));
    this.#scheduleEpisode(instance);
    await this.#persister.persist(id);
    return record;
  }

  async raiseEvent(instanceId: string, eventName: string, inputJson: string | undefined): Promise<void> {
    const instance = this.#liveInstance(instanceId);
    instance.inbox.push(
      historyEvent(EventType.EventRaised, this.#options.clock.now(), { Name: eventName, Input: inputJson ?? 'null' }),
    );
    this.#scheduleEpisode(instance);
    await this.#persister.persist(instanceId);
  }

  async terminate(instanceId: string, reason: string): Promise<void> {
    const instance = this.#liveInstance(instanceId);
    const now = this.#options.clock.now();
    instance.record.history.push(historyEvent(EventType.ExecutionTerminated, now, { Input: toJsonText(reason) }));
    this.#end(instance, 'Terminated', toJsonText(reason), now);
    try {
      await this.#persister.persist(instanceId);
    } finally {
      this.#notifyParent(instance, '');
    }
  }

  async suspend(instanceId: string, reason: string): Promise<void> {
    const { record } = this.#liveInstance(instanceId);
    if (record.runtimeStatus === 'Suspended') return;
    const now = this.#options.clock.now();
    record.history.push(historyEvent(EventType.ExecutionSuspended, now, { Reason: reason }));
    this.#setStatus(record, 'Suspended', now);
    await this.#persister.persist(instanceId);
  }

  async resume(instanceId: string, reason: string): Promise<void> {
    const instance = this.#liveInstance(instanceId);
    const { record } = instance;
    if (record.runtimeStatus !== 'Suspended') return;
    const now = this.#options.clock.now();
    record.history.push(historyEvent(EventType.ExecutionResumed, now, { Reason: reason }));
    this.#setStatus(record, 'Running', now);
    this.#scheduleEpisode(instance);
    await this.#persister.persist(instanceId);
  }

  // ---- entities (client side) ------------------------------------------------

  /** Queues an operation on an entity for no one to answer; resolves once that is saved. */
  async signalEntity(address: EntityAddress, operation: string, inputJson: string | undefined): Promise<void> {
    this.#assertOpen();
    await this.#entities.enqueue(schedulerIdOf(address), { id: randomUUID(), name: operation, inputJson, caller: undefined });
  }

  /** The entity's state as JSON text, as last saved; undefined when it does not exist. */
  readEntityState(address: EntityAddress): string | undefined {
    return this.#entities.read(address);
  }

  /** Deletes a finished instance; running ones are kept (false). */
  async purge(instanceId: string): Promise<boolean> {
    this.#assertOpen();
    const instance = this.#instances.get(instanceId);
    if (instance === undefined || !isTerminal(instance.record.runtimeStatus)) return false;
    instance.retire();
    this.#instances.delete(instanceId);
    await this.#persister.persist(instanceId);
    return true;
  }

  /**
   * Stops starting episodes and commands, lets the writes under way finish,
   * then disarms every timer. Nothing in memory changes before those writes
   * are done, so they save what the instances were.
   */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([this.#persister.settled(), this.#entities.close()]);
    for (const instance of this.#instances.values()) instance.retire();
  }

  // ---- episodes -------------------------------------------------------------

  #scheduleEpisode(instance: Instance): void {
    if (this.#closed || instance.episodeRunning || instance.inbox.length === 0) return;
    if (instance.record.runtimeStatus === 'Suspended') return;
    instance.episodeRunning = true;
    void this.#options.idle.track(async () => {
      // Deferred a turn so completions that arrive together share one episode.
      await new Promise((resolve) => setImmediate(resolve));
      try {
        await this.#episode(instance);
      } catch (error) {
        this.#options.log(`Error: episode of instance '${instance.id}' crashed: ${String(error)}`);
      } finally {
        instance.episodeRunning = false;
        this.#scheduleEpisode(instance);
      }
    });
  }

  async #episode(instance: Instance): Promise<void> {
    const { clock, catalog, invoker } = this.#options;
    const { record } = instance;
    if (this.#closed) return;
    if (isTerminal(record.runtimeStatus)) {
      instance.inbox = [];
      return;
    }
    const orchestrator = catalog.orchestrators.get(record.name.toLowerCase());
    if (orchestrator === undefined) throw new Error(`orchestrator '${record.name}' is not registered`);
    const startedAt = instance.nextEpisodeAt(clock.now());
    const past = [...record.history];
    // Everything recorded before this episode is replayed now.
    for (const event of past) event.IsPlayed = true;
    const started = historyEvent(EventType.OrchestratorStarted, startedAt);
    const events = instance.beginEpisode();
    const executionId = record.executionId;
    const result = await runEpisode(invoker, orchestrator, {
      history: [...past, started, ...events],
      input: fromJsonText(record.input) ?? undefined,
      instanceId: instance.id,
      isReplaying: past.length > 0,
      parentInstanceId: record.parent?.instanceId,
    });
    // Replaced, purged or terminated meanwhile: this episode's decisions no longer count. When the host is
    // closing, its events stay pending as they are, for the writes that may be under way.
    if (!this.#isCurrent(instance, executionId) || isTerminal(record.runtimeStatus)) {
      if (this.#isOpen()) instance.endEpisode();
      return;
    }
    // Appended, never inserted: a suspend or resume recorded while the episode ran stays before it (the SDK ignores
    // those events), so the history only grows, which is what its persistence relies on.
    record.history.push(started, ...events);
    instance.endEpisode();
    const outcome = this.#decide(instance, result, startedAt);
    // The new history is saved before any of its work starts. A failed write is reported, not fatal: the
    // state stays in memory and the next write saves it.
    await this.#persister.persist(instance.id).catch((error: unknown) => {
      this.#options.log(`Error: saving instance '${instance.id}' failed: ${String(error)}`);
    });
    if (!this.#isCurrent(instance, record.executionId)) return;
    this.#work.start(instance, outcome.work);
    if (outcome.ended) this.#notifyParent(instance, outcome.failureDetails);
  }

  /** Applies an episode's result to the instance: its history, status and output, and the work to start. */
  #decide(instance: Instance, result: EpisodeResult, at: number): EpisodeOutcome {
    const { record } = instance;
    const { state, executor } = result;
    const customStatus = state?.customStatus;
    if (customStatus !== undefined) {
      if (JSON.stringify(customStatus).length > MAX_CUSTOM_STATUS_CHARS) {
        return this.#fail(instance, at, 'The custom status is larger than 16 KB.', '');
      }
      record.customStatus = customStatus;
    }
    if (result.error !== undefined) {
      return this.#fail(instance, at, orchestratorFailureMessage(record.name, result.error), result.errorStack);
    }
    if (state === undefined || executor === undefined) {
      return this.#fail(instance, at, `The function '${record.name}' did not return an orchestrator state.`, '');
    }
    if (executor.willContinueAsNew) {
      // Signals sent before continuing as new still go, as DurableTask.Core sends an episode's messages with it.
      const signals = this.#work.record(instance, withEntityMessagesInOrder([], state.actions, record.history), at);
      this.#continueAsNew(instance, state.actions, at);
      return { work: 'unsupported' in signals ? [] : signals, ended: false, failureDetails: '' };
    }
    instance.disarmCancelledTimers(executor);
    // Also when the orchestrator returned: what its last episode scheduled is still sent, as DurableTask.Core does.
    const planned = plannedWork(executor, (id) => instance.isScheduled(id));
    const work = this.#work.record(instance, withEntityMessagesInOrder(planned, state.actions, record.history), at);
    if ('unsupported' in work) {
      return this.#fail(instance, at, `The local host does not support ${work.unsupported} (orchestrator '${record.name}').`, '');
    }
    record.history.push(historyEvent(EventType.OrchestratorCompleted, at));
    // A finished orchestrator with timers still pending stays Running until they fire, as in production.
    const timersPending = instance.hasArmedTimers || work.some((item) => item.kind === 'timer');
    if (state.isDone && !timersPending) {
      record.history.push(
        historyEvent(EventType.ExecutionCompleted, at, { OrchestrationStatus: 'Completed', Result: toJsonText(state.output) }),
      );
      this.#end(instance, 'Completed', toJsonText(state.output), at);
      return { work, ended: true, failureDetails: '' };
    }
    // A suspend that arrived while the episode ran still holds.
    this.#setStatus(record, record.runtimeStatus === 'Suspended' ? 'Suspended' : 'Running', at);
    return { work, ended: false, failureDetails: '' };
  }

  #fail(instance: Instance, at: number, message: string, details: string): EpisodeOutcome {
    const { history } = instance.record;
    history.push(historyEvent(EventType.OrchestratorCompleted, at));
    history.push(historyEvent(EventType.ExecutionCompleted, at, { OrchestrationStatus: 'Failed', Result: toJsonText(message) }));
    this.#end(instance, 'Failed', toJsonText(message), at);
    return { work: [], ended: true, failureDetails: details };
  }

  #continueAsNew(instance: Instance, actions: SdkAction[][], at: number): void {
    const action = flattenActions(actions.flat()).find((candidate) => candidate.actionType === ActionType.ContinueAsNew);
    instance.continueAsNew(toJsonText(decodeActionInput(action?.input)), at);
    this.#setStatus(instance.record, 'ContinuedAsNew', at);
  }

  // ---- sub-orchestrations, results and state ---------------------------------

  /**
   * Starts a sub-orchestration. One already linked to this very task was
   * started before a restart: it reports back when it ends, or now if it has.
   */
  async #startChild(name: string, instanceId: string, inputJson: string | undefined, parent: ParentLink): Promise<void> {
    const existing = this.#instances.get(instanceId);
    const link = existing?.record.parent;
    if (
      existing !== undefined &&
      link?.instanceId === parent.instanceId &&
      link.executionId === parent.executionId &&
      link.taskScheduledId === parent.taskScheduledId
    ) {
      if (isTerminal(existing.record.runtimeStatus)) this.#notifyParent(existing, '');
      return;
    }
    await this.startNew(name, instanceId, inputJson, parent);
  }

  /** Adds an event to a live instance's next episode; results for an old execution are dropped. */
  #deliver(instanceId: string, executionId: string, event: () => HistoryEvent): void {
    const instance = this.#instances.get(instanceId);
    if (instance === undefined) return;
    const { record } = instance;
    if (record.executionId !== executionId || isTerminal(record.runtimeStatus)) return;
    instance.inbox.push(event());
    this.#scheduleEpisode(instance);
  }

  #notifyParent(instance: Instance, details: string): void {
    const parent = instance.record.parent;
    if (parent === undefined) return;
    this.#deliver(parent.instanceId, parent.executionId, () => instance.endedEvent(parent, this.#options.clock.now(), details));
  }

  #end(instance: Instance, status: RuntimeStatus, output: string | undefined, at: number): void {
    instance.record.output = output;
    this.#setStatus(instance.record, status, at);
    instance.retire();
  }

  #setStatus(record: InstanceRecord, status: RuntimeStatus, at: number): void {
    record.runtimeStatus = status;
    record.lastUpdatedTime = Math.max(at, record.lastUpdatedTime);
  }

  /** Still the live instance of that execution, in an open engine. */
  #isCurrent(instance: Instance, executionId: string): boolean {
    return this.#isOpen() && this.#instances.get(instance.id) === instance && instance.record.executionId === executionId;
  }

  /** A method, not the field: the engine may close while an episode awaits. */
  #isOpen(): boolean {
    return !this.#closed;
  }

  #liveInstance(instanceId: string): Instance {
    this.#assertOpen();
    const instance = this.#instances.get(instanceId);
    if (instance === undefined) throw new InstanceError('notFound', `No instance with ID '${instanceId}' found.`);
    const status = instance.record.runtimeStatus;
    if (isTerminal(status)) {
      throw new InstanceError('finished', `Instance '${instanceId}' is ${status}: it no longer accepts operations.`);
    }
    return instance;
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('The host is closing.');
  }
}
