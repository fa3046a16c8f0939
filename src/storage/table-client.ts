/**
 * The request index's table client, reached like the blob service: the
 * connection string (Azurite locally, which serves plain http), or the table
 * endpoint with the managed identity in Azure.
 */
import { TableClient } from '@azure/data-tables';
import type { TableConnection } from '../config';
import { azureCredential } from '../azure-credential';

export function createTableClient(connection: TableConnection, table: string): TableClient {
  return connection.kind === 'connectionString'
    ? TableClient.fromConnectionString(connection.connectionString, table, { allowInsecureConnection: true })
    : new TableClient(connection.tableServiceUri, table, azureCredential(connection.clientId));
}

const ensured = new Map<string, Promise<unknown>>();

/**
 * Creates the table once per process (infra creates it in Azure; Azurite
 * starts empty); the client treats "already exists" as done. A failed attempt
 * is forgotten so the next call tries again.
 */
export function ensureTable(table: TableClient): Promise<unknown> {
  const key = `${table.url}/${table.tableName}`;
  let creating = ensured.get(key);
  if (!creating) {
    creating = table.createTable().catch((error: unknown) => {
      ensured.delete(key);
      throw error;
    });
    ensured.set(key, creating);
  }
  return creating;
}
