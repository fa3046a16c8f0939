import { randomUUID } from 'node:crypto';
import type { PersistedInstance } from '../persistence/instance-journal';
import type { InstanceRecord, ParentLink } from '../store';
import { EventType, fromJsonText, historyEvent, type HistoryEvent } from './history';
import { isCancelledTimer, type SdkExecutor } from './sdk-state';

/** History events that schedule work, by the task id they carry as EventId. */
const SCHEDULING_EVENTS: ReadonlySet<EventType> = new Set([
  EventType.TaskScheduled,
  EventType.TimerCreated,
  EventType.SubOrchestrationInstanceCreated,
]);

/**
 * One orchestration instance: its record, and what the engine keeps beside
 * it while the instance lives: the events waiting for the next episode and
 * those the running episode works on, the task ids already acted on, the
 * armed timers and the cancelled ones.
 */
export class Instance {
  readonly record: InstanceRecord;
  /** Events waiting for the next episode. */
  inbox: HistoryEvent[] = [];
  episodeRunning = false;
  /** Events the running episode took from the inbox: pending until its history is recorded. */
  #inFlight: HistoryEvent[] = [];
  /** SDK task ids already acted on in this execution, with when each was scheduled. */
  #scheduledAt = new Map<number, number>();
  /** Armed durable timers by TimerId, with their cancel functions. */
  readonly #timers = new Map<number, () => void>();
  /** Timers of this execution the orchestrator cancelled (or created cancelled): never to be armed. */
  #cancelledTimers = new Set<number>();
  #lastEpisodeAt = 0;
  #retired = false;

  constructor(record: InstanceRecord) {
    this.record = record;
  }

  /**
   * An instance as a restarted host finds it: pending events back in the
   * inbox, the tasks its history scheduled marked as acted on (so an episode
   * does not schedule them twice), episode times still increasing.
   */
  static restore(state: PersistedInstance): Instance {
    const instance = new Instance(state.record);
    instance.inbox = [...state.pending];
    instance.#cancelledTimers = new Set(state.cancelledTimers);
    for (const event of state.record.history) {
      const at = Date.parse(event.Timestamp);
      if (SCHEDULING_EVENTS.has(event.EventType)) instance.markScheduled(event.EventId, at);
      if (event.EventType === EventType.OrchestratorStarted) instance.#lastEpisodeAt = Math.max(instance.#lastEpisodeAt, at);
    }
    return instance;
  }

  /** What survives a restart, copied so later changes do not leak into a write under way. */
  snapshot(): PersistedInstance {
    return {
      record: { ...this.record, history: [...this.record.history] },
      pending: [...this.#inFlight, ...this.inbox],
      cancelledTimers: [...this.#cancelledTimers],
    };
  }

  get id(): string {
    return this.record.instanceId;
  }

  /** The OrchestratorStarted time of the next episode: strictly later than the last, as it drives currentUtcDateTime. */
  nextEpisodeAt(now: number): number {
    this.#lastEpisodeAt = Math.max(now, this.#lastEpisodeAt + 1);
    return this.#lastEpisodeAt;
  }

  /** The ExecutionStarted event of the current execution. */
  executionStarted(at: number): HistoryEvent {
    const { record } = this;
    return historyEvent(EventType.ExecutionStarted, at, {
      Name: record.name,
      Input: record.input,
      OrchestrationInstance: { InstanceId: record.instanceId, ExecutionId: record.executionId },
      ...(record.parent === undefined ? {} : { ParentInstance: { InstanceId: record.parent.instanceId } }),
    });
  }

  /**
   * The event the parent's history receives once this sub-orchestration has
   * ended: DurableTask.Core reports every end but success (termination
   * included) as a failure.
   */
  endedEvent(parent: ParentLink, at: number, details: string): HistoryEvent {
    const { runtimeStatus, output } = this.record;
    if (runtimeStatus === 'Completed') {
      return historyEvent(EventType.SubOrchestrationInstanceCompleted, at, { TaskScheduledId: parent.taskScheduledId, Result: output ?? 'null' });
    }
    return historyEvent(EventType.SubOrchestrationInstanceFailed, at, {
      TaskScheduledId: parent.taskScheduledId,
      Reason: String(fromJsonText(output)),
      Details: details,
    });
  }

  isScheduled(taskId: number): boolean {
    return this.#scheduledAt.has(taskId);
  }

  markScheduled(taskId: number, at: number): void {
    this.#scheduledAt.set(taskId, at);
  }

  /** When a task was scheduled (a retry's timeout counts from its first attempt). */
  scheduledAt(taskId: number): number | undefined {
    return this.#scheduledAt.get(taskId);
  }

  /** Takes the inbox for an episode; its events stay pending until `endEpisode`. */
  beginEpisode(): HistoryEvent[] {
    this.#inFlight = this.inbox.splice(0);
    return [...this.#inFlight];
  }

  /** The episode's events are in the history now, or dropped with the episode. */
  endEpisode(): void {
    this.#inFlight = [];
  }

  get cancelledTimers(): ReadonlySet<number> {
    return this.#cancelledTimers;
  }

  /** A timer created already cancelled: recorded, never armed. */
  timerCancelled(timerId: number): void {
    this.#cancelledTimers.add(timerId);
  }

  /** True once finished or replaced: nothing may be started for it any more. */
  get isRetired(): boolean {
    return this.#retired;
  }

  get hasArmedTimers(): boolean {
    return this.#timers.size > 0;
  }

  timerArmed(timerId: number, cancel: () => void): void {
    this.#timers.set(timerId, cancel);
  }

  timerFired(timerId: number): void {
    this.#timers.delete(timerId);
  }

  /** Disarms timers whose task the orchestrator cancelled (timer.cancel()). */
  disarmCancelledTimers(executor: SdkExecutor): void {
    for (const [id, cancel] of this.#timers) {
      const task = executor.openTasks[String(id)];
      if (task !== undefined && isCancelledTimer(task)) {
        cancel();
        this.#timers.delete(id);
        this.#cancelledTimers.add(id);
      }
    }
  }

  /**
   * Starts a new execution (continue-as-new): new execution id, input and
   * history; old timers and task ids are forgotten. Events raised while the
   * last episode ran belong to the new execution; old completions do not.
   */
  continueAsNew(inputJson: string | undefined, at: number): void {
    this.#disarmTimers();
    const carried = this.inbox.filter((event) => event.EventType === EventType.EventRaised);
    this.#inFlight = [];
    this.#scheduledAt = new Map();
    this.#cancelledTimers = new Set();
    const { record } = this;
    record.executionId = randomUUID();
    record.input = inputJson;
    record.output = undefined;
    record.history = [];
    this.inbox = [this.executionStarted(at), ...carried];
  }

  /** Forgets pending work once the instance has finished or is replaced: timers disarmed, queued events dropped. */
  retire(): void {
    this.#retired = true;
    this.#disarmTimers();
    this.inbox = [];
    this.#inFlight = [];
  }

  #disarmTimers(): void {
    for (const cancel of this.#timers.values()) cancel();
    this.#timers.clear();
  }
}
