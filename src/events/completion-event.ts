/**
 * The one message a pipeline gets when a request (or a batch) ends:
 * on the results queue and, when the request asked for one, as the body of
 * its signed webhook. Ids, names, sizes and checksums only — never a link,
 * a key or a stack trace: whoever reads it fetches the blobs with their own
 * access.
 */
import type { BatchCounts, VideoBatchResult } from '../contracts/batch';
import type { RuleViolation } from '../contracts/validation';
import type { VideoResult } from '../contracts/orchestration';

/** What ended: one request, or a batch of them. */
export type CompletionKind = 'request' | 'batch';

/** How it ended: the finished public statuses, and `rejected` for a queued request that never started. */
export type CompletionStatus = 'succeeded' | 'failed' | 'cancelled' | 'timed_out' | 'rejected';

export interface CompletedVideo {
  variant: number;
  blobName: string;
  thumbnailBlobName: string | null;
  contentType: string;
  bytes: number;
  sha256: string;
}

interface CompletionBase {
  /** The same for every copy of this event (queue redelivery, webhook retries): consumers drop repeats by it. */
  eventId: string;
  /** The request (or batch) id. */
  id: string;
  correlationId: string | null;
  completedAt: string;
}

export interface RequestCompletionEvent extends CompletionBase {
  /** `{kind}.completed`: lets one queue carry both kinds. */
  type: 'request.completed';
  kind: 'request';
  status: CompletionStatus;
  /** Where the blobs are (succeeded requests): the container, and the manifest listing them. */
  container: string | null;
  manifestBlobName: string | null;
  videos: CompletedVideo[];
  error: { code: string | null; message: string; fields?: RuleViolation[] } | null;
}

/** A batch's event: how it ended and its items per outcome; each item's own event comes from its request. */
export interface BatchCompletionEvent extends CompletionBase {
  type: 'batch.completed';
  kind: 'batch';
  /** `cancelled` when a cancel stopped it, else `completed` (every item ended, whatever its outcome). */
  status: 'completed' | 'cancelled';
  total: number;
  counts: BatchCounts;
}

export type CompletionEvent = RequestCompletionEvent | BatchCompletionEvent;

/** One completion per request or batch, so its id says which. */
export function completionEventId(kind: CompletionKind, id: string): string {
  return `${kind}:${id}:completed`;
}

/** The event of a request that ran, from its result. */
export function requestCompletion(id: string, correlationId: string | null, result: VideoResult, completedAt: string): RequestCompletionEvent {
  const base = { type: 'request.completed', kind: 'request', eventId: completionEventId('request', id), id, correlationId, status: result.outcome, completedAt } as const;
  if (result.outcome === 'succeeded') {
    const { container, videos } = result.manifest;
    return {
      ...base,
      container,
      manifestBlobName: result.manifestBlobName,
      videos: videos.map((v) => ({ variant: v.variant, blobName: v.blobName, thumbnailBlobName: v.thumbnailBlobName, contentType: v.contentType, bytes: v.bytes, sha256: v.sha256 })),
      error: null,
    };
  }
  const error =
    result.outcome === 'failed'
      ? { code: result.error.code, message: result.error.message }
      : result.outcome === 'timed_out'
        ? { code: 'timed_out', message: 'The video was not ready before the deadline.' }
        : null;
  return { ...base, container: null, manifestBlobName: null, videos: [], error };
}

/** The event of a queued request refused before it started: every bad field named. */
export function requestRejection(id: string, correlationId: string | null, violations: RuleViolation[], completedAt: string): RequestCompletionEvent {
  return {
    type: 'request.completed',
    kind: 'request',
    eventId: completionEventId('request', id),
    id,
    correlationId,
    status: 'rejected',
    completedAt,
    container: null,
    manifestBlobName: null,
    videos: [],
    error: { code: 'invalid_request', message: violations.map((v) => `${v.field}: ${v.message}`).join('; '), fields: violations },
  };
}

/** The event of a batch whose items have all ended (or were cancelled before they started). */
export function batchCompletion(result: VideoBatchResult, cancelled: boolean, completedAt: string): BatchCompletionEvent {
  const { batchId: id, counts, items } = result;
  return { type: 'batch.completed', kind: 'batch', eventId: completionEventId('batch', id), id, correlationId: null, status: cancelled ? 'cancelled' : 'completed', completedAt, total: items.length, counts };
}
