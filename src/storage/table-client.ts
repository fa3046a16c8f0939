/**
 * The request index's table client, reached like the blob service: the
 * connection string (Azurite locally, which serves plain http), or the table
 * endpoint with the managed identity in Azure.
 */
import { TableClient } from '@azure/data-tables';
import type { TableConnection } from '../config';
import { azureCredential } from '../azure-credential';
import { createOnce } from './create-once';

export function createTableClient(connection: TableConnection, table: string): TableClient {
  return connection.kind === 'connectionString'
    ? TableClient.fromConnectionString(connection.connectionString, table, { allowInsecureConnection: true })
    : new TableClient(connection.tableServiceUri, table, azureCredential(connection.clientId));
}

/** Creates the table once per process (./create-once.ts); the client treats "already exists" as done. */
export function ensureTable(table: TableClient): Promise<unknown> {
  return createOnce(`${table.url}/${table.tableName}`, () => table.createTable());
}
