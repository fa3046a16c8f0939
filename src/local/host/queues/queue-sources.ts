import { QueueServiceClient } from '@azure/storage-queue';
import type { Registration } from '../core-types';
import type { QueueTriggerSource } from './queue-trigger';

/** The connection a queue trigger names by default, as in Functions. */
const DEFAULT_CONNECTION = 'AzureWebJobsStorage';

/**
 * The queues an `app.storageQueue` registration reads: `queueName` (an
 * `%AppSetting%` expression is resolved, as the host does) on the storage
 * account of its `connection` setting, and the `<queue>-poison` beside it.
 * Locally that setting must be a connection string (Azurite); identity-based
 * connections (`<connection>__queueServiceUri`) are Azure's.
 */
export function queueTriggerSource(registration: Registration, trigger: Record<string, unknown>): QueueTriggerSource {
  const name = registration.metadata.name;
  const queueName = resolveSettingExpression(typeof trigger.queueName === 'string' ? trigger.queueName : '', name).toLowerCase();
  if (queueName === '') throw new Error(`Queue trigger '${name}' names no queue.`);
  const connectionName = typeof trigger.connection === 'string' && trigger.connection !== '' ? trigger.connection : DEFAULT_CONNECTION;
  const connection = process.env[connectionName];
  if (connection === undefined || connection === '') {
    throw new Error(`Queue trigger '${name}': the app setting '${connectionName}' must hold a storage connection string for the local host.`);
  }
  const service = QueueServiceClient.fromConnectionString(connection);
  return { registration, name, queue: service.getQueueClient(queueName), poison: service.getQueueClient(`${queueName}-poison`) };
}

/** `%Name%` parts of a binding value are app settings. */
function resolveSettingExpression(value: string, functionName: string): string {
  return value.replace(/%([^%]+)%/g, (_, setting: string) => {
    const resolved = process.env[setting];
    if (resolved === undefined || resolved === '') throw new Error(`Queue trigger '${functionName}' refers to the app setting '${setting}', which is not set.`);
    return resolved;
  });
}
