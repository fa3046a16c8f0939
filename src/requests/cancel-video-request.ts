/** Asks a running video request to stop: the orchestrator deletes the Sora job and ends `cancelled`. */
import type { DurableClient } from 'durable-functions';
import { FINISHED_STATUSES, type PublicStatus } from '../contracts/public-status';
import { EVENTS } from '../names';
import { findVideoRequest } from './video-instances';
import { publicStatusOf } from './video-view';

export type CancelOutcome =
  // The cancel event is raised; `status` is where the request was when asked.
  | { kind: 'accepted'; status: PublicStatus }
  // Nothing to cancel: the request already ended so.
  | { kind: 'finished'; status: PublicStatus }
  | { kind: 'not_found' };

export async function cancelVideoRequest(client: DurableClient, id: string): Promise<CancelOutcome> {
  const instance = await findVideoRequest(client, id);
  if (!instance) return { kind: 'not_found' };
  const status = publicStatusOf(instance);
  if (FINISHED_STATUSES.includes(status)) return { kind: 'finished', status };
  await client.raiseEvent(id, EVENTS.cancel, { requestedAt: new Date().toISOString() });
  return { kind: 'accepted', status };
}
