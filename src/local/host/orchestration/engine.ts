import { randomUUID } from 'node:crypto';
import type { HostClock } from '../clock';
import { Semaphore } from '../../concurrency';
import type { RpcTypedData } from '../core-types';
import type { FunctionCatalog } from '../functions';
import type { Invoker } from '../invoke';
import { isTerminal, type InstanceRecord, type InstanceStore, type ParentLink, type RuntimeStatus } from '../store';
import { runEpisode, type EpisodeResult } from './episode';
import { activityFailure, orchestratorFailureMessage } from './failure';
import { EventType, fromJsonText, historyEvent, toJsonText, type HistoryEvent } from './history';
import { plannedWork, type WorkItem } from './planner';
import { retryDelayMs, withinRetryTimeout } from './retry';
import { ActionType, flattenActions, isCancelledTimer, type SdkAction, type SdkExecutor } from './sdk-state';

/** An error with the HTTP status the durable HTTP API answers with. */
export class HostError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Custom status must stay under 16 KB, as in production. */
const MAX_CUSTOM_STATUS_CHARS = 16 * 1024;

export interface EngineOptions {
  store: InstanceStore;
  clock: HostClock;
  invoker: Invoker;
  catalog: FunctionCatalog;
  log: (line: string) => void;
  maxConcurrentActivityFunctions: number;
}

/** What the engine keeps per instance beside its record (not persisted). */
interface InstanceRuntime {
  /** Events waiting for the next episode. */
  inbox: HistoryEvent[];
  episodeRunning: boolean;
  /** SDK task ids already acted on in this execution. */
  scheduled: Set<number>;
  /** When each task id was scheduled (a retry's timeout counts from its first attempt). */
  scheduledAt: Map<number, number>;
  /** Armed durable timers by TimerId, with their cancel functions. */
  timers: Map<number, () => void>;
  lastEpisodeAt: number;
}

/**
 * Runs orchestration instances: one episode per instance at a time, built
 * from the instance's history; turns the SDK's open tasks into activities,
 * sub-orchestrations and timers; reports results back as history events.
 */
export class OrchestrationEngine {
  readonly #options: EngineOptions;
  readonly #runtimes = new Map<string, InstanceRuntime>();
  readonly #activitySlots: Semaphore;
  #inFlight = 0;
  #idleCheckQueued = false;
  #idleWaiters: (() => void)[] = [];
  #closed = false;

  constructor(options: EngineOptions) {
    this.#options = options;
    this.#activitySlots = new Semaphore(options.maxConcurrentActivityFunctions);
  }

  get store(): InstanceStore {
    return this.#options.store;
  }

