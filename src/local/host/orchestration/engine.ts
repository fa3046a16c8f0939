import { randomUUID } from 'node:crypto';
import type { HostClock } from '../clock';
import type { FunctionCatalog } from '../functions';
import type { IdleTracker } from '../idle-tracker';
import type { Invoker } from '../invoke';
import { isTerminal, type InstanceRecord, type InstanceStore, type ParentLink, type RuntimeStatus } from '../store';
import { ActivityRunner } from './activity-runner';
import { runEpisode, type EpisodeResult } from './episode';
import { orchestratorFailureMessage } from './failure';
import { EventType, fromJsonText, historyEvent, toJsonText, type HistoryEvent } from './history';
import { Instance } from './instance';
import { InstanceError } from './instance-error';
import { plannedWork } from './planner';
import { ActionType, decodeActionInput, flattenActions, type SdkAction } from './sdk-state';
import { WorkDispatcher } from './work-dispatcher';

/** Custom status must stay under 16 KB, as in production. */
const MAX_CUSTOM_STATUS_CHARS = 16 * 1024;

export interface EngineOptions {
  store: InstanceStore;
  clock: HostClock;
  idle: IdleTracker;
  invoker: Invoker;
  catalog: FunctionCatalog;
  log: (line: string) => void;
  maxConcurrentActivityFunctions: number;
}

/**
 * Runs orchestration instances: takes the instance commands of the durable
 * API, runs one episode per instance at a time built from its history, and
 * hands what the SDK asked for to the work dispatcher, whose results come
 * back as history events.
 */
export class OrchestrationEngine {
  readonly #options: EngineOptions;
  readonly #instances = new Map<string, Instance>();
  readonly #work: WorkDispatcher;
  #closed = false;

