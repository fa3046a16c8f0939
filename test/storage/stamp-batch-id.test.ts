/**
 * The batch id written into a dropped file's metadata, against Azurite: only
 * the version that was read is stamped, the file's other metadata stays, and
 * a file already stamped is not written again (which would look like a new
 * upload to the local host's watcher).
 */
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stampBatchId } from '../../src/batch-files/stamp-batch-id';
import { startAzurite, type Azurite } from '../../src/local/azurite';

let azurite: Azurite;
let container: ContainerClient;

beforeAll(async () => {
  azurite = await startAzurite();
  container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('video-requests');
  await container.createIfNotExists();
});
afterAll(async () => {
  await azurite.close();
});

async function upload(name: string, text: string, metadata: Record<string, string> = {}): Promise<string> {
  const { etag } = await container.getBlockBlobClient(name).upload(text, text.length, { metadata });
  return etag ?? '';
}

async function metadataOf(name: string): Promise<Record<string, string> | undefined> {
  return (await container.getBlobClient(name).getProperties()).metadata;
}

describe('stampBatchId', () => {
  it('stamps the version it read, keeping its other metadata', async () => {
    const etag = await upload('a.jsonl', '{}', { team: 'video' });
    expect(await stampBatchId({ container, blobName: 'a.jsonl', etag, metadata: { team: 'video' } }, 'a-123')).toBe('stamped');
    expect(await metadataOf('a.jsonl')).toEqual({ team: 'video', batchid: 'a-123' });
  });

  it('leaves a newer upload under the same name alone', async () => {
    const read = await upload('b.jsonl', 'old');
    await upload('b.jsonl', 'new');
    expect(await stampBatchId({ container, blobName: 'b.jsonl', etag: read, metadata: {} }, 'b-old')).toBe('changed');
    expect(await metadataOf('b.jsonl')).toEqual({});
  });

  it('does not write a file already stamped with the id, nor one delivered without its etag', async () => {
    const etag = await upload('c.jsonl', '{}', { batchid: 'c-1' });
    expect(await stampBatchId({ container, blobName: 'c.jsonl', etag, metadata: { batchid: 'c-1' } }, 'c-1')).toBe('already');
    expect((await container.getBlobClient('c.jsonl').getProperties()).etag).toBe(etag);
    expect(await stampBatchId({ container, blobName: 'c.jsonl', etag: undefined, metadata: {} }, 'c-2')).toBe('no_etag');
  });
});
