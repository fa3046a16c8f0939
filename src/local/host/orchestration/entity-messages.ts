import { requestOf } from './entity-request';
import type { HistoryEvent } from './history';
import type { WorkItem } from './planner';
import { ActionType, flattenActions, type SdkAction } from './sdk-state';

/**
 * Puts an episode's entity messages — the calls among the planned work and
 * the signals it sent — in the order the orchestrator made them, after the
 * rest of the work: an entity must receive one sender's messages in order.
 *
 * Signals are fire-and-forget (no task, no id), so the new ones are those
 * past the signals the history already records. The action list is
 * cumulative and new actions come last, so the last entity actions are this
 * episode's calls and signals; calls take their task ids in the same order.
 */
export function withEntityMessagesInOrder(
  items: readonly WorkItem[],
  actions: readonly SdkAction[][],
  history: readonly HistoryEvent[],
): WorkItem[] {
  const calls = items.filter((item) => item.kind === 'entityCall');
  const rest = items.filter((item) => item.kind !== 'entityCall');
  const entityActions = flattenActions(actions.flat()).filter(
    (action) => action.actionType === ActionType.CallEntity || action.actionType === ActionType.SignalEntity,
  );
  const signalsSent = history.filter((event) => {
    const request = requestOf(event);
    return request !== undefined && request.operation.caller === undefined;
  }).length;
  const signals = entityActions.filter((action) => action.actionType === ActionType.SignalEntity);
  const newSignals = Math.max(0, signals.length - signalsSent);
  const fresh = entityActions.slice(entityActions.length - (calls.length + newSignals));
  const ordered: WorkItem[] = [];
  let nextCall = 0;
  for (const action of fresh) {
    if (action.actionType === ActionType.CallEntity) {
      const call = calls[nextCall++];
      if (call !== undefined) ordered.push(call);
    } else {
      ordered.push({ kind: 'entitySignal', schedulerId: action.instanceId ?? '', operation: action.operation ?? '', input: action.input });
    }
  }
  // Calls the action list did not place (never expected) still go, last.
  return [...rest, ...ordered, ...calls.slice(nextCall)];
}