  constructor(options: EngineOptions) {
    this.#options = options;
    this.#work = new WorkDispatcher({
      clock: options.clock,
      idle: options.idle,
      activities: new ActivityRunner(options.catalog, options.invoker, options.maxConcurrentActivityFunctions),
      log: options.log,
      deliver: (instanceId, executionId, event) => {
        this.#deliver(instanceId, executionId, event);
      },
      startChild: (name, instanceId, inputJson, parent) => {
        this.startNew(name, instanceId, inputJson, parent);
      },
    });
  }

  get store(): InstanceStore {
    return this.#options.store;
  }

  // ---- instance commands ----------------------------------------------------

  /** Starts an instance (replacing a finished one with the same id). */
  startNew(name: string, instanceId: string | undefined, inputJson: string | undefined, parent?: ParentLink): InstanceRecord {
    const { store, clock, catalog } = this.#options;
    if (!catalog.orchestrators.has(name.toLowerCase())) {
      throw new InstanceError('unknownOrchestrator', `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.`);
    }
    const id = instanceId ?? randomUUID().replaceAll('-', '');
    const existing = store.get(id);
    if (existing !== undefined && !isTerminal(existing.runtimeStatus)) {
      throw new InstanceError('alreadyRunning', `An orchestration instance with ID '${id}' is already ${existing.runtimeStatus}.`);
    }
    this.#instances.get(id)?.retire();
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
    store.put(record);
    const instance = new Instance(record);
    this.#instances.set(id, instance);
    instance.inbox.push(instance.executionStarted(now));
    this.#scheduleEpisode(instance);
    return record;
  }

  raiseEvent(instanceId: string, eventName: string, inputJson: string | undefined): void {
    const instance = this.#liveInstance(instanceId);
    instance.inbox.push(
      historyEvent(EventType.EventRaised, this.#options.clock.now(), { Name: eventName, Input: inputJson ?? 'null' }),
    );
    this.#scheduleEpisode(instance);
  }

  terminate(instanceId: string, reason: string): void {
    const instance = this.#liveInstance(instanceId);
    const now = this.#options.clock.now();
    instance.record.history.push(historyEvent(EventType.ExecutionTerminated, now, { Input: toJsonText(reason) }));
    this.#finish(instance, 'Terminated', toJsonText(reason), now);
  }

  suspend(instanceId: string, reason: string): void {
    const { record } = this.#liveInstance(instanceId);
    if (record.runtimeStatus === 'Suspended') return;
    const now = this.#options.clock.now();
    record.history.push(historyEvent(EventType.ExecutionSuspended, now, { Reason: reason }));
    this.#setStatus(record, 'Suspended', now);
  }

  resume(instanceId: string, reason: string): void {
    const instance = this.#liveInstance(instanceId);
    const { record } = instance;
    if (record.runtimeStatus !== 'Suspended') return;
    const now = this.#options.clock.now();
    record.history.push(historyEvent(EventType.ExecutionResumed, now, { Reason: reason }));
    this.#setStatus(record, 'Running', now);
    this.#scheduleEpisode(instance);
  }

  /** Deletes a finished instance; running ones are kept (false). */
  purge(instanceId: string): boolean {
    const instance = this.#instances.get(instanceId);
    if (instance === undefined || !isTerminal(instance.record.runtimeStatus)) return false;
    instance.retire();
    this.#instances.delete(instanceId);
    return this.#options.store.delete(instanceId);
  }

  /** Stops running episodes and disarms every timer. */
  close(): void {
    this.#closed = true;
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
    if (isTerminal(record.runtimeStatus)) {
      instance.inbox = [];
      return;
    }
    const orchestrator = catalog.orchestrators.get(record.name.toLowerCase());
    if (orchestrator === undefined) throw new Error(`orchestrator '${record.name}' is not registered`);
    const startedAt = instance.nextEpisodeAt(clock.now());
    const past = record.history;
    // Everything recorded before this episode is replayed now.
    for (const event of past) event.IsPlayed = true;
    const history = [...past, historyEvent(EventType.OrchestratorStarted, startedAt), ...instance.inbox.splice(0)];
    const executionId = record.executionId;
    const recordedBefore = record.history.length;
    const result = await runEpisode(invoker, orchestrator, {
      history,
      input: fromJsonText(record.input) ?? undefined,
      instanceId: instance.id,
      isReplaying: past.length > 0,
      parentInstanceId: record.parent?.instanceId,
    });
    // Replaced, purged, terminated or continued-as-new meanwhile: this episode's decisions no longer count.
    if (this.#instances.get(instance.id) !== instance || record.executionId !== executionId || isTerminal(record.runtimeStatus)) {
      return;
    }
    // Keep what management calls (suspend, resume) recorded while the episode ran.
    record.history = [...history, ...record.history.slice(recordedBefore)];
    this.#apply(instance, result, startedAt);
  }

  #apply(instance: Instance, result: EpisodeResult, at: number): void {
    const { record } = instance;
    const { state, executor } = result;
    const customStatus = state?.customStatus;
    if (customStatus !== undefined) {
      if (JSON.stringify(customStatus).length > MAX_CUSTOM_STATUS_CHARS) {
        this.#fail(instance, at, 'The custom status is larger than 16 KB.', '');
        return;
      }
      record.customStatus = customStatus;
    }
    if (result.error !== undefined) {
      this.#fail(instance, at, orchestratorFailureMessage(record.name, result.error), result.errorStack);
      return;
    }
    if (state === undefined || executor === undefined) {
      this.#fail(instance, at, `The function '${record.name}' did not return an orchestrator state.`, '');
      return;
    }
    if (executor.willContinueAsNew) {
      this.#continueAsNew(instance, state.actions, at);
      return;
    }
    if (flattenActions(state.actions.flat()).some((action) => action.actionType === ActionType.SignalEntity)) {
      this.#fail(instance, at, `The local host does not support durable entities (orchestrator '${record.name}' signals one).`, '');
      return;
    }
    instance.disarmCancelledTimers(executor);
    // Also when the orchestrator returned: what its last episode scheduled is still sent, as DurableTask.Core does.
    const unsupported = this.#work.dispatch(instance, plannedWork(executor, (id) => instance.isScheduled(id)), at);
    if (unsupported !== undefined) {
      this.#fail(instance, at, `The local host does not support ${unsupported} (orchestrator '${record.name}').`, '');
      return;
    }
    record.history.push(historyEvent(EventType.OrchestratorCompleted, at));
    // A finished orchestrator with timers still pending stays Running until they fire, as in production.
    if (state.isDone && !instance.hasArmedTimers) {
      record.history.push(
        historyEvent(EventType.ExecutionCompleted, at, { OrchestrationStatus: 'Completed', Result: toJsonText(state.output) }),
      );
      this.#finish(instance, 'Completed', toJsonText(state.output), at);
      return;
    }
    this.#setStatus(record, 'Running', at);
  }

  #fail(instance: Instance, at: number, message: string, details: string): void {
    const { history } = instance.record;
    history.push(historyEvent(EventType.OrchestratorCompleted, at));
    history.push(historyEvent(EventType.ExecutionCompleted, at, { OrchestrationStatus: 'Failed', Result: toJsonText(message) }));
    this.#finish(instance, 'Failed', toJsonText(message), at, details);
  }

  #continueAsNew(instance: Instance, actions: SdkAction[][], at: number): void {
    const action = flattenActions(actions.flat()).find((candidate) => candidate.actionType === ActionType.ContinueAsNew);
    instance.continueAsNew(toJsonText(decodeActionInput(action?.input)), at);
    this.#setStatus(instance.record, 'ContinuedAsNew', at);
    this.#scheduleEpisode(instance);
  }

  // ---- results and state ----------------------------------------------------

  /** Adds an event to a live instance's next episode; results for an old execution are dropped. */
  #deliver(instanceId: string, executionId: string, event: () => HistoryEvent): void {
    const instance = this.#instances.get(instanceId);
    if (instance === undefined) return;
    const { record } = instance;
    if (record.executionId !== executionId || isTerminal(record.runtimeStatus)) return;
    instance.inbox.push(event());
    this.#scheduleEpisode(instance);
  }

  #finish(instance: Instance, status: RuntimeStatus, output: string | undefined, at: number, details = ''): void {
    const { record } = instance;
    record.output = output;
    this.#setStatus(record, status, at);
    instance.retire();
    const parent = record.parent;
    if (parent === undefined) return;
    this.#deliver(parent.instanceId, parent.executionId, () => instance.endedEvent(parent, this.#options.clock.now(), details));
  }

  #setStatus(record: InstanceRecord, status: RuntimeStatus, at: number): void {
    record.runtimeStatus = status;
    record.lastUpdatedTime = Math.max(at, record.lastUpdatedTime);
    this.#options.store.put(record);
  }

  #liveInstance(instanceId: string): Instance {
    const instance = this.#instances.get(instanceId);
    if (instance === undefined) throw new InstanceError('notFound', `No instance with ID '${instanceId}' found.`);
    const status = instance.record.runtimeStatus;
    if (isTerminal(status)) {
      throw new InstanceError('finished', `Instance '${instanceId}' is ${status}: it no longer accepts operations.`);
    }
    return instance;
  }
}
