import type { DequeuedMessageItem } from '@azure/storage-queue';
import type { RpcTypedData } from '../core-types';
import type { QueueOptions } from './queue-options';

/** The message's text as the function sees it, or why it cannot be decoded (it then goes to the poison queue at once). */
export type DecodedMessage = { ok: true; text: string } | { ok: false; reason: string };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes the stored text per `messageEncoding`: base64 text must be base64, as the host's decoder requires. */
export function decodeMessage(messageText: string, encoding: QueueOptions['messageEncoding']): DecodedMessage {
  if (encoding === 'none') return { ok: true, text: messageText };
  const compact = messageText.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) {
    return { ok: false, reason: 'the message is not base64 text (host.json extensions.queues.messageEncoding is base64)' };
  }
  return { ok: true, text: Buffer.from(compact, 'base64').toString('utf8') };
}

/**
 * What the host hands the worker besides the message: its id, dequeue
 * count, times and pop receipt, plus the text as `QueueTrigger`. The Node
 * library camel-cases the keys and parses the JSON values, so a function
 * reads `context.triggerMetadata.dequeueCount` as a number.
 */
export function queueTriggerMetadata(message: DequeuedMessageItem, text: string): Record<string, RpcTypedData> {
  return {
    QueueTrigger: { string: text },
    Id: { string: message.messageId },
    DequeueCount: { json: JSON.stringify(message.dequeueCount) },
    InsertionTime: { json: JSON.stringify(message.insertedOn.toISOString()) },
    ExpirationTime: { json: JSON.stringify(message.expiresOn.toISOString()) },
    NextVisibleTime: { json: JSON.stringify(message.nextVisibleOn.toISOString()) },
    PopReceipt: { string: message.popReceipt },
  };
}
