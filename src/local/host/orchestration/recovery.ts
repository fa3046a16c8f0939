import { requestOf } from './entity-request';
import { EventType, type HistoryEvent } from './history';
import type { ScheduledWork } from './work-dispatcher';

/** Events that end a scheduled task, and the field naming that task. */
const COMPLETIONS: ReadonlyMap<EventType, string> = new Map([
  [EventType.TaskCompleted, 'TaskScheduledId'],
  [EventType.TaskFailed, 'TaskScheduledId'],
  [EventType.SubOrchestrationInstanceCompleted, 'TaskScheduledId'],
  [EventType.SubOrchestrationInstanceFailed, 'TaskScheduledId'],
  [EventType.TimerFired, 'TimerId'],
]);

/**
 * The work a restarted host must start again for an instance: everything its
 * committed history scheduled whose result is neither in that history nor
 * among its pending events — activities to run again (at least once, as
 * after a worker crash), timers to re-arm at their original due time,
 * sub-orchestrations to start or to hear from, entity calls without a
 * response and signals sent to entities again (an entity drops a request id
 * it already has, and answers a call it already ran from what it
 * remembers). Timers the orchestrator cancelled are left alone.
 */
export function outstandingWork(
  history: readonly HistoryEvent[],
  pending: readonly HistoryEvent[],
  cancelledTimers: ReadonlySet<number>,
): ScheduledWork[] {
  const finished = new Set<number>();
  const raised = new Set<unknown>();
  for (const event of [...history, ...pending]) {
    if (event.EventType === EventType.EventRaised) raised.add(event.Name);
    const field = COMPLETIONS.get(event.EventType);
    const id = field === undefined ? undefined : event[field];
    if (typeof id === 'number') finished.add(id);
  }
  const work: ScheduledWork[] = [];
  for (const event of history) {
    const request = requestOf(event);
    if (request !== undefined) {
      const answered = request.operation.caller !== undefined && raised.has(request.operation.id);
      if (!answered) work.push({ kind: 'entityMessage', ...request });
      continue;
    }
    const id = event.EventId;
    if (finished.has(id)) continue;
    switch (event.EventType) {
      case EventType.TaskScheduled:
        work.push({ kind: 'activity', id, name: String(event.Name), inputJson: optionalText(event.Input) });
        break;
      case EventType.TimerCreated:
        if (!cancelledTimers.has(id)) work.push({ kind: 'timer', id, fireAt: Date.parse(String(event.FireAt)) });
        break;
      case EventType.SubOrchestrationInstanceCreated:
        work.push({
          kind: 'subOrchestration',
          id,
          name: String(event.Name),
          instanceId: String(event.InstanceId),
          inputJson: optionalText(event.Input),
        });
        break;
      default:
        break;
    }
  }
  return work;
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
