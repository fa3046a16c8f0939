/**
 * Puts a completion event on the results queue, at most once per event id
 * as far as the app can tell: a marker blob in the ledger container records
 * each event sent, and a run that finds it sends nothing. So an activity run
 * again after its result was lost, or a queue message delivered again after
 * its rejection was sent, adds no second message. What remains is the
 * window between the send and the marker: a worker that dies exactly there
 * sends the event again on its next run — consumers drop repeats by
 * `eventId`.
 */
import { RestError } from '@azure/storage-blob';
import type { Dependencies } from '../dependencies';
import { ensureContainer } from '../storage/blob-service';
import { encodeQueueMessage, ensureQueue } from '../storage/queue-service';
import type { CompletionEvent } from './completion-event';

export type PublishOutcome = 'published' | 'already_published';

export async function publishCompletion(deps: Pick<Dependencies, 'config' | 'blobService' | 'queueService'>, event: CompletionEvent): Promise<PublishOutcome> {
  const ledger = deps.blobService.getContainerClient(deps.config.storage.ledgerContainer);
  const marker = ledger.getBlockBlobClient(`completions/${event.eventId}.json`);
  if (await marker.exists()) return 'already_published';
  const results = deps.queueService().getQueueClient(deps.config.events.resultsQueue);
  await ensureQueue(results);
  const sent = await results.sendMessage(encodeQueueMessage(event));
  await ensureContainer(ledger);
  const record = JSON.stringify({ eventId: event.eventId, queue: results.name, messageId: sent.messageId, publishedAt: new Date().toISOString() });
  try {
    await marker.upload(record, Buffer.byteLength(record), { conditions: { ifNoneMatch: '*' }, blobHTTPHeaders: { blobContentType: 'application/json' } });
  } catch (error) {
    // Another run of the same event got there first: both sent, the marker stands; nothing more to do.
    if (!(error instanceof RestError && (error.statusCode === 409 || error.statusCode === 412))) throw error;
  }
  return 'published';
}
