import { randomUUID } from 'node:crypto';
import type { Registration } from '../core-types';
import type { Invoker } from '../invoke';
import { schedulerIdOf, type EntityAddress } from './entity-id';
import type { EntityOperation, EntityResponse, OutgoingSignal } from './entity-operation';

/** An entity's durable state: whether it exists and its state as JSON text. */
export interface EntityStateSnapshot {
  exists: boolean;
  stateJson: string | undefined;
}

export interface BatchOutcome extends EntityStateSnapshot {
  /** One per operation of the batch, in order. */
  responses: EntityResponse[];
  signals: OutgoingSignal[];
}

/**
 * What durable-functions 3.5.0's entity shim returns (`EntityState`): the new
 * state, one `OperationResult` per operation, and the signals it sent.
 */
interface EntityStateWire {
  entityExists?: boolean;
  entityState?: string;
  results?: ({ isError?: boolean; result?: string } | null)[];
  signals?: { target?: { name?: string; key?: string }; name?: string; input?: string }[];
}

/** The exception type a failed operation reports; the SDK only checks that one is there. */
const OPERATION_FAILED = 'EntityOperationFailed';

/**
 * Runs a batch of operations on one entity through the app's entity
 * function, as the extension sends it to an out-of-process worker: the
 * entity trigger carries `{self, exists, state, batch}`; the shim runs the
 * operations in order on the state and returns the new one.
 */
export async function runEntityBatch(
  invoker: Invoker,
  registration: Registration,
  self: EntityAddress,
  current: EntityStateSnapshot,
  batch: readonly EntityOperation[],
): Promise<BatchOutcome> {
  const trigger = {
    self,
    exists: current.exists,
    state: current.stateJson,
    batch: batch.map((operation) => ({
      id: operation.id,
      name: operation.name,
      input: operation.inputJson ?? '',
      signal: operation.caller === undefined,
    })),
  };
  const outcome = await invoker.invoke(registration, { json: JSON.stringify(trigger) });
  if (!outcome.ok) {
    // The whole invocation failed (not one operation): nothing changes, every operation reports the error.
    const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    const failed = { result: JSON.stringify(message), exceptionType: OPERATION_FAILED };
    return { ...current, responses: batch.map(() => failed), signals: [] };
  }
  const json = outcome.response.returnValue?.json;
  const wire = json === undefined ? {} : (JSON.parse(json) as EntityStateWire);
  const exists = wire.entityExists === true;
  return {
    exists,
    stateJson: exists ? wire.entityState : undefined,
    responses: batch.map((_, index) => responseOf(wire.results?.[index])),
    signals: (wire.signals ?? []).map(signalOf),
  };
}

function responseOf(result: { isError?: boolean; result?: string } | null | undefined): EntityResponse {
  // An operation that returned nothing answers null, as a completed task without a value.
  const text = result?.result ?? 'null';
  return result?.isError === true ? { result: text, exceptionType: OPERATION_FAILED } : { result: text };
}

function signalOf(signal: NonNullable<EntityStateWire['signals']>[number]): OutgoingSignal {
  const target = { name: signal.target?.name ?? '', key: signal.target?.key ?? '' };
  return {
    schedulerId: schedulerIdOf(target),
    operation: {
      id: randomUUID(),
      name: signal.name ?? '',
      inputJson: signal.input === undefined || signal.input === '' ? undefined : signal.input,
      caller: undefined,
    },
  };
}