  /** Starts an instance (replacing a finished one with the same id). */
  startNew(name: string, instanceId: string | undefined, inputJson: string | undefined, parent?: ParentLink): InstanceRecord {
    const { store, clock, catalog } = this.#options;
    if (!catalog.orchestrators.has(name.toLowerCase())) {
      throw new HostError(400, `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.`);
    }
    const id = instanceId ?? randomUUID().replaceAll('-', '');
    const existing = store.get(id);
    if (existing !== undefined && !isTerminal(existing.runtimeStatus)) {
      throw new HostError(409, `An orchestration instance with ID '${id}' is already ${existing.runtimeStatus}.`);
    }
    this.#dropRuntime(id);
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
    const runtime = this.#runtime(id);
    runtime.inbox.push(this.#executionStarted(record, now));
    this.#scheduleEpisode(id, runtime);
    return record;
  }

  raiseEvent(instanceId: string, eventName: string, inputJson: string | undefined): void {
    const record = this.#liveRecord(instanceId);
    const runtime = this.#runtime(instanceId);
    runtime.inbox.push(
      historyEvent(EventType.EventRaised, this.#options.clock.now(), { Name: eventName, Input: inputJson ?? 'null' }),
    );
    this.#scheduleEpisode(record.instanceId, runtime);
  }

  terminate(instanceId: string, reason: string): void {
    const record = this.#liveRecord(instanceId);
    const now = this.#options.clock.now();
    record.history.push(historyEvent(EventType.ExecutionTerminated, now, { Input: toJsonText(reason) }));
    this.#finish(record, 'Terminated', toJsonText(reason), now);
  }

  suspend(instanceId: string, reason: string): void {
    const record = this.#liveRecord(instanceId);
    if (record.runtimeStatus === 'Suspended') return;
    const now = this.#options.clock.now();
    record.history.push(historyEvent(EventType.ExecutionSuspended, now, { Reason: reason }));
    this.#setStatus(record, 'Suspended', now);
  }

  resume(instanceId: string, reason: string): void {
    const record = this.#liveRecord(instanceId);
    if (record.runtimeStatus !== 'Suspended') return;
    const now = this.#options.clock.now();
    record.history.push(historyEvent(EventType.ExecutionResumed, now, { Reason: reason }));
    this.#setStatus(record, 'Running', now);
    this.#scheduleEpisode(instanceId, this.#runtime(instanceId));
  }

  /** Deletes a finished instance; running ones are kept (false). */
  purge(instanceId: string): boolean {
    const record = this.#options.store.get(instanceId);
    if (record === undefined || !isTerminal(record.runtimeStatus)) return false;
    this.#dropRuntime(instanceId);
    return this.#options.store.delete(instanceId);
  }

  /** Counts `work` as in flight, so time does not skip ahead while it runs. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.#inFlight++;
    try {
      return await work();
    } finally {
      this.#workDone();
    }
  }

  /** Resolves once nothing runs and no timer is due (with time skipping: no timer is left). */
  waitForIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.#idleWaiters.push(resolve);
      this.#queueIdleCheck();
    });
  }

  close(): void {
    this.#closed = true;
    for (const id of [...this.#runtimes.keys()]) this.#dropRuntime(id);
    this.#options.clock.dispose();
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  // ---- episodes -------------------------------------------------------------

  #scheduleEpisode(instanceId: string, runtime: InstanceRuntime): void {
    if (this.#closed || runtime.episodeRunning || runtime.inbox.length === 0) return;
    const record = this.#options.store.get(instanceId);
    if (record === undefined || record.runtimeStatus === 'Suspended') return;
    runtime.episodeRunning = true;
    this.#inFlight++;
    // Deferred a turn so completions that arrive together share one episode.
    setImmediate(() => {
      this.#episode(instanceId, runtime)
        .catch((error: unknown) => {
          this.#options.log(`Error: episode of instance '${instanceId}' crashed: ${String(error)}`);
        })
        .finally(() => {
          runtime.episodeRunning = false;
          this.#scheduleEpisode(instanceId, runtime);
          this.#workDone();
        });
    });
  }

  async #episode(instanceId: string, runtime: InstanceRuntime): Promise<void> {
    const { store, clock, catalog, invoker } = this.#options;
    const record = store.get(instanceId);
    if (record === undefined || isTerminal(record.runtimeStatus)) {
      runtime.inbox = [];
      return;
    }
    const orchestrator = catalog.orchestrators.get(record.name.toLowerCase());
    if (orchestrator === undefined) throw new Error(`orchestrator '${record.name}' is not registered`);
    // OrchestratorStarted timestamps must strictly increase: they drive currentUtcDateTime.
    const startedAt = Math.max(clock.now(), runtime.lastEpisodeAt + 1);
    runtime.lastEpisodeAt = startedAt;
    const past = record.history;
    // Everything recorded before this episode is replayed now.
    for (const event of past) event.IsPlayed = true;
    const history = [...past, historyEvent(EventType.OrchestratorStarted, startedAt), ...runtime.inbox.splice(0)];
    const executionId = record.executionId;
    const recordedBefore = record.history.length;
    const result = await runEpisode(invoker, orchestrator, {
      history,
      input: fromJsonText(record.input) ?? undefined,
      instanceId,
      isReplaying: past.length > 0,
      parentInstanceId: record.parent?.instanceId,
    });
    // Terminated, purged or continued-as-new meanwhile: this episode's decisions no longer count.
    if (store.get(instanceId) !== record || record.executionId !== executionId || isTerminal(record.runtimeStatus)) return;
    // Keep what management calls (suspend, resume) recorded while the episode ran.
    record.history = [...history, ...record.history.slice(recordedBefore)];
    this.#apply(record, runtime, result, startedAt);
  }

  #apply(record: InstanceRecord, runtime: InstanceRuntime, result: EpisodeResult, at: number): void {
    const { state, executor } = result;
    const customStatus = state?.customStatus;
    if (customStatus !== undefined) {
      if (JSON.stringify(customStatus).length > MAX_CUSTOM_STATUS_CHARS) {
        this.#fail(record, at, 'The custom status is larger than 16 KB.', '');
        return;
      }
      record.customStatus = customStatus;
    }
    if (result.error !== undefined) {
      this.#fail(record, at, orchestratorFailureMessage(record.name, result.error), result.errorStack);
      return;
    }
    if (state === undefined || executor === undefined) {
      this.#fail(record, at, `The function '${record.name}' did not return an orchestrator state.`, '');
      return;
    }
    if (executor.willContinueAsNew) {
      this.#continueAsNew(record, runtime, state.actions, at);
      return;
    }
    if (flattenActions(state.actions.flat()).some((action) => action.actionType === ActionType.SignalEntity)) {
      this.#fail(record, at, `The local host does not support durable entities (orchestrator '${record.name}' signals one).`, '');
      return;
    }
    this.#cancelTimers(runtime, executor);
    // Also when the orchestrator returned: what its last episode scheduled is still sent, as DurableTask.Core does.
    const unsupported = this.#startWork(record, runtime, plannedWork(executor, runtime.scheduled), at);
    if (unsupported !== undefined) {
      this.#fail(record, at, `The local host does not support ${unsupported} (orchestrator '${record.name}').`, '');
      return;
    }
    record.history.push(historyEvent(EventType.OrchestratorCompleted, at));
    // A finished orchestrator with timers still pending stays Running until they fire, as in production.
    if (state.isDone && runtime.timers.size === 0) {
      record.history.push(
        historyEvent(EventType.ExecutionCompleted, at, { OrchestrationStatus: 'Completed', Result: toJsonText(state.output) }),
      );
      this.#finish(record, 'Completed', toJsonText(state.output), at);
      return;
    }
    this.#setStatus(record, 'Running', at);
  }

  #fail(record: InstanceRecord, at: number, message: string, details: string): void {
    record.history.push(historyEvent(EventType.OrchestratorCompleted, at));
    record.history.push(
      historyEvent(EventType.ExecutionCompleted, at, { OrchestrationStatus: 'Failed', Result: toJsonText(message) }),
    );
    this.#finish(record, 'Failed', toJsonText(message), at, details);
  }

  #continueAsNew(
    record: InstanceRecord,
    runtime: InstanceRuntime,
    actions: SdkAction[][],
    at: number,
  ): void {
    const action = flattenActions(actions.flat()).find((candidate) => candidate.actionType === ActionType.ContinueAsNew);
    const input = decodeActionInput(action?.input);
    this.#cancelAllTimers(runtime);
    // Events raised while the last episode ran belong to the new execution; old completions do not.
    const carried = runtime.inbox.filter((event) => event.EventType === EventType.EventRaised);
    runtime.scheduled = new Set();
    runtime.scheduledAt = new Map();
    record.executionId = randomUUID();
    record.input = toJsonText(input);
    record.output = undefined;
    record.history = [];
    this.#setStatus(record, 'ContinuedAsNew', at);
    runtime.inbox = [this.#executionStarted(record, at), ...carried];
    this.#scheduleEpisode(record.instanceId, runtime);
  }

  #executionStarted(record: InstanceRecord, at: number): HistoryEvent {
    return historyEvent(EventType.ExecutionStarted, at, {
      Name: record.name,
      Input: record.input,
      OrchestrationInstance: { InstanceId: record.instanceId, ExecutionId: record.executionId },
      ...(record.parent === undefined ? {} : { ParentInstance: { InstanceId: record.parent.instanceId } }),
    });
  }

  // ---- work -----------------------------------------------------------------

  /** Starts what the SDK asked for; returns a description of the first unsupported request. */
  #startWork(record: InstanceRecord, runtime: InstanceRuntime, items: WorkItem[], at: number): string | undefined {
    for (const item of items) {
      if (item.kind === 'unsupported') return item.what;
      runtime.scheduled.add(item.id);
      runtime.scheduledAt.set(item.id, at);
      switch (item.kind) {
        case 'activity': {
          const input = decodeActionInput(item.input);
          record.history.push(
            historyEvent(EventType.TaskScheduled, at, { Name: item.name, Input: toJsonText(input) }, item.id),
          );
          this.#runActivity(record, item.id, item.name, item.input);
          break;
        }
        case 'subOrchestration':
          this.#startSubOrchestration(record, item, at);
          break;
        case 'timer':
          this.#createTimer(record, runtime, item.id, item.fireAt, at, !item.cancelled);
          break;
        case 'retryTimer': {
          const firstAttemptAt = runtime.scheduledAt.get(item.firstAttemptId) ?? at;
          if (!withinRetryTimeout(item.options, firstAttemptAt, at)) {
            // Production leaves a JS orchestration waiting here (an open SDK issue); so does the host.
            this.#options.log(
              `Warning: instance '${record.instanceId}': retry timeout passed; the orchestration waits forever, as in production.`,
            );
            break;
          }
          this.#createTimer(record, runtime, item.id, at + retryDelayMs(item.options, item.attemptIndex), at);
          break;
        }
      }
    }
    return undefined;
  }

  #createTimer(record: InstanceRecord, runtime: InstanceRuntime, id: number, fireAt: number, at: number, arm = true): void {
    const fireAtText = new Date(fireAt).toISOString();
    record.history.push(historyEvent(EventType.TimerCreated, at, { FireAt: fireAtText }, id));
    if (!arm) return;
    const { instanceId, executionId } = record;
    const cancel = this.#options.clock.schedule(fireAt, () => {
      runtime.timers.delete(id);
      this.#deliver(instanceId, executionId, () =>
        historyEvent(EventType.TimerFired, this.#options.clock.now(), { TimerId: id, FireAt: fireAtText }),
      );
    });
    runtime.timers.set(id, cancel);
  }

  /** Disarms timers whose task the orchestrator cancelled (timer.cancel()). */
  #cancelTimers(runtime: InstanceRuntime, executor: SdkExecutor): void {
    for (const [id, cancel] of runtime.timers) {
      const task = executor.openTasks[String(id)];
      if (task !== undefined && isCancelledTimer(task)) {
        cancel();
        runtime.timers.delete(id);
      }
    }
  }

  #cancelAllTimers(runtime: InstanceRuntime): void {
    for (const cancel of runtime.timers.values()) cancel();
    runtime.timers.clear();
  }

  #runActivity(record: InstanceRecord, taskId: number, name: string, rawInput: unknown): void {
    const { catalog, invoker } = this.#options;
    const { instanceId, executionId } = record;
    const registration = catalog.activities.get(name.toLowerCase());
    this.#inFlight++;
    void this.#activitySlots
      .run(async (): Promise<Record<string, unknown>> => {
        if (registration === undefined) {
          return activityFailure(name, new Error(`The function '${name}' doesn't exist, is disabled, or is not an activity function.`));
        }
        const outcome = await invoker.invoke(registration, activityTriggerData(rawInput));
        if (!outcome.ok) return activityFailure(name, outcome.error);
        return { Result: typedDataToJsonText(outcome.response.returnValue) };
      })
      .catch((error: unknown) => activityFailure(name, error))
      .then((fields) => {
        const type = 'Result' in fields ? EventType.TaskCompleted : EventType.TaskFailed;
        this.#deliver(instanceId, executionId, () =>
          historyEvent(type, this.#options.clock.now(), { TaskScheduledId: taskId, ...fields }),
        );
      })
      .finally(() => {
        this.#workDone();
      });
  }

  #startSubOrchestration(record: InstanceRecord, item: Extract<WorkItem, { kind: 'subOrchestration' }>, at: number): void {
    const childId = item.instanceId ?? `${record.instanceId}:${item.id}`;
    const inputJson = toJsonText(item.input);
    record.history.push(
      historyEvent(
        EventType.SubOrchestrationInstanceCreated,
        at,
        { Name: item.name, InstanceId: childId, Input: inputJson },
        item.id,
      ),
    );
    const parent = { instanceId: record.instanceId, executionId: record.executionId, taskScheduledId: item.id };
    try {
      this.startNew(item.name, childId, inputJson, parent);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      queueMicrotask(() => {
        this.#deliver(record.instanceId, record.executionId, () =>
          historyEvent(EventType.SubOrchestrationInstanceFailed, this.#options.clock.now(), {
            TaskScheduledId: item.id,
            Reason: message,
            Details: '',
          }),
        );
      });
    }
  }

  /** Adds an event to a live instance's next episode; results for an old execution are dropped. */
  #deliver(instanceId: string, executionId: string, event: () => HistoryEvent): void {
    const record = this.#options.store.get(instanceId);
    if (record === undefined || record.executionId !== executionId || isTerminal(record.runtimeStatus)) return;
    const runtime = this.#runtime(instanceId);
    runtime.inbox.push(event());
    this.#scheduleEpisode(instanceId, runtime);
  }

  // ---- state ----------------------------------------------------------------

  #finish(record: InstanceRecord, status: RuntimeStatus, output: string | undefined, at: number, details = ''): void {
    record.output = output;
    this.#setStatus(record, status, at);
    const runtime = this.#runtimes.get(record.instanceId);
    if (runtime !== undefined) {
      this.#cancelAllTimers(runtime);
      runtime.inbox = [];
    }
    const parent = record.parent;
    // DurableTask.Core reports every end but success (termination included) to the parent as a failure.
    if (parent === undefined) return;
    const event =
      status === 'Completed'
        ? () =>
            historyEvent(EventType.SubOrchestrationInstanceCompleted, this.#options.clock.now(), {
              TaskScheduledId: parent.taskScheduledId,
              Result: output ?? 'null',
            })
        : () =>
            historyEvent(EventType.SubOrchestrationInstanceFailed, this.#options.clock.now(), {
              TaskScheduledId: parent.taskScheduledId,
              Reason: String(fromJsonText(output)),
              Details: details,
            });
    this.#deliver(parent.instanceId, parent.executionId, event);
  }

  #setStatus(record: InstanceRecord, status: RuntimeStatus, at: number): void {
    record.runtimeStatus = status;
    record.lastUpdatedTime = Math.max(at, record.lastUpdatedTime);
    this.#options.store.put(record);
  }

  #liveRecord(instanceId: string): InstanceRecord {
    const record = this.#options.store.get(instanceId);
    if (record === undefined) throw new HostError(404, `No instance with ID '${instanceId}' found.`);
    if (isTerminal(record.runtimeStatus)) {
      throw new HostError(410, `Instance '${instanceId}' is ${record.runtimeStatus}: it no longer accepts operations.`);
    }
    return record;
  }

  #runtime(instanceId: string): InstanceRuntime {
    let runtime = this.#runtimes.get(instanceId);
    if (runtime === undefined) {
      runtime = { inbox: [], episodeRunning: false, scheduled: new Set(), scheduledAt: new Map(), timers: new Map(), lastEpisodeAt: 0 };
      this.#runtimes.set(instanceId, runtime);
    }
    return runtime;
  }

  #dropRuntime(instanceId: string): void {
    const runtime = this.#runtimes.get(instanceId);
    if (runtime === undefined) return;
    this.#cancelAllTimers(runtime);
    runtime.inbox = [];
    this.#runtimes.delete(instanceId);
  }

  // ---- idleness and time skipping ------------------------------------------

  #workDone(): void {
    this.#inFlight--;
    this.#queueIdleCheck();
  }

  #queueIdleCheck(): void {
    if (this.#idleCheckQueued || this.#inFlight > 0) return;
    this.#idleCheckQueued = true;
    // A turn later, so work that the finished work triggers has been counted.
    setImmediate(() => {
      this.#idleCheckQueued = false;
      if (this.#inFlight > 0 || this.#closed) return;
      const { clock } = this.#options;
      if (clock.timeSkipping && clock.skipToNextTimer()) {
        // The fired timers start episodes; check again once they are done.
        setImmediate(() => {
          this.#queueIdleCheck();
        });
        return;
      }
      const next = clock.nextDueTime();
      if (next !== undefined && next <= clock.now()) {
        setImmediate(() => {
          this.#queueIdleCheck();
        });
        return;
      }
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
    });
  }
}

/** The SDK JSON-encodes string inputs of activities and continue-as-new once more; this undoes it. */
function decodeActionInput(input: unknown): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}

/** The activity trigger's data as the extension sends it; the library JSON-parses strings. */
function activityTriggerData(rawInput: unknown): RpcTypedData {
  if (rawInput === undefined) return {};
  if (typeof rawInput === 'string') return { string: rawInput };
  return { json: JSON.stringify(rawInput) };
}

/** A function's return value as the JSON text a history event carries. */
function typedDataToJsonText(data: RpcTypedData | null | undefined): string {
  if (data === null || data === undefined) return 'null';
  if (data.json !== undefined) return data.json;
  if (data.string !== undefined) return JSON.stringify(data.string);
  if (data.int !== undefined) return JSON.stringify(data.int);
  if (data.double !== undefined) return JSON.stringify(data.double);
  if (data.bytes !== undefined) return JSON.stringify(Buffer.from(data.bytes).toString('base64'));
  return 'null';
}
