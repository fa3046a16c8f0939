/** A request's webhook delivery as its view shows it: pending until the request ends, then what the delivery reports. */
import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';
import type { VideoGenerationInput } from '../contracts/orchestration';
import { PENDING_DELIVERY, webhookDeliveryInstanceId, type WebhookDeliveryState } from './delivery-contract';

/** `undefined` when the request named no callback. */
export async function webhookDeliveryOf(client: DurableClient, request: DurableOrchestrationStatus): Promise<WebhookDeliveryState | undefined> {
  const input = request.input as VideoGenerationInput;
  if (!input.notify?.callbackUrl) return undefined;
  try {
    const delivery = await client.getStatus(webhookDeliveryInstanceId(input.requestId), { showInput: false });
    return (delivery.customStatus as WebhookDeliveryState | null) ?? PENDING_DELIVERY;
  } catch (error) {
    if (error instanceof Error && error.message.includes('HTTP 404')) return PENDING_DELIVERY;
    throw error;
  }
}
