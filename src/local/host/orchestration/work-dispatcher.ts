import { randomUUID } from 'node:crypto';
import type { HostClock } from '../clock';
import type { EntityOperation } from '../entities/entity-operation';
import type { IdleTracker } from '../idle-tracker';
import type { ParentLink } from '../store';
import type { ActivityRunner } from './activity-runner';
import type { ResultLoss } from './chaos';
import { requestEventFields } from './entity-request';
import { EventType, historyEvent, toJsonText, type HistoryEvent } from './history';
import type { Instance } from './instance';
import type { WorkItem } from './planner';
import { retryDelayMs, withinRetryTimeout } from './retry';
import { decodeActionInput } from './sdk-state';

export interface WorkDispatcherOptions {
  clock: HostClock;
  idle: IdleTracker;
  activities: ActivityRunner;
  resultLoss: ResultLoss;
  log: (line: string) => void;
  /** Adds an event to the next episode of a live execution; dropped when that execution is over. */
  deliver: (instanceId: string, executionId: string, event: () => HistoryEvent) => void;
  /** Starts a sub-orchestration (or finds the one started before a restart); rejects when it cannot be started. */
  startChild: (name: string, instanceId: string, inputJson: string | undefined, parent: ParentLink) => Promise<void>;
  /** Queues an operation on an entity; rejects when it cannot be queued. */
  sendToEntity: (schedulerId: string, operation: EntityOperation) => Promise<void>;
}

/** Work an episode scheduled, as its history records it (payloads as JSON text). */
export type ScheduledWork =
  | { kind: 'activity'; id: number; name: string; inputJson: string | undefined }
  | { kind: 'timer'; id: number; fireAt: number }
  | { kind: 'subOrchestration'; id: number; name: string; instanceId: string; inputJson: string | undefined }
  | { kind: 'entityMessage'; schedulerId: string; operation: EntityOperation };

/**
 * Handles the work an episode asked for — activities, durable timers (retry
 * back-offs included), sub-orchestrations, entity calls and signals — in two steps: `record` writes
 * each into the history, `start` sets it going once that history is
 * committed (or, after a restart, once the history shows it never finished).
 * Each one's result comes back as a history event for a later episode.
 */
export class WorkDispatcher {
  readonly #options: WorkDispatcherOptions;

  constructor(options: WorkDispatcherOptions) {
    this.#options = options;
  }

  /** Records every item in order; returns the work to start, or a description of the first unsupported request. */
  record(instance: Instance, items: WorkItem[], at: number): ScheduledWork[] | { unsupported: string } {
    const { record } = instance;
    const work: ScheduledWork[] = [];
    for (const item of items) {
      if (item.kind === 'unsupported') return { unsupported: item.what };
      if (item.kind === 'entitySignal') {
        work.push(this.#recordEntityMessage(instance, -1, item.schedulerId, item.operation, item.input, false, at));
        continue;
      }
      instance.markScheduled(item.id, at);
      switch (item.kind) {
        case 'entityCall':
          work.push(this.#recordEntityMessage(instance, item.id, item.schedulerId, item.operation, item.input, true, at));
          break;
        case 'activity': {
          const inputJson = toJsonText(decodeActionInput(item.input));
          record.history.push(historyEvent(EventType.TaskScheduled, at, { Name: item.name, Input: inputJson }, item.id));
          work.push({ kind: 'activity', id: item.id, name: item.name, inputJson });
          break;
        }
        case 'subOrchestration': {
          const instanceId = item.instanceId ?? `${record.instanceId}:${item.id}`;
          const inputJson = toJsonText(item.input);
          record.history.push(
            historyEvent(EventType.SubOrchestrationInstanceCreated, at, { Name: item.name, InstanceId: instanceId, Input: inputJson }, item.id),
          );
          work.push({ kind: 'subOrchestration', id: item.id, name: item.name, instanceId, inputJson });
          break;
        }
        case 'timer':
          this.#recordTimer(instance, item.id, item.fireAt, at);
          // Created and cancelled in the same episode: recorded, never armed.
          if (item.cancelled) instance.timerCancelled(item.id);
          else work.push({ kind: 'timer', id: item.id, fireAt: item.fireAt });
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
          const fireAt = at + retryDelayMs(item.options, item.attemptIndex);
          this.#recordTimer(instance, item.id, fireAt, at);
          work.push({ kind: 'timer', id: item.id, fireAt });
          break;
        }
      }
    }
    return work;
  }

