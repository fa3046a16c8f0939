import { randomUUID } from 'node:crypto';
import type { InstanceRecord, ParentLink } from '../store';
import { EventType, fromJsonText, historyEvent, type HistoryEvent } from './history';
import { isCancelledTimer, type SdkExecutor } from './sdk-state';

/**
 * One orchestration instance: its stored record, and what the engine keeps
 * beside it while the instance lives (not persisted): the events waiting for
 * the next episode, the task ids already acted on, the armed timers.
 */
export class Instance {
  readonly record: InstanceRecord;
  /** Events waiting for the next episode. */
  inbox: HistoryEvent[] = [];
  episodeRunning = false;
  /** SDK task ids already acted on in this execution, with when each was scheduled. */
  #scheduledAt = new Map<number, number>();
  /** Armed durable timers by TimerId, with their cancel functions. */
  readonly #timers = new Map<number, () => void>();
  #lastEpisodeAt = 0;

  constructor(record: InstanceRecord) {
    this.record = record;
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
    this.#scheduledAt = new Map();
    const { record } = this;
    record.executionId = randomUUID();
    record.input = inputJson;
    record.output = undefined;
    record.history = [];
    this.inbox = [this.executionStarted(at), ...carried];
  }

  /** Forgets pending work once the instance has finished or is replaced: timers disarmed, queued events dropped. */
  retire(): void {
    this.#disarmTimers();
    this.inbox = [];
  }

  #disarmTimers(): void {
    for (const cancel of this.#timers.values()) cancel();
    this.#timers.clear();
  }
}
