import type { EntityCaller, EntityOperation } from '../entities/entity-operation';
import { EventType, type HistoryEvent } from './history';

/**
 * The request an orchestration sends an entity, as the extension records it
 * in the orchestration's history: an `EventSent` whose `InstanceId` is the
 * entity and whose `Input` is the request message — `id` (the SDK re-keys a
 * call's task to it, and its response arrives as an `EventRaised` of that
 * name), `op`, `signal`, `input`, and the sender (`parent`,
 * `parentExecution`).
 */
interface RequestMessage {
  id: string;
  op: string;
  signal: boolean;
  input?: string;
  parent: string;
  parentExecution: string;
}

export function requestEventFields(schedulerId: string, operation: EntityOperation, sender: EntityCaller): Record<string, unknown> {
  const message: RequestMessage = {
    id: operation.id,
    op: operation.name,
    signal: operation.caller === undefined,
    ...(operation.inputJson === undefined ? {} : { input: operation.inputJson }),
    parent: sender.instanceId,
    parentExecution: sender.executionId,
  };
  return { InstanceId: schedulerId, Name: 'op', Input: JSON.stringify(message) };
}

/** The entity request an event of the history records, if it is one. */
export function requestOf(event: HistoryEvent): { schedulerId: string; operation: EntityOperation } | undefined {
  if (event.EventType !== EventType.EventSent || typeof event.InstanceId !== 'string' || typeof event.Input !== 'string') {
    return undefined;
  }
  const message = JSON.parse(event.Input) as Partial<RequestMessage>;
  if (typeof message.id !== 'string' || typeof message.op !== 'string') return undefined;
  const caller = { instanceId: message.parent ?? '', executionId: message.parentExecution ?? '' };
  return {
    schedulerId: event.InstanceId,
    operation: { id: message.id, name: message.op, inputJson: message.input, caller: message.signal === true ? undefined : caller },
  };
}

/** The response to a call, as the orchestration's history receives it. */
export function responseEventFields(requestId: string, response: { result: string; exceptionType?: string }): Record<string, unknown> {
  return { Name: requestId, Input: JSON.stringify(response) };
}
