/**
 * The batch id of a dropped file: readable (its name, cut to what the id rule
 * allows) and decided by its name *and content* — a re-upload of the same
 * bytes, or a redelivered event, names the batch that already ran and starts
 * nothing; a changed file under the same name is a new batch. (The etag would
 * change with every upload, even of the same bytes.)
 */
import { createHash } from 'node:crypto';
import { MAX_BATCH_ID_LENGTH } from '../contracts/batch';

/** Hex digits of the name-and-content hash in the id: 60 bits, ample for one container's files. */
const HASH_DIGITS = 15;
const STEM_LENGTH = MAX_BATCH_ID_LENGTH - HASH_DIGITS - 1;

export function batchIdOfFile(blobName: string, contentSha256: string): string {
  const stem =
    blobName
      .replace(/\.jsonl$/i, '')
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^[^A-Za-z0-9]+/, '')
      .slice(0, STEM_LENGTH)
      .replace(/[-_]+$/, '') || 'file';
  const hash = createHash('sha256').update(`${blobName}\n${contentSha256}`).digest('hex').slice(0, HASH_DIGITS);
  return `${stem}-${hash}`;
}