  /**
   * Sets recorded work going. What a finishing episode scheduled still runs,
   * as DurableTask.Core sends it, but no timer is armed for an instance that
   * has finished or been replaced.
   */
  start(instance: Instance, work: readonly ScheduledWork[]): void {
    for (const item of work) {
      switch (item.kind) {
        case 'activity':
          this.#runActivity(instance, item.id, item.name, item.inputJson, 1);
          break;
        case 'timer':
          if (!instance.isRetired) this.#armTimer(instance, item.id, item.fireAt);
          break;
        case 'subOrchestration':
          this.#startSubOrchestration(instance, item);
          break;
        case 'entityMessage':
          this.#sendToEntity(instance, item);
          break;
      }
    }
  }

  /** An entity call (answered to this execution) or signal, as an EventSent; a call's event carries its task id. */
  #recordEntityMessage(
    instance: Instance,
    eventId: number,
    schedulerId: string,
    name: string,
    input: unknown,
    isCall: boolean,
    at: number,
  ): ScheduledWork {
    const { instanceId, executionId } = instance.record;
    const sender = { instanceId, executionId };
    const operation: EntityOperation = { id: randomUUID(), name, inputJson: toJsonText(input), caller: isCall ? sender : undefined };
    instance.record.history.push(historyEvent(EventType.EventSent, at, requestEventFields(schedulerId, operation, sender), eventId));
    return { kind: 'entityMessage', schedulerId, operation };
  }

  #sendToEntity(instance: Instance, item: Extract<ScheduledWork, { kind: 'entityMessage' }>): void {
    const { clock, deliver, sendToEntity, log } = this.#options;
    const { instanceId, executionId } = instance.record;
    sendToEntity(item.schedulerId, item.operation).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      log(`Error: instance '${instanceId}': entity '${item.schedulerId}' did not get operation '${item.operation.name}': ${message}`);
      const caller = item.operation.caller;
      if (caller === undefined) return;
      deliver(instanceId, executionId, () =>
        historyEvent(EventType.EventRaised, clock.now(), {
          Name: item.operation.id,
          Input: JSON.stringify({ result: JSON.stringify(message), exceptionType: 'EntityUnavailable' }),
        }),
      );
    });
  }

  #recordTimer(instance: Instance, id: number, fireAt: number, at: number): void {
    instance.record.history.push(historyEvent(EventType.TimerCreated, at, { FireAt: new Date(fireAt).toISOString() }, id));
  }

  #armTimer(instance: Instance, id: number, fireAt: number): void {
    const { clock, deliver } = this.#options;
    const { instanceId, executionId } = instance.record;
    const cancel = clock.schedule(fireAt, () => {
      instance.timerFired(id);
      deliver(instanceId, executionId, () =>
        historyEvent(EventType.TimerFired, clock.now(), { TimerId: id, FireAt: new Date(fireAt).toISOString() }),
      );
    });
    instance.timerArmed(id, cancel);
  }

  #runActivity(instance: Instance, taskId: number, name: string, inputJson: string | undefined, run: number): void {
    const { clock, idle, activities, resultLoss, deliver, log } = this.#options;
    const { instanceId, executionId } = instance.record;
    void idle.track(async () => {
      const fields = await activities.run(name, inputJson);
      if (resultLoss.loses({ instanceId, taskId, name, run })) {
        log(`Chaos: the result of activity '${name}' (instance '${instanceId}', task ${taskId}) was lost; it runs again.`);
        if (!instance.isRetired) this.#runActivity(instance, taskId, name, inputJson, run + 1);
        return;
      }
      const type = 'Result' in fields ? EventType.TaskCompleted : EventType.TaskFailed;
      deliver(instanceId, executionId, () => historyEvent(type, clock.now(), { TaskScheduledId: taskId, ...fields }));
    });
  }

  #startSubOrchestration(instance: Instance, item: Extract<ScheduledWork, { kind: 'subOrchestration' }>): void {
    const { clock, deliver, startChild } = this.#options;
    const { instanceId, executionId } = instance.record;
    const parent = { instanceId, executionId, taskScheduledId: item.id };
    startChild(item.name, item.instanceId, item.inputJson, parent).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      deliver(instanceId, executionId, () =>
        historyEvent(EventType.SubOrchestrationInstanceFailed, clock.now(), { TaskScheduledId: item.id, Reason: message, Details: '' }),
      );
    });
  }
}
