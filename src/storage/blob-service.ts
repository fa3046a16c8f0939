/**
 * The video storage account, reached the way Functions bindings reach a
 * connection: a connection string (Azurite locally), or `__blobServiceUri`
 * with the managed identity in Azure.
 */
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import type { StorageConnection } from '../config';
import { azureCredential } from '../azure-credential';
import { createOnce } from './create-once';

export function createBlobServiceClient(connection: StorageConnection): BlobServiceClient {
  return connection.kind === 'connectionString'
    ? BlobServiceClient.fromConnectionString(connection.connectionString)
    : new BlobServiceClient(connection.blobServiceUri, azureCredential(connection.clientId));
}

/** Creates the container once per process (./create-once.ts). */
export function ensureContainer(container: ContainerClient): Promise<unknown> {
  return createOnce(container.url, () => container.createIfNotExists());
}
