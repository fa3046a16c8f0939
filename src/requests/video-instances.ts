/**
 * Finding video requests among the durable client's instances. The SDK
 * reports an unknown instance id by throwing an error that names HTTP 404; we
 * turn that into `undefined`, and hide instances of other orchestrations.
 * An id that breaks the id rule names no request and never reaches the
 * client: the SDK puts ids into its management URLs as they are.
 */
import type { DurableClient, DurableOrchestrationStatus, OrchestrationFilter } from 'durable-functions';
import type { VideoGenerationInput } from '../contracts/orchestration';
import { isRequestId } from '../contracts/video-request';
import { FUNCTIONS } from '../names';

/** How far back listings (and remix links) look. */
export const RECENT_WINDOW_DAYS = 7;

export async function findVideoRequest(client: DurableClient, id: string): Promise<DurableOrchestrationStatus | undefined> {
  if (!isRequestId(id)) return undefined;
  try {
    const status = await client.getStatus(id, { showInput: true });
    return status.name === FUNCTIONS.videoGeneration ? status : undefined;
  } catch (error) {
    if (error instanceof Error && error.message.includes('HTTP 404')) return undefined;
    throw error;
  }
}

/** Video requests created in the recent window, with their inputs. */
export async function recentVideoRequests(client: DurableClient): Promise<DurableOrchestrationStatus[]> {
  // `showInput` is not in the SDK's filter type, but the pinned SDK forwards it to the host.
  const filter: OrchestrationFilter & { showInput: boolean } = { createdTimeFrom: new Date(Date.now() - RECENT_WINDOW_DAYS * 86_400_000), showInput: true };
  const instances = await client.getStatusBy(filter);
  return instances.filter((i) => i.name === FUNCTIONS.videoGeneration && Boolean(i.input));
}

/** Ids of the recent requests that remix this one. */
export async function remixesOf(client: DurableClient, id: string): Promise<string[]> {
  return (await recentVideoRequests(client)).filter((i) => (i.input as VideoGenerationInput).spec.remixOf?.requestId === id).map((i) => i.instanceId);
}
