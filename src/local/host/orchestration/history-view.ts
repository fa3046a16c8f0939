import { EventType, fromJsonText, type HistoryEvent } from './history';

/** Events the HTTP API leaves out: the extension folds schedules into their completions. */
const HIDDEN = new Set([
  EventType.OrchestratorStarted,
  EventType.OrchestratorCompleted,
  EventType.TaskScheduled,
  EventType.SubOrchestrationInstanceCreated,
]);

/** Bookkeeping the extension trims from what it shows. */
const INTERNAL_FIELDS = new Set(['TaskScheduledId', 'TimerId', 'OrchestrationInstance']);

/** Payload fields shown only with showHistoryOutput. */
const OUTPUT_FIELDS = ['Input', 'Result'];

/**
 * The `historyEvents` of a status response as the extension shows them:
 * event types by name, completions with the FunctionName and ScheduledTime of
 * their schedule, payloads parsed and only when output is asked for.
 */
export function historyView(history: readonly HistoryEvent[], showOutput: boolean): Record<string, unknown>[] {
  const scheduled = new Map<number, HistoryEvent>();
  for (const event of history) {
    if (event.EventType === EventType.TaskScheduled || event.EventType === EventType.SubOrchestrationInstanceCreated) {
      scheduled.set(event.EventId, event);
    }
  }
  const view: Record<string, unknown>[] = [];
  for (const event of history) {
    if (HIDDEN.has(event.EventType)) continue;
    const { EventType: type, EventId: _id, IsPlayed: _played, Name, ...fields } = event;
    const shown: Record<string, unknown> = { EventType: EventType[type] };
    for (const [key, value] of Object.entries(fields)) {
      if (INTERNAL_FIELDS.has(key)) continue;
      if (OUTPUT_FIELDS.includes(key)) {
        if (showOutput) shown[key] = fromJsonText(value);
      } else {
        shown[key] = value;
      }
    }
    if (Name !== undefined) shown[type === EventType.ExecutionStarted ? 'FunctionName' : 'Name'] = Name;
    const scheduledId = fields.TaskScheduledId;
    const schedule = typeof scheduledId === 'number' ? scheduled.get(scheduledId) : undefined;
    if (schedule !== undefined) {
      shown.FunctionName = schedule.Name;
      shown.ScheduledTime = schedule.Timestamp;
    }
    view.push(shown);
  }
  return view;
}
