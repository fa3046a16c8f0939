/**
 * Writes the batch id into the dropped file's metadata (`batchid`), so a
 * pipeline finds its batch with `az storage blob metadata show` instead of
 * computing the id. Only the version that was read is stamped (If-Match on
 * its etag): a newer upload under the same name is its own batch. Setting
 * metadata raises no blob-created event in Azure; a file already stamped with
 * this id is left alone, so a host that sees the change as an upload (the
 * local host's watcher cannot tell) delivers it once more and nothing else.
 */
import type { ContainerClient } from '@azure/storage-blob';

export const BATCH_ID_METADATA = 'batchid';

export interface DroppedFile {
  container: ContainerClient;
  blobName: string;
  /** The etag of the version the trigger delivered; without it nothing is stamped. */
  etag: string | undefined;
  /** Its metadata as delivered (kept: setting metadata replaces all of it). */
  metadata: Record<string, string>;
}

export type StampOutcome = 'stamped' | 'already' | 'changed' | 'no_etag';

export async function stampBatchId(file: DroppedFile, batchId: string): Promise<StampOutcome> {
  if (file.metadata[BATCH_ID_METADATA] === batchId) return 'already';
  if (file.etag === undefined) return 'no_etag';
  try {
    await file.container.getBlobClient(file.blobName).setMetadata({ ...file.metadata, [BATCH_ID_METADATA]: batchId }, { conditions: { ifMatch: file.etag } });
    return 'stamped';
  } catch (error) {
    // 412: uploaded again (or removed) since it was read; that version gets its own delivery.
    const status = (error as { statusCode?: unknown }).statusCode;
    if (status === 412 || status === 404) return 'changed';
    throw error;
  }
}
