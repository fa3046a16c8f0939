/**
 * Asks a running batch to stop: the batch starts no more of its requests and
 * sends the ones still running their own `cancel` (video-batch.ts).
 */
import { OrchestrationRuntimeStatus, type DurableClient } from 'durable-functions';
import { EVENTS } from '../names';
import { findBatch } from './batch-instances';

export type CancelBatchOutcome = { kind: 'accepted' } | { kind: 'finished'; runtimeStatus: string } | { kind: 'not_found' };

const UNFINISHED: readonly string[] = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended];

export async function cancelBatchRequest(client: DurableClient, id: string): Promise<CancelBatchOutcome> {
  const batch = await findBatch(client, id, false);
  if (!batch) return { kind: 'not_found' };
  if (!UNFINISHED.includes(batch.runtimeStatus)) return { kind: 'finished', runtimeStatus: batch.runtimeStatus };
  await client.raiseEvent(id, EVENTS.cancel, { requestedAt: new Date().toISOString() });
  return { kind: 'accepted' };
}
