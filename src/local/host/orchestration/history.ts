/**
 * History events as the Durable extension hands them to the JavaScript SDK
 * (DurableTask.Core field names). Payloads (`Input`, `Result`) are JSON text.
 */
export enum EventType {
  ExecutionStarted = 0,
  ExecutionCompleted = 1,
  ExecutionFailed = 2,
  ExecutionTerminated = 3,
  TaskScheduled = 4,
  TaskCompleted = 5,
  TaskFailed = 6,
  SubOrchestrationInstanceCreated = 7,
  SubOrchestrationInstanceCompleted = 8,
  SubOrchestrationInstanceFailed = 9,
  TimerCreated = 10,
  TimerFired = 11,
  OrchestratorStarted = 12,
  OrchestratorCompleted = 13,
  EventSent = 14,
  EventRaised = 15,
  ContinueAsNew = 16,
  ExecutionSuspended = 19,
  ExecutionResumed = 20,
}

export interface HistoryEvent {
  EventType: EventType;
  EventId: number;
  IsPlayed: boolean;
  /** ISO 8601; the SDK turns it into a Date. */
  Timestamp: string;
  [field: string]: unknown;
}

/** Failure as the SDK reads it from TaskFailed / SubOrchestrationInstanceFailed. */
export type FailureFields =
  | { Reason: string; Details: string }
  | { FailureDetails: { ErrorType: string; ErrorMessage: string; StackTrace?: string; IsNonRetriable: boolean } };

export function historyEvent(type: EventType, at: number, fields: Record<string, unknown> = {}, eventId = -1): HistoryEvent {
  return { EventType: type, EventId: eventId, IsPlayed: false, Timestamp: new Date(at).toISOString(), ...fields };
}

/** JSON text of a value as a history payload; `undefined` has none. */
export function toJsonText(value: unknown): string | undefined {
  return value === undefined ? undefined : JSON.stringify(value);
}

/** The value of a JSON text payload; null when absent (the HTTP API never shows undefined). */
export function fromJsonText(text: unknown): unknown {
  return typeof text === 'string' && text !== '' ? JSON.parse(text) : null;
}
