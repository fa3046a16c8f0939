/**
 * Recent video requests, newest first, a page at a time, read from the
 * request index (storage/request-index.ts) — never from the task hub, whose
 * instances the durable client can only list whole. The cursor is opaque to
 * clients: the acceptance time and id of the last item shown.
 */
import type { TableClient } from '@azure/data-tables';
import type { PublicStatus } from '../contracts/public-status';
import { isRequestId } from '../contracts/video-request';
import type { IndexPosition, IndexView } from '../storage/request-index-keys';
import { readIndex, type IndexedRequest } from '../storage/request-index';
import { ensureTable } from '../storage/table-client';
import { RECENT_WINDOW_DAYS } from './video-instances';
import { linksOf, type VideoSummary } from './video-view';

export interface ListQuery {
  status?: PublicStatus;
  limit: number;
  /** A `nextCursor` from an earlier page. */
  cursor?: string;
}

export type ListOutcome =
  | { kind: 'page'; items: VideoSummary[]; nextCursor: string | null }
  // The cursor is not one a page handed out.
  | { kind: 'bad_cursor' };

export async function listVideoRequests(index: TableClient, { status, limit, cursor }: ListQuery, now = new Date()): Promise<ListOutcome> {
  return listView(index, status === undefined ? { kind: 'all' } : { kind: 'status', status }, limit, cursor, now);
}

/** The requests of one batch, newest first, a page at a time (the same cursors). */
export async function listBatchRequests(index: TableClient, batchId: string, { limit, cursor }: Omit<ListQuery, 'status'>, now = new Date()): Promise<ListOutcome> {
  return listView(index, { kind: 'batch', batchId }, limit, cursor, now);
}

async function listView(index: TableClient, view: IndexView, limit: number, cursor: string | undefined, now: Date): Promise<ListOutcome> {
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  if (cursor !== undefined && !after) return { kind: 'bad_cursor' };
  await ensureTable(index);
  const since = new Date(now.getTime() - RECENT_WINDOW_DAYS * 86_400_000);
  const page = await readIndex(index, { view, limit, since, ...(after ? { after } : {}) });
  return { kind: 'page', items: page.items.map(summaryOf), nextCursor: page.next ? encodeCursor(page.next) : null };
}

function summaryOf(request: IndexedRequest): VideoSummary {
  return { id: request.id, status: request.status, prompt: request.prompt, createdAt: request.acceptedAt, updatedAt: request.updatedAt, links: linksOf(request.id) };
}

interface Cursor {
  createdAt: string;
  id: string;
}

function encodeCursor(position: IndexPosition): string {
  const cursor: Cursor = { createdAt: position.acceptedAt, id: position.id };
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** Only what a page could have handed out: an id that passes the id rule and a time in ISO form. */
function decodeCursor(text: string): IndexPosition | undefined {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor> | null;
    const createdAt = value?.createdAt;
    const id = value?.id;
    if (typeof createdAt !== 'string' || typeof id !== 'string' || !isRequestId(id)) return undefined;
    const time = Date.parse(createdAt);
    return !Number.isNaN(time) && new Date(time).toISOString() === createdAt ? { acceptedAt: createdAt, id } : undefined;
  } catch {
    return undefined;
  }
}
