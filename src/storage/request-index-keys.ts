/**
 * Keys of the request index table, chosen so that every listing is one
 * key-range scan, newest first, with no sort of our own.
 *
 * Partition: the day (UTC) the request was accepted, inverted so newer days
 * sort first — the service returns rows in partition key, then row key order.
 * A request's rows all live in its day's partition, so one entity group
 * transaction changes them together. Row keys put the view first, then the
 * inverted acceptance time and the id:
 *
 *   a|{time}|{id}              every request (the row that holds its revision)
 *   s|{status}|{time}|{id}     by public status
 *   b|{batch}|{time}|{id}      by batch
 *
 * Hot partition, the trade-off: today's partition takes every write (a few
 * per status change), and one partition serves about 2,000 entities a second.
 * Requests are bounded far lower by Sora's capacity (a few jobs at a time per
 * deployment), so that is ample; spreading writes (a hash bucket in the
 * partition key) would turn each newest-first page into a merge of several
 * scans. Day partitions keep each partition bounded, let old days move off the
 * hot partition server, and make the 7-day window a partition range.
 */
import type { PublicStatus } from '../contracts/public-status';

const DAY_MS = 86_400_000;
/** Day numbers and millisecond times are subtracted from these, zero-padded, so newer sorts first. */
const LAST_DAY = 999_999;
const LAST_MS = 999_999_999_999_999;

/** Which rows a listing reads. */
export type IndexView = { kind: 'all' } | { kind: 'status'; status: PublicStatus } | { kind: 'batch'; batchId: string };

/** A place in newest-first order: a request's acceptance time and id. */
export interface IndexPosition {
  acceptedAt: string;
  id: string;
}

export function partitionOf(acceptedAt: string): string {
  const day = Math.floor(Date.parse(acceptedAt) / DAY_MS);
  return `d${String(LAST_DAY - day).padStart(6, '0')}`;
}

/** The first row key of a view: every row of the view starts with it. */
export function viewPrefix(view: IndexView): string {
  if (view.kind === 'all') return 'a|';
  if (view.kind === 'status') return `s|${view.status}|`;
  // Ids never hold '|', but a batch id is not ours to vouch for: escape anything a row key may not hold.
  return `b|${encodeURIComponent(view.batchId)}|`;
}

/** Above every row key with `prefix` and below any other view's: the prefix ends in '|', and '}' follows '|'. */
export function viewEnd(prefix: string): string {
  return `${prefix.slice(0, -1)}}`;
}

export function rowKeyOf(view: IndexView, position: IndexPosition): string {
  return `${viewPrefix(view)}${String(LAST_MS - Date.parse(position.acceptedAt)).padStart(15, '0')}|${position.id}`;
}
