/**
 * One batch as a client reads it: counts per state (from the batch's own
 * custom status, or its result once it ended) and one page of its items. The
 * item ids are known from the batch input, so only the page's requests are
 * looked up — never a scan of the task hub.
 */
import { OrchestrationRuntimeStatus, type DurableClient, type DurableOrchestrationStatus } from 'durable-functions';
import { emptyCounts, type BatchCounts, type BatchItemInput, type BatchSource, type VideoBatchInput, type VideoBatchProgress, type VideoBatchResult } from '../contracts/batch';
import type { PublicStatus } from '../contracts/public-status';
import type { RuleViolation } from '../contracts/validation';
import { findBatch } from './batch-instances';
import { findVideoRequest } from './video-instances';
import { linksOf, publicStatusOf } from './video-view';

/** `running` until every item has ended; then `completed`, or `cancelled` when a cancel stopped it; `failed` if the batch itself broke. */
export type BatchStatus = 'pending' | 'running' | 'completed' | 'cancelled' | 'failed';

export interface BatchItemView {
  item: number;
  id: string;
  /** The request's public status; `rejected` for an item that never started because its input was bad. */
  status: PublicStatus | 'rejected';
  errors?: RuleViolation[];
  error?: { code: string | null; message: string };
  /** Absent for a rejected item: there is no request to read. */
  links?: { self: string };
}

export interface BatchView {
  id: string;
  status: BatchStatus;
  createdAt: string;
  updatedAt: string;
  source: BatchSource;
  total: number;
  counts: BatchCounts;
  cancelRequested: boolean;
  /** A dropped file that could not be read at all: why. */
  problems: RuleViolation[];
  items: BatchItemView[];
  nextCursor: string | null;
  links: { self: string; cancel: string };
}

export interface BatchPageQuery {
  limit: number;
  cursor?: string;
}

export type ReadBatchOutcome = { kind: 'batch'; view: BatchView } | { kind: 'not_found' } | { kind: 'bad_cursor' };

export function batchLinksOf(id: string): BatchView['links'] {
  const self = `/api/batches/${encodeURIComponent(id)}`;
  return { self, cancel: `${self}/cancel` };
}

export async function readBatchRequest(client: DurableClient, id: string, query: BatchPageQuery): Promise<ReadBatchOutcome> {
  const instance = await findBatch(client, id);
  if (!instance) return { kind: 'not_found' };
  const input = instance.input as VideoBatchInput;
  const start = query.cursor === undefined ? 0 : decodeCursor(query.cursor, input.items.length);
  if (start === undefined) return { kind: 'bad_cursor' };
  const page = input.items.slice(start, start + query.limit);
  const end = start + page.length;
  const result = finishedResult(instance);
  const progress = instance.customStatus as VideoBatchProgress | null | undefined;
  const counts = result?.counts ?? progress?.counts ?? pendingCounts(input);
  return {
    kind: 'batch',
    view: {
      id,
      status: batchStatusOf(instance, progress),
      createdAt: isoTime(instance.createdTime),
      updatedAt: isoTime(instance.lastUpdatedTime),
      source: input.source,
      total: input.items.length,
      counts,
      cancelRequested: progress?.cancelRequested ?? false,
      problems: input.problems,
      items: await Promise.all(page.map((item) => itemView(client, item, result))),
      nextCursor: end < input.items.length ? encodeCursor(end) : null,
      links: batchLinksOf(id),
    },
  };
}

function batchStatusOf(instance: DurableOrchestrationStatus, progress: VideoBatchProgress | null | undefined): BatchStatus {
  switch (instance.runtimeStatus) {
    case OrchestrationRuntimeStatus.Pending:
      return 'pending';
    case OrchestrationRuntimeStatus.Completed:
      return progress?.cancelRequested ? 'cancelled' : 'completed';
    case OrchestrationRuntimeStatus.Failed:
      return 'failed';
    case OrchestrationRuntimeStatus.Terminated:
    case OrchestrationRuntimeStatus.Canceled:
      return 'cancelled';
    default:
      return 'running';
  }
}

function finishedResult(instance: DurableOrchestrationStatus): VideoBatchResult | undefined {
  return instance.runtimeStatus === OrchestrationRuntimeStatus.Completed ? (instance.output as VideoBatchResult) : undefined;
}

/** Before the orchestrator's first episode: every good item pending, the bad ones rejected. */
function pendingCounts(input: VideoBatchInput): BatchCounts {
  const counts = emptyCounts();
  for (const item of input.items) counts['rejected' in item ? 'rejected' : 'pending']++;
  return counts;
}

async function itemView(client: DurableClient, item: BatchItemInput, result: VideoBatchResult | undefined): Promise<BatchItemView> {
  const base = { item: item.item, id: item.requestId };
  if ('rejected' in item) return { ...base, status: 'rejected', errors: item.rejected };
  const links = { self: linksOf(item.requestId).self };
  const ended = result?.items.find((i) => i.item === item.item);
  if (ended && !ended.started) return { ...base, status: ended.outcome, links };
  // A request not started yet has no instance: it is pending in the batch.
  const request = await findVideoRequest(client, item.requestId);
  if (!request) return { ...base, status: 'pending', links };
  const status = publicStatusOf(request);
  const error = ended?.error;
  return { ...base, status, ...(error ? { error } : {}), links };
}

/** Cursors are opaque to clients: the position of the next item, checked against the batch. */
function encodeCursor(position: number): string {
  return Buffer.from(JSON.stringify({ position })).toString('base64url');
}

function decodeCursor(text: string, total: number): number | undefined {
  try {
    const { position } = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { position?: unknown };
    return Number.isInteger(position) && (position as number) > 0 && (position as number) < total ? (position as number) : undefined;
  } catch {
    return undefined;
  }
}

function isoTime(value: Date | string): string {
  return new Date(value).toISOString();
}
