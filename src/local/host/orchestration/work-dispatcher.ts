import type { HostClock } from '../clock';
import type { IdleTracker } from '../idle-tracker';
import type { ParentLink } from '../store';
import type { ActivityRunner } from './activity-runner';
import { EventType, historyEvent, toJsonText, type HistoryEvent } from './history';
import type { Instance } from './instance';
import type { WorkItem } from './planner';
import { retryDelayMs, withinRetryTimeout } from './retry';
import { decodeActionInput } from './sdk-state';

export interface WorkDispatcherOptions {
  clock: HostClock;
  idle: IdleTracker;
  activities: ActivityRunner;
  log: (line: string) => void;
  /** Adds an event to the next episode of a live execution; dropped when that execution is over. */
  deliver: (instanceId: string, executionId: string, event: () => HistoryEvent) => void;
  /** Starts a sub-orchestration; throws when it cannot be started. */
  startChild: (name: string, instanceId: string, inputJson: string | undefined, parent: ParentLink) => void;
}

type SubOrchestrationItem = Extract<WorkItem, { kind: 'subOrchestration' }>;

/**
 * Starts the work an episode asked for — activities, durable timers (retry
 * back-offs included), sub-orchestrations — recording each in the history;
 * each one's result comes back as a history event for a later episode.
 */
export class WorkDispatcher {
  readonly #options: WorkDispatcherOptions;

  constructor(options: WorkDispatcherOptions) {
    this.#options = options;
  }

  /** Starts every item in order; returns a description of the first unsupported request. */
  dispatch(instance: Instance, items: WorkItem[], at: number): string | undefined {
    const { record } = instance;
    for (const item of items) {
      if (item.kind === 'unsupported') return item.what;
      instance.markScheduled(item.id, at);
      switch (item.kind) {
        case 'activity': {
          const input = decodeActionInput(item.input);
          record.history.push(
            historyEvent(EventType.TaskScheduled, at, { Name: item.name, Input: toJsonText(input) }, item.id),
          );
          this.#runActivity(instance, item.id, item.name, item.input);
          break;
        }
        case 'subOrchestration':
          this.#startSubOrchestration(instance, item, at);
          break;
        case 'timer':
          this.#createTimer(instance, item.id, item.fireAt, at, !item.cancelled);
          break;
        case 'retryTimer': {
          const firstAttemptAt = instance.scheduledAt(item.firstAttemptId) ?? at;
          if (!withinRetryTimeout(item.options, firstAttemptAt, at)) {
            // Production leaves a JS orchestration waiting here (an open SDK issue); so does the host.
            this.#options.log(
              `Warning: instance '${record.instanceId}': retry timeout passed; the orchestration waits forever, as in production.`,
            );
            break;
          }
          this.#createTimer(instance, item.id, at + retryDelayMs(item.options, item.attemptIndex), at);
          break;
        }
      }
    }
    return undefined;
  }

  #createTimer(instance: Instance, id: number, fireAt: number, at: number, arm = true): void {
    const { clock, deliver } = this.#options;
    const fireAtText = new Date(fireAt).toISOString();
    instance.record.history.push(historyEvent(EventType.TimerCreated, at, { FireAt: fireAtText }, id));
    if (!arm) return;
    const { instanceId, executionId } = instance.record;
    const cancel = clock.schedule(fireAt, () => {
      instance.timerFired(id);
      deliver(instanceId, executionId, () => historyEvent(EventType.TimerFired, clock.now(), { TimerId: id, FireAt: fireAtText }));
    });
    instance.timerArmed(id, cancel);
  }

  #runActivity(instance: Instance, taskId: number, name: string, rawInput: unknown): void {
    const { clock, idle, activities, deliver } = this.#options;
    const { instanceId, executionId } = instance.record;
    void idle.track(async () => {
      const fields = await activities.run(name, rawInput);
      const type = 'Result' in fields ? EventType.TaskCompleted : EventType.TaskFailed;
      deliver(instanceId, executionId, () => historyEvent(type, clock.now(), { TaskScheduledId: taskId, ...fields }));
    });
  }

  #startSubOrchestration(instance: Instance, item: SubOrchestrationItem, at: number): void {
    const { clock, deliver, startChild } = this.#options;
    const { record } = instance;
    const childId = item.instanceId ?? `${record.instanceId}:${item.id}`;
    const inputJson = toJsonText(item.input);
    record.history.push(
      historyEvent(EventType.SubOrchestrationInstanceCreated, at, { Name: item.name, InstanceId: childId, Input: inputJson }, item.id),
    );
    const parent = { instanceId: record.instanceId, executionId: record.executionId, taskScheduledId: item.id };
    try {
      startChild(item.name, childId, inputJson, parent);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      queueMicrotask(() => {
        deliver(record.instanceId, record.executionId, () =>
          historyEvent(EventType.SubOrchestrationInstanceFailed, clock.now(), { TaskScheduledId: item.id, Reason: message, Details: '' }),
        );
      });
    }
  }
}
