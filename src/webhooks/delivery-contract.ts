/**
 * A request's webhook delivery: its own small orchestration, started once
 * the request has ended, under an instance id derived from the request's
 * (a second start finds it instead of delivering twice). Its custom status
 * is the delivery state the request's view shows.
 */

export interface WebhookDeliveryInput {
  /** The request (or batch: both share the instance id space) that ended. */
  requestId: string;
  url: string;
  /** `webhook-id`: the completion event's id, the same on every attempt so the receiver can drop repeats. */
  webhookId: string;
  /** The completion event as sent, byte for byte the same on every attempt. */
  body: string;
}

export interface WebhookDeliveryState {
  state: 'pending' | 'retrying' | 'delivered' | 'failed';
  attempts: number;
  /** The receiver's last HTTP status; null when it could not be reached. */
  lastStatus: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
}

/** Request ids never hold `:`, so no request can take a delivery's id. */
export function webhookDeliveryInstanceId(requestId: string): string {
  return `${requestId}:webhook`;
}

/**
 * Waits before attempts 2, 3, …: quick at first for a receiver that blinked,
 * then spread out for one that is down; 10 attempts over about 16 hours,
 * then the delivery is given up (`failed`).
 */
export const WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000];

export const PENDING_DELIVERY: WebhookDeliveryState = {
  state: 'pending',
  attempts: 0,
  lastStatus: null,
  lastError: null,
  lastAttemptAt: null,
  nextAttemptAt: null,
  deliveredAt: null,
};
