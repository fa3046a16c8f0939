import type { RetryOptions } from './retry';
import { ActionType, actionOf, isCancelledTimer, type SdkExecutor, type SdkTask } from './sdk-state';

/** Work the host must start for a task id the SDK opened. */
export type WorkItem =
  | { kind: 'activity'; id: number; name: string; input: unknown }
  | { kind: 'subOrchestration'; id: number; name: string; instanceId: string | undefined; input: unknown }
  | { kind: 'timer'; id: number; fireAt: number; cancelled: boolean }
  | { kind: 'retryTimer'; id: number; options: RetryOptions; attemptIndex: number; firstAttemptId: number }
  | { kind: 'entityCall'; id: number; schedulerId: string; operation: string; input: unknown }
  | { kind: 'entitySignal'; schedulerId: string; operation: string; input: unknown }
  | { kind: 'unsupported'; id: number; what: string };

/**
 * The open tasks of the SDK's executor that the host has not acted on yet, in
 * id order. Ids are the SDK's own sequence numbers: a retry's back-off timer
 * and its next attempt are NoOp placeholders under a RetryableTask, a long
 * timer's segments are children of a LongTimerTask.
 */
export function plannedWork(executor: SdkExecutor, isScheduled: (taskId: number) => boolean): WorkItem[] {
  const items: WorkItem[] = [];
  const ids = Object.keys(executor.openTasks)
    .map(Number)
    .filter((id) => Number.isInteger(id) && !isScheduled(id))
    .sort((a, b) => a - b);
  for (const id of ids) {
    const task = executor.openTasks[String(id)];
    if (task !== undefined) items.push(workFor(id, task));
  }
  return items;
}

function workFor(id: number, task: SdkTask): WorkItem {
  const retrying = task.parent?.retryOptions !== undefined && typeof task.action === 'string' ? task.parent : undefined;
  if (retrying !== undefined) {
    const options = retrying.retryOptions;
    const firstAttemptId = Number(retrying.children?.[0]?.id);
    if (options !== undefined && retrying.isWaitingOnTimer === true) {
      // attemptNumber was already incremented by the failure.
      return { kind: 'retryTimer', id, options, attemptIndex: (retrying.attemptNumber ?? 2) - 2, firstAttemptId };
    }
    const retriedAction = actionOf(retrying);
    if (retriedAction !== undefined) return callFor(id, retriedAction.actionType, retriedAction);
  }
  const action = actionOf(task);
  if (action === undefined) return { kind: 'unsupported', id, what: 'a task without an action' };
  if (action.actionType === ActionType.CreateTimer) {
    // Created and cancelled in the same episode: recorded, never armed.
    return { kind: 'timer', id, fireAt: new Date(action.fireAt ?? 0).getTime(), cancelled: isCancelledTimer(task) };
  }
  return callFor(id, action.actionType, action);
}

function callFor(id: number, type: ActionType, action: NonNullable<ReturnType<typeof actionOf>>): WorkItem {
  switch (type) {
    case ActionType.CallActivity:
    case ActionType.CallActivityWithRetry:
      return { kind: 'activity', id, name: action.functionName ?? '', input: action.input };
    case ActionType.CallSubOrchestrator:
    case ActionType.CallSubOrchestratorWithRetry:
      return { kind: 'subOrchestration', id, name: action.functionName ?? '', instanceId: action.instanceId, input: action.input };
    case ActionType.CallEntity:
      return { kind: 'entityCall', id, schedulerId: action.instanceId ?? '', operation: action.operation ?? '', input: action.input };
    default:
      return { kind: 'unsupported', id, what: ActionType[type] };
  }
}
