/**
 * The request index: one table of what listing shows, written when a request
 * starts, changes status and ends (by activities), read a page at a time
 * (keys: ./request-index-keys.ts).
 *
 * Writes are idempotent and ordered by revision: a record is applied only
 * over a lower revision, in one transaction with an ETag condition on the
 * request's row, so a redelivered activity changes nothing and a late start
 * never replaces an end.
 */
import { odata, RestError, type TableClient, type TransactionAction } from '@azure/data-tables';
import type { PublicStatus } from '../contracts/public-status';
import type { RequestIndexEntry } from '../contracts/request-index';
import { partitionOf, rowKeyOf, viewEnd, viewPrefix, type IndexPosition, type IndexView } from './request-index-keys';

/** What each of a request's rows holds. Tables store no null: no batch is an empty string. */
interface IndexRow {
  id: string;
  status: PublicStatus;
  prompt: string;
  acceptedAt: string;
  updatedAt: string;
  batchId: string;
  revision: number;
}

/** A request as the index knows it. */
export interface IndexedRequest {
  id: string;
  status: PublicStatus;
  prompt: string;
  acceptedAt: string;
  updatedAt: string;
  batchId: string | null;
}

export type RecordOutcome = 'recorded' | 'superseded';

/**
 * A writer that loses a race reads again and retries. Each race is won by a
 * higher revision than the last, so a writer loses at most as many races as
 * there are status changes in between (a redelivery beside its original, in
 * practice); more than this means something else is wrong.
 */
const MAX_RACES = 10;

/** Applies `entry` unless the index already holds this request at the same or a higher revision. */
export async function recordRequest(table: TableClient, entry: RequestIndexEntry): Promise<RecordOutcome> {
  const partitionKey = partitionOf(entry.acceptedAt);
  const position: IndexPosition = { acceptedAt: entry.acceptedAt, id: entry.requestId };
  const rowKey = rowKeyOf({ kind: 'all' }, position);
  const row: IndexRow = {
    id: entry.requestId,
    status: entry.status,
    prompt: entry.prompt,
    acceptedAt: entry.acceptedAt,
    updatedAt: entry.updatedAt,
    batchId: entry.batchId ?? '',
    revision: entry.revision,
  };
  const rowAt = (view: IndexView) => ({ partitionKey, rowKey: rowKeyOf(view, position), ...row });

  for (let race = 1; ; race++) {
    const current = await readRow(table, partitionKey, rowKey);
    if (current && current.revision >= entry.revision) return 'superseded';
    const actions: TransactionAction[] = [
      current ? ['update', { partitionKey, rowKey, ...row }, 'Replace', { etag: current.etag }] : ['create', { partitionKey, rowKey, ...row }],
      ['upsert', rowAt({ kind: 'status', status: entry.status }), 'Replace'],
    ];
    if (current && current.status !== entry.status) actions.push(['delete', { partitionKey, rowKey: rowKeyOf({ kind: 'status', status: current.status }, position) }]);
    if (entry.batchId !== null) actions.push(['upsert', rowAt({ kind: 'batch', batchId: entry.batchId }), 'Replace']);
    try {
      await table.submitTransaction(actions);
      return 'recorded';
    } catch (error) {
      // 409: another writer created the row first; 412: it changed since we read it. Read again and decide again.
      const lostRace = error instanceof RestError && (error.statusCode === 409 || error.statusCode === 412);
      if (!lostRace || race >= MAX_RACES) throw error;
    }
  }
}

async function readRow(table: TableClient, partitionKey: string, rowKey: string): Promise<(IndexRow & { etag: string }) | undefined> {
  try {
    return await table.getEntity<IndexRow>(partitionKey, rowKey);
  } catch (error) {
    if (error instanceof RestError && error.statusCode === 404) return undefined;
    throw error;
  }
}

export interface IndexQuery {
  view: IndexView;
  limit: number;
  /** Continue after this request (the last one of the previous page). */
  after?: IndexPosition;
  /** Only requests accepted at or after this time. */
  since: Date;
}

export interface IndexPage {
  items: IndexedRequest[];
  /** Where the next page starts after; null when this page is the last. */
  next: IndexPosition | null;
}

/** One page of a view, newest first: a key-range scan that stops one row past `limit` to know whether more follow. */
export async function readIndex(table: TableClient, { view, limit, after, since }: IndexQuery): Promise<IndexPage> {
  const prefix = viewPrefix(view);
  const sinceIso = since.toISOString();
  // Partitions sort newest first, so the window's oldest day is the upper bound of the partition range.
  let filter = odata`PartitionKey le ${partitionOf(sinceIso)} and RowKey ge ${prefix} and RowKey lt ${viewEnd(prefix)} and acceptedAt ge ${sinceIso}`;
  if (after) {
    const partitionKey = partitionOf(after.acceptedAt);
    filter += ` and (${odata`(PartitionKey eq ${partitionKey} and RowKey gt ${rowKeyOf(view, after)}) or PartitionKey gt ${partitionKey}`})`;
  }
  const rows: IndexRow[] = [];
  const pages = table.listEntities<IndexRow>({ queryOptions: { filter } }).byPage({ maxPageSize: Math.min(limit + 1, 1000) });
  for await (const page of pages) {
    rows.push(...page);
    if (rows.length > limit) break;
  }
  const items = rows.slice(0, limit).map(indexedRequestOf);
  const last = items.at(-1);
  return { items, next: rows.length > limit && last ? { acceptedAt: last.acceptedAt, id: last.id } : null };
}

function indexedRequestOf(row: IndexRow): IndexedRequest {
  return { id: row.id, status: row.status, prompt: row.prompt, acceptedAt: row.acceptedAt, updatedAt: row.updatedAt, batchId: row.batchId === '' ? null : row.batchId };
}
