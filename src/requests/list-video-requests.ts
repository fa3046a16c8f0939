/**
 * Recent video requests, newest first, a page at a time.
 *
 * The durable client can filter by creation time and runtime status but not
 * sort, so we read the recent window (video-instances.ts), sort, and page
 * with an opaque cursor (creation time + id of the last item shown).
 */
import type { DurableClient } from 'durable-functions';
import type { PublicStatus } from '../contracts/public-status';
import { isRequestId } from '../contracts/video-request';
import { recentVideoRequests } from './video-instances';
import { summaryOf, type VideoSummary } from './video-view';

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

interface Cursor {
  createdAt: string;
  id: string;
}

export async function listVideoRequests(client: DurableClient, { status, limit, cursor }: ListQuery): Promise<ListOutcome> {
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  if (cursor !== undefined && !after) return { kind: 'bad_cursor' };

  const items = (await recentVideoRequests(client))
    .map(summaryOf)
    .filter((item) => status === undefined || item.status === status)
    .sort(newestFirst)
    .filter((item) => !after || newestFirst(item, after) > 0);
  const page = items.slice(0, limit);
  const last = page.at(-1);
  const nextCursor = items.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null;
  return { kind: 'page', items: page, nextCursor };
}

function newestFirst(a: Pick<VideoSummary, 'createdAt' | 'id'>, b: Pick<VideoSummary, 'createdAt' | 'id'>): number {
  return b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** Only what a page could have handed out: an id that passes the id rule and a creation time. */
function decodeCursor(text: string): Cursor | undefined {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor>;
    const { createdAt, id } = value;
    const valid = typeof createdAt === 'string' && !Number.isNaN(Date.parse(createdAt)) && typeof id === 'string' && isRequestId(id);
    return valid ? { createdAt, id } : undefined;
  } catch {
    return undefined;
  }
}
