/**
 * The video storage account's queues, reached like its blobs: the
 * connection string (Azurite locally), or `VideoStorage__queueServiceUri`
 * with the managed identity in Azure, as the queue trigger's connection is.
 */
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import { azureCredential } from '../azure-credential';
import { ConfigError, SETTINGS, type AppConfig } from '../config';
import { createOnce } from './create-once';

export function createQueueServiceClient(config: AppConfig): QueueServiceClient {
  const { connection } = config.storage;
  if (connection.kind === 'connectionString') return QueueServiceClient.fromConnectionString(connection.connectionString);
  const uri = config.events.queueServiceUri;
  if (uri === undefined) throw new ConfigError(`${SETTINGS.videoStorageQueueServiceUri} is required with ${SETTINGS.videoStorageBlobServiceUri}: the queues of the video storage account`);
  return new QueueServiceClient(uri, azureCredential(connection.clientId));
}

/** Creates the queue once per process (./create-once.ts). */
export function ensureQueue(queue: QueueClient): Promise<unknown> {
  return createOnce(queue.url, () => queue.createIfNotExists());
}

/** Messages are base64 text, the encoding queue triggers read by default, so a Functions app can consume them as they are. */
export function encodeQueueMessage(body: unknown): string {
  return Buffer.from(JSON.stringify(body)).toString('base64');
}
