/**
 * Finding batches among the durable client's instances by their id (the
 * batch orchestration's instance id), as video-instances.ts finds requests.
 */
import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';
import { isRequestId } from '../contracts/video-request';
import { FUNCTIONS } from '../names';

export async function findBatch(client: DurableClient, id: string, showInput = true): Promise<DurableOrchestrationStatus | undefined> {
  if (!isRequestId(id)) return undefined;
  try {
    const status = await client.getStatus(id, { showInput });
    return status.name === FUNCTIONS.videoBatch ? status : undefined;
  } catch (error) {
    if (error instanceof Error && error.message.includes('HTTP 404')) return undefined;
    throw error;
  }
}
