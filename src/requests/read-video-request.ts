/** One video request as a client reads it: the view with fresh read-only links, and for Sora 2 the requests that remix it. */
import type { DurableClient } from 'durable-functions';
import type { Dependencies } from '../dependencies';
import { usesVideosSchema } from '../sora/types';
import { webhookDeliveryOf } from '../webhooks/delivery-view';
import { findVideoRequest, remixesOf } from './video-instances';
import { viewOf, type VideoView } from './video-view';

/** `undefined` when no video request has this id. */
export async function readVideoRequest(deps: Pick<Dependencies, 'readLink'>, client: DurableClient, id: string): Promise<VideoView | undefined> {
  const status = await findVideoRequest(client, id);
  if (!status) return undefined;
  const view = await viewOf(status, deps.readLink);
  if (usesVideosSchema(view.api)) view.remixes = await remixesOf(client, id);
  const webhook = await webhookDeliveryOf(client, status);
  if (webhook) view.webhook = webhook;
  return view;
}
