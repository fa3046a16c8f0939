/**
 * What a finished request tells the outside world: its completion event on
 * the results queue (once: src/events/publish-completion.ts), and, when it
 * asked for one, the start of its webhook delivery and each delivery attempt.
 */
import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { Dependencies } from '../dependencies';
import type { CompletionEvent } from '../events/completion-event';
import { publishCompletion, type PublishOutcome } from '../events/publish-completion';
import { FUNCTIONS } from '../names';
import { webhookDeliveryInstanceId, type WebhookDeliveryInput } from '../webhooks/delivery-contract';
import { postWebhook, type AttemptOutcome } from '../webhooks/post-webhook';

/** Activities that need the durable client binding (index.ts registers it for these). */
export const EVENT_CLIENT_ACTIVITIES: readonly string[] = ['startWebhookDelivery'];

export function createEventActivities(deps: () => Dependencies) {
  return {
    publishCompletion: (event: CompletionEvent): Promise<PublishOutcome> => publishCompletion(deps(), event),

    /** Starts the delivery under its derived id unless it exists: a run again starts nothing new. */
    startWebhookDelivery: async (input: WebhookDeliveryInput, context: InvocationContext): Promise<'started' | 'already_started'> => {
      const client = df.getClient(context);
      const instanceId = webhookDeliveryInstanceId(input.requestId);
      if (await deliveryExists(client, instanceId)) return 'already_started';
      await client.startNew(FUNCTIONS.webhookDelivery, { instanceId, input });
      return 'started';
    },

    deliverWebhook: async (input: WebhookDeliveryInput & { attempt: number }): Promise<AttemptOutcome> => {
      const { webhook } = deps().config.events;
      if (webhook.secret === undefined) return { kind: 'refused', message: 'WEBHOOK_SECRET is not set: nothing can be signed' };
      return postWebhook(input, webhook.secret, webhook);
    },
  };
}

async function deliveryExists(client: df.DurableClient, instanceId: string): Promise<boolean> {
  try {
    await client.getStatus(instanceId, { showInput: false });
    return true;
  } catch (error) {
    if (error instanceof Error && error.message.includes('HTTP 404')) return false;
    throw error;
  }
}
