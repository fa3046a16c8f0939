// The deployment limiter entity run by the local host through the real
// durable-functions entity API: grants up to the capacity, queues the rest in
// order, hands a released slot to the first waiter, lets a waiter leave, and
// keeps its queue as entity state.
import { fileURLToPath } from 'node:url';
import * as df from 'durable-functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploymentKey } from '../../src/entities/deployment-key';
import { DEPLOYMENT_LIMITER } from '../../src/entities/deployment-limiter';
import type { SlotQueueState } from '../../src/entities/slot-queue';
import { startLocalHost, type LocalHost } from '../../src/local/host';

let host: LocalHost;

beforeAll(async () => {
  host = await startLocalHost({ entry: fileURLToPath(new URL('./apps/limiter.js', import.meta.url)), port: 0, log: () => undefined });
});

afterAll(async () => {
  await host.close();
});

const KEY = deploymentKey('videos', 'sora-2');
const LEASE = 3_600_000;

async function operation(name: 'request' | 'release', input: Record<string, unknown>): Promise<unknown> {
  const id = await host.client.startNew('callLimiter', { input: { key: KEY, operation: name, input: { capacity: 2, ...input } } });
  await host.waitForIdle();
  const status = await host.client.getStatus(id);
  expect(status.runtimeStatus).toBe('Completed');
  return status.output;
}

function request(requestId: string, now: number): Promise<unknown> {
  return operation('request', { requestId, instanceId: `instance-${requestId}`, leaseMs: LEASE, now });
}

describe('the deployment limiter entity on the local host', () => {
  it('grants two slots, queues the rest in order, and passes a released slot to the first waiter', async () => {
    expect(await request('a', 0)).toEqual({ standing: { holding: true, leaseUntil: LEASE }, holdersSince: [0], granted: [], expired: [] });
    expect(await request('b', 1)).toEqual({ standing: { holding: true, leaseUntil: 1 + LEASE }, holdersSince: [0, 1], granted: [], expired: [] });
    expect(await request('c', 2)).toEqual({ standing: { holding: false, position: 1 }, holdersSince: [0, 1], granted: [], expired: [] });
    expect(await request('d', 3)).toEqual({ standing: { holding: false, position: 2 }, holdersSince: [0, 1], granted: [], expired: [] });

    // 'c' cancels while waiting: it leaves the queue, nobody is granted.
    expect(await operation('release', { requestId: 'c', now: 4 })).toEqual({ granted: [], expired: [] });
    // 'a' finishes: its slot goes to 'd', now first in line.
    expect(await operation('release', { requestId: 'a', now: 5 })).toEqual({
      granted: [{ requestId: 'd', instanceId: 'instance-d', since: 5, leaseUntil: 5 + LEASE }],
      expired: [],
    });

    const state = await host.client.readEntityState<SlotQueueState>(new df.EntityId(DEPLOYMENT_LIMITER, KEY));
    expect(state.entityState?.holders.map((holder) => holder.requestId)).toEqual(['b', 'd']);
    expect(state.entityState?.waiters).toEqual([]);
  });

  it('refuses an operation it does not have, as an error in the caller that says why', async () => {
    const id = await host.client.startNew('callLimiter', { input: { key: KEY, operation: 'grab', input: {} } });
    await host.waitForIdle();
    const status = await host.client.getStatus(id);
    // durable-functions 3.5.0 sends an operation's error as JSON.stringify(error) and rebuilds it as Error(parsed):
    // a plain Error would arrive as "[object Object]"; the limiter's errors serialise as their message.
    expect([status.runtimeStatus, status.output]).toEqual(['Failed', "Orchestrator function 'callLimiter' failed: The deployment limiter has no operation 'grab'."]);
  });

  it('refuses a request without its input, saying what it needs', async () => {
    const id = await host.client.startNew('callLimiter', { input: { key: KEY, operation: 'request' } });
    await host.waitForIdle();
    const status = await host.client.getStatus(id);
    expect([status.runtimeStatus, status.output]).toEqual([
      'Failed',
      "Orchestrator function 'callLimiter' failed: The deployment limiter's request needs { requestId, instanceId, leaseMs, capacity, now }.",
    ]);
  });
});
