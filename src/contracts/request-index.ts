/**
 * What the request index records about a request (the recording activity's
 * input): the fields a listing shows and filters on, and the revision that
 * orders one request's records however late or often they are delivered.
 */
import type { PublicStatus } from './public-status';

export interface RequestIndexEntry {
  requestId: string;
  /** When the starter accepted the request (the orchestration input's `acceptedAt`): the listing's `createdAt` and order. */
  acceptedAt: string;
  prompt: string;
  status: PublicStatus;
  /** The orchestration's time of this record. */
  updatedAt: string;
  batchId: string | null;
  /**
   * 1 for the start, one more per status change, END_REVISION for the end: a
   * record never replaces one with a higher revision, so a redelivered or
   * late record cannot undo a newer one.
   */
  revision: number;
}

/** The end record's revision: above any status change's, so nothing replaces the final status (the largest Int32 a table stores as such). */
export const END_REVISION = 2_147_483_647;

/**
 * A table string holds at most 64 KiB (32,768 UTF-16 code units) and a
 * request's prompt has no limit of ours: the index keeps its first 30,000
 * code units (GET /api/videos/{id} shows it whole).
 */
export const INDEXED_PROMPT_LENGTH = 30_000;

export function indexedPrompt(prompt: string): string {
  if (prompt.length <= INDEXED_PROMPT_LENGTH) return prompt;
  const cut = prompt.slice(0, INDEXED_PROMPT_LENGTH);
  // Never leave half of a surrogate pair at the end.
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}
