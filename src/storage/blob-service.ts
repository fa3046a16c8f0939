/**
 * The video storage account, reached the way Functions bindings reach a
 * connection: a connection string (Azurite locally), or `__blobServiceUri`
 * with the managed identity in Azure.
 */
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import type { StorageConnection } from '../config';
import { azureCredential } from '../azure-credential';

export function createBlobServiceClient(connection: StorageConnection): BlobServiceClient {
  return connection.kind === 'connectionString'
    ? BlobServiceClient.fromConnectionString(connection.connectionString)
    : new BlobServiceClient(connection.blobServiceUri, azureCredential(connection.clientId));
}

const ensured = new Map<string, Promise<unknown>>();

/**
 * Creates a container once per process (infra creates them in Azure; Azurite
 * starts empty). A failed attempt is forgotten so the next call tries again.
 */
export function ensureContainer(container: ContainerClient): Promise<unknown> {
  const key = container.url;
  let creating = ensured.get(key);
  if (!creating) {
    creating = container.createIfNotExists().catch((error: unknown) => {
      ensured.delete(key);
      throw error;
    });
    ensured.set(key, creating);
  }
  return creating;
}
