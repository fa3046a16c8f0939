/**
 * The last thing a request (or a batch) does before it ends: put its
 * completion event on the results queue and, when it named a callback, start
 * the webhook delivery that runs beside it (./webhook-delivery.ts). Both are retried on
 * durable timers; if the results queue stays unreachable the event is given
 * up and the request still ends with its own outcome — an announcement never
 * turns a finished video into a failed request (or batch).
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import { callActivity } from '../activities/typed-call';
import type { VideoGenerationInput, VideoResult } from '../contracts/orchestration';
import { requestCompletion, type CompletionEvent } from '../events/completion-event';

/** 5 s, 10 s, 20 s, 40 s: a storage blip is ridden out; an outage does not hold the request for long. */
const ANNOUNCE_FIRST_RETRY_MS = 5_000;
const ANNOUNCE_MAX_ATTEMPTS = 5;

export function* announceCompletion(context: OrchestrationContext, input: VideoGenerationInput, result: VideoResult): Generator<Task, void, unknown> {
  const notify = input.notify;
  const event = requestCompletion(input.requestId, notify?.correlationId ?? null, result, context.df.currentUtcDateTime.toISOString());
  yield* announce(context, event, notify?.callbackUrl ?? null);
}

/** Publishes a request's or a batch's event and, with a callback URL, starts its delivery (under the id of what ended). */
export function* announce(context: OrchestrationContext, event: CompletionEvent, callbackUrl: string | null): Generator<Task, void, unknown> {
  try {
    yield* callActivity(context, 'publishCompletion', event, announceRetry());
  } catch {
    // Given up after its retries (logged by the activity's failures); the outcome stands.
  }
  if (callbackUrl === null) return;
  try {
    yield* callActivity(context, 'startWebhookDelivery', { requestId: event.id, url: callbackUrl, webhookId: event.eventId, body: JSON.stringify(event) }, announceRetry());
  } catch {
    // As above: no delivery state, the outcome stands.
  }
}

function announceRetry(): df.RetryOptions {
  const retry = new df.RetryOptions(ANNOUNCE_FIRST_RETRY_MS, ANNOUNCE_MAX_ATTEMPTS);
  retry.backoffCoefficient = 2;
  return retry;
}
