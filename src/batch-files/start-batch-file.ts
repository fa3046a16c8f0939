/**
 * The blob-created trigger on the batch files container: a JSON Lines file
 * dropped there starts a batch through the same start as POST /api/batches.
 * Unlike the API, a file cannot be answered with a 400, so bad lines are kept
 * as rejected items (reported in the batch's counts and result) and the good
 * ones run; a file that cannot be read at all starts a batch with no items
 * whose `problems` say why. The same file again starts nothing new. The
 * batch id is written into the file's metadata (`batchid`) for the pipeline
 * that dropped it. A transient failure throws, so the host delivers the event
 * again.
 */
import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { Dependencies } from '../dependencies';
import { BATCH_FILES_CONTAINER } from '../names';
import { settleBatchItems } from '../requests/settle-batch-items';
import { existingBatch, fingerprintOf, startBatchRequest } from '../requests/start-batch-request';
import { batchIdOfFile } from './batch-file-id';
import { readBatchFile } from './read-batch-file';
import { stampBatchId, type DroppedFile } from './stamp-batch-id';

/** Only these start batches; in Azure the Event Grid subscription sends no other (infra/). */
const BATCH_FILE_SUFFIX = '.jsonl';

export function createStartBatchFile(deps: () => Dependencies) {
  return async (content: unknown, context: InvocationContext): Promise<void> => {
    const blobName = context.triggerMetadata?.name;
    if (typeof blobName !== 'string' || blobName === '') throw new Error('The blob trigger gave no blob name ({name} in its path).');
    if (!blobName.toLowerCase().endsWith(BATCH_FILE_SUFFIX)) {
      context.log(`Ignored ${BATCH_FILES_CONTAINER}/${blobName}: only ${BATCH_FILE_SUFFIX} files start batches.`);
      return;
    }
    const bytes = contentBytes(content);
    const sha256 = fingerprintOf(bytes);
    const batchId = batchIdOfFile(blobName, sha256);
    const client = df.getClient(context);
    const dependencies = deps();
    const file = droppedFile(dependencies, blobName, context);
    if (await existingBatch(client, batchId, sha256)) {
      context.log(`${BATCH_FILES_CONTAINER}/${blobName} is batch ${batchId}, started before: nothing new.`);
      await stampBatchId(file, batchId);
      return;
    }
    const read = readBatchFile(bytes);
    const acceptedAt = new Date();
    const items = read.ok ? await settleBatchItems(dependencies, batchId, read.drafts, acceptedAt) : [];
    const source = { kind: 'blob', container: BATCH_FILES_CONTAINER, blobName, sha256 } as const;
    await startBatchRequest(dependencies, client, { batchId, source, fingerprint: sha256, problems: read.ok ? [] : read.problems, items, acceptedAt }, (message) => {
      context.log(`${message} from ${BATCH_FILES_CONTAINER}/${blobName}`);
    });
    await stampBatchId(file, batchId);
    if (!read.ok) context.warn(`${BATCH_FILES_CONTAINER}/${blobName} could not be read: ${read.problems.map((p) => p.message).join('; ')}`);
  };
}

/** The delivered version of the file: its etag and metadata come with the trigger (`properties`, `metadata`). */
function droppedFile(deps: Dependencies, blobName: string, context: InvocationContext): DroppedFile {
  const meta = context.triggerMetadata ?? {};
  const properties = (meta.properties ?? {}) as { eTag?: unknown };
  const metadata = (meta.metadata ?? {}) as Record<string, string>;
  const etag = typeof properties.eTag === 'string' ? properties.eTag : undefined;
  return { container: deps.blobService.getContainerClient(BATCH_FILES_CONTAINER), blobName, etag, metadata };
}

/** The worker hands blob content over as bytes; text is taken as UTF-8. */
function contentBytes(content: unknown): Buffer {
  if (Buffer.isBuffer(content)) return content;
  if (content instanceof Uint8Array) return Buffer.from(content);
  if (typeof content === 'string') return Buffer.from(content, 'utf8');
  throw new Error(`The blob trigger gave its content as ${typeof content}, not bytes.`);
}
