/**
 * The webhookDelivery orchestrator: POSTs a finished request's signed
 * completion event to its callback URL, and while the receiver fails waits
 * on durable timers between attempts (no sleeping activity holds a worker).
 * It runs beside the request, not inside it: the request has already ended
 * with its own outcome, which no receiver can delay or change.
 */
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import { callActivity } from '../activities/typed-call';
import { PENDING_DELIVERY, WEBHOOK_RETRY_DELAYS_MS, type WebhookDeliveryInput, type WebhookDeliveryState } from '../webhooks/delivery-contract';

export const webhookDelivery: OrchestrationHandler = function* (context: OrchestrationContext): Generator<Task, WebhookDeliveryState, unknown> {
  const input = context.df.getInput<WebhookDeliveryInput>();
  let state: WebhookDeliveryState = PENDING_DELIVERY;
  context.df.setCustomStatus(state);
  for (let attempt = 1; ; attempt++) {
    const outcome = yield* callActivity(context, 'deliverWebhook', { ...input, attempt });
    const at = context.df.currentUtcDateTime.getTime();
    const tried = { attempts: attempt, lastAttemptAt: new Date(at).toISOString() };
    if (outcome.kind === 'delivered') {
      state = { ...state, ...tried, state: 'delivered', lastStatus: outcome.status, lastError: null, nextAttemptAt: null, deliveredAt: tried.lastAttemptAt };
      break;
    }
    const lastStatus = outcome.kind === 'failed' ? outcome.status : null;
    const delay = outcome.kind === 'failed' ? WEBHOOK_RETRY_DELAYS_MS[attempt - 1] : undefined;
    if (delay === undefined) {
      state = { ...state, ...tried, state: 'failed', lastStatus, lastError: outcome.message, nextAttemptAt: null };
      break;
    }
    state = { ...state, ...tried, state: 'retrying', lastStatus, lastError: outcome.message, nextAttemptAt: new Date(at + delay).toISOString() };
    context.df.setCustomStatus(state);
    yield context.df.createTimer(new Date(at + delay));
  }
  context.df.setCustomStatus(state);
  return state;
};
