/**
 * The durable-functions 3.5.0 executor internals the host reads after each
 * episode (pinned for this reason): the open tasks carry the SDK's own task
 * ids, which completions must use.
 */
import type { RetryOptions } from './retry';

export enum ActionType {
  CallActivity = 0,
  CallActivityWithRetry = 1,
  CallSubOrchestrator = 2,
  CallSubOrchestratorWithRetry = 3,
  ContinueAsNew = 4,
  CreateTimer = 5,
  WaitForExternalEvent = 6,
  CallEntity = 7,
  CallHttp = 8,
  SignalEntity = 9,
  WhenAny = 11,
  WhenAll = 12,
}

export interface SdkAction {
  actionType: ActionType;
  functionName?: string;
  input?: unknown;
  /** CallEntity / SignalEntity: the operation; `instanceId` is then the entity's scheduler id (`@name@key`). */
  operation?: string;
  instanceId?: string;
  fireAt?: Date;
  isCanceled?: boolean;
  retryOptions?: RetryOptions;
  compoundActions?: SdkAction[];
}

/** A task object of the SDK (AtomicTask, DFTimerTask, NoOpTask, RetryableTask, LongTimerTask …). */
export interface SdkTask {
  id: unknown;
  /** An action, or the string "noOp" for the placeholders a RetryableTask tracks. */
  action?: SdkAction | string;
  parent?: SdkTask;
  children?: SdkTask[];
  // RetryableTask
  retryOptions?: RetryOptions;
  isWaitingOnTimer?: boolean;
  attemptNumber?: number;
}

export interface SdkExecutor {
  /** Tasks awaiting a result, by the SDK's task id. */
  openTasks: Record<string, SdkTask>;
  willContinueAsNew: boolean;
}

/** The orchestrator's result as it crosses the wire (OrchestratorState). */
export interface OrchestratorStateWire {
  isDone: boolean;
  actions: SdkAction[][];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
}

export function actionOf(task: SdkTask): SdkAction | undefined {
  return typeof task.action === 'object' ? task.action : undefined;
}

/** The executor the orchestrator SDK attached to the InvocationContext (`context.df`). */
export function executorOf(context: unknown): SdkExecutor | undefined {
  const df = (context as { df?: { taskOrchestratorExecutor?: SdkExecutor } } | undefined)?.df;
  return df?.taskOrchestratorExecutor;
}

/** Depth-first list of the (cumulative) actions, compound ones expanded. */
export function flattenActions(actions: readonly SdkAction[]): SdkAction[] {
  return actions.flatMap((action) =>
    action.compoundActions === undefined ? [action] : [action, ...flattenActions(action.compoundActions)],
  );
}

/** A timer task whose own action, or whose long-timer parent, was cancelled. */
export function isCancelledTimer(task: SdkTask): boolean {
  const own = actionOf(task);
  if (own?.actionType !== ActionType.CreateTimer) return false;
  if (own.isCanceled === true) return true;
  const parentAction = task.parent === undefined ? undefined : actionOf(task.parent);
  return parentAction?.actionType === ActionType.CreateTimer && parentAction.isCanceled === true;
}

/** The SDK JSON-encodes string inputs of activities and continue-as-new once more; this undoes it. */
export function decodeActionInput(input: unknown): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}
