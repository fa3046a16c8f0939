/**
 * Starts a batch — for every trigger that starts one (the batches route and
 * the dropped-file starter). The batch id is the orchestration's instance id;
 * its items run as `<batch id>-<item>` sub-orchestrations. An id that names a
 * batch already answers with that batch (same content) or a conflict
 * (different content) instead of a second start, so a retried call, a
 * redelivered event or a re-uploaded file starts nothing new.
 */
import { createHash } from 'node:crypto';
import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';
import { MAX_BATCH_ID_LENGTH, type BatchCallback, type BatchItemInput, type BatchSource, type VideoBatchInput } from '../contracts/batch';
import type { RuleViolation } from '../contracts/validation';
import { isRequestId } from '../contracts/video-request';
import type { Dependencies } from '../dependencies';
import { FUNCTIONS } from '../names';
import { findBatch } from './batch-instances';
import type { RequestLog } from './start-video-request';

export interface BatchStart {
  batchId: string;
  source: BatchSource;
  fingerprint: string;
  callback?: BatchCallback;
  problems: RuleViolation[];
  items: BatchItemInput[];
  acceptedAt: Date;
}

export type BatchStartOutcome =
  | { kind: 'started'; id: string; total: number }
  | { kind: 'existing'; id: string; instance: DurableOrchestrationStatus }
  | { kind: 'conflict'; id: string };

/** SHA-256 (hex) of what a client sent, to tell a repeat from a different batch under the same id. */
export function fingerprintOf(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The batch this id already names: `existing` when its content is the same, else `conflict`; undefined when there is none. */
export async function existingBatch(client: DurableClient, id: string, fingerprint: string): Promise<Exclude<BatchStartOutcome, { kind: 'started' }> | undefined> {
  const instance = await findBatch(client, id);
  if (!instance) return undefined;
  const same = (instance.input as VideoBatchInput).fingerprint === fingerprint;
  return same ? { kind: 'existing', id, instance } : { kind: 'conflict', id };
}

export async function startBatchRequest(deps: Pick<Dependencies, 'config'>, client: DurableClient, start: BatchStart, log: RequestLog): Promise<BatchStartOutcome> {
  const { batchId } = start;
  // Triggers derive or check batch ids; this keeps one that slipped past out of the task hub and its items' ids.
  if (!isRequestId(batchId) || batchId.length > MAX_BATCH_ID_LENGTH) throw new Error('A batch was started with an id that breaks the batch id rule.');
  const found = await existingBatch(client, batchId, start.fingerprint);
  if (found) return found;
  const input: VideoBatchInput = {
    batchId,
    source: start.source,
    concurrency: deps.config.batchConcurrency,
    ...(start.callback ? { callback: start.callback } : {}),
    acceptedAt: start.acceptedAt.toISOString(),
    fingerprint: start.fingerprint,
    problems: start.problems,
    items: start.items,
  };
  await client.startNew(FUNCTIONS.videoBatch, { instanceId: batchId, input });
  const rejected = start.items.filter((i) => 'rejected' in i).length;
  log(`Started batch ${batchId} (${start.items.length} item(s), ${rejected} rejected, ${deps.config.batchConcurrency} at a time)`);
  return { kind: 'started', id: batchId, total: start.items.length };
}
