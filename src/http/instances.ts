/**
 * Reading video requests back from the durable client. The SDK reports an
 * unknown instance id by throwing an error that names HTTP 404; we turn that
 * into `undefined`, and hide instances of other orchestrations.
 */
import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';
import { FUNCTIONS } from '../names';

export async function findVideoRequest(client: DurableClient, id: string): Promise<DurableOrchestrationStatus | undefined> {
  try {
    const status = await client.getStatus(id, { showInput: true });
    return status.name === FUNCTIONS.videoGeneration ? status : undefined;
  } catch (error) {
    if (error instanceof Error && error.message.includes('HTTP 404')) return undefined;
    throw error;
  }
}
