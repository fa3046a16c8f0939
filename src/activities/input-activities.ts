/**
 * Input media lifecycle: opening an input blob for the submit activity, and
 * removing a request's uploads once it has finished (the inputs container's
 * lifecycle rule is the safety net). Deleting is idempotent: a blob already
 * gone counts as deleted.
 */
import { Readable } from 'node:stream';
import type { BlobServiceClient } from '@azure/storage-blob';
import type { InputMedia } from '../contracts/orchestration';
import type { Dependencies } from '../dependencies';

/** Streams an input blob's bytes (the submit activity sends them on to Sora). */
export async function openInputBlob(blobService: BlobServiceClient, input: InputMedia): Promise<Readable> {
  const download = await blobService.getContainerClient(input.container).getBlobClient(input.blobName).download();
  const body = download.readableStreamBody;
  if (!body) throw new Error(`Input ${input.blobName} has no content`);
  return body instanceof Readable ? body : new Readable().wrap(body);
}

export function createInputActivities(deps: () => Dependencies) {
  return {
    deleteInputs: async (inputs: InputMedia[]): Promise<number> => {
      const { blobService } = deps();
      const uploads = inputs.filter((i) => i.origin === 'upload');
      await Promise.all(uploads.map((i) => blobService.getContainerClient(i.container).getBlobClient(i.blobName).deleteIfExists({ deleteSnapshots: 'include' })));
      return uploads.length;
    },
  };
}
