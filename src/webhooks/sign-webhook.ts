/**
 * Standard Webhooks signing: the signature covers `{webhook-id}.{webhook-timestamp}.{body}`
 * with HMAC-SHA256 under the shared key, sent as `v1,<base64>` in `webhook-signature`,
 * so a receiver can check who sent it, that the body is untouched, and how old it is.
 */
import { createHmac } from 'node:crypto';

export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

export function signWebhook(key: Buffer, webhookId: string, sentAt: Date, body: string): WebhookHeaders {
  const timestamp = String(Math.floor(sentAt.getTime() / 1000));
  const signature = createHmac('sha256', key).update(`${webhookId}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': webhookId, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}
