/**
 * GET /api/videos?status=&limit=&cursor= — recent requests, newest first.
 *
 * The durable client can filter by creation time and runtime status but not
 * sort, so we read the recent window (instances.ts), sort, and page with an
 * opaque cursor (creation time + id of the last item shown).
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import { PUBLIC_STATUSES } from '../contracts/public-status';
import { checkRules } from '../contracts/validation';
import { recentVideoRequests } from './instances';
import { validationProblem } from './problem';
import { summaryOf, type VideoSummary } from './video-view';

const query = z.object({
  status: z.enum(PUBLIC_STATUSES, `must be one of ${PUBLIC_STATUSES.join(', ')}`).optional(),
  limit: z.coerce.number<string>('must be a number').int('must be a whole number').min(1, 'must be between 1 and 100').max(100, 'must be between 1 and 100').default(20),
  cursor: z.string().optional(),
});

interface Cursor {
  createdAt: string;
  id: string;
}

export function createListVideos() {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const parsed = checkRules(query, Object.fromEntries(request.query.entries()));
    if (!parsed.ok) return validationProblem(parsed.violations);
    const { status, limit, cursor } = parsed.value;
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    if (cursor !== undefined && !after) return validationProblem([{ field: 'cursor', message: 'is not a cursor this API returned' }]);

    const items = (await recentVideoRequests(df.getClient(context)))
      .map(summaryOf)
      .filter((item) => status === undefined || item.status === status)
      .sort(newestFirst)
      .filter((item) => !after || newestFirst(item, after) > 0);
    const page = items.slice(0, limit);
    const last = page.at(-1);
    const nextCursor = items.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null;
    return { status: 200, headers: { 'cache-control': 'no-store' }, jsonBody: { items: page, nextCursor } };
  };
}

function newestFirst(a: Pick<VideoSummary, 'createdAt' | 'id'>, b: Pick<VideoSummary, 'createdAt' | 'id'>): number {
  return b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string): Cursor | undefined {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor>;
    return typeof value.createdAt === 'string' && typeof value.id === 'string' ? { createdAt: value.createdAt, id: value.id } : undefined;
  } catch {
    return undefined;
  }
}
