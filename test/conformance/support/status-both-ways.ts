import { expect } from 'vitest';
import type { LocalHost } from '../../../src/local/host';
import { getStatusOverHttp } from './durable-http';

export interface BothWaysStatus {
  runtimeStatus: string;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  /** What GET instances/{id} on the public HTTP API answered (200, 202 …). */
  httpStatus: number;
}

/**
 * Reads an instance's status through the real DurableClient and through the
 * public HTTP API, checks that both say the same, and returns it.
 */
export async function statusBothWays(host: LocalHost, instanceId: string): Promise<BothWaysStatus> {
  const viaClient = await host.client.getStatus(instanceId);
  const viaHttp = await getStatusOverHttp(host.baseUrl, instanceId);
  expect(viaHttp.body).toMatchObject({
    instanceId,
    name: viaClient.name,
    runtimeStatus: viaClient.runtimeStatus,
  });
  expect(viaHttp.body?.output).toEqual(viaClient.output);
  expect(viaHttp.body?.input).toEqual(viaClient.input);
  expect(viaHttp.body?.customStatus).toEqual(viaClient.customStatus);
  return {
    runtimeStatus: viaClient.runtimeStatus,
    input: viaClient.input,
    output: viaClient.output,
    customStatus: viaClient.customStatus,
    httpStatus: viaHttp.status,
  };
}
