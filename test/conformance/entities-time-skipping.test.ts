// Durable entities with TIME SKIPPING: an entity's batch counts as work in
// flight, so the clock never jumps to a timer while a call is unanswered, and
// a call made after a day-long timer runs once the day is skipped.
import * as df from 'durable-functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../src/local/host';
import { startConformanceHost } from './support/conformance-host';

let host: LocalHost;

beforeAll(async () => {
  host = await startConformanceHost('entities.js', { timeSkipping: true });
});

afterAll(async () => {
  await host.close();
});

const DAY = 24 * 60 * 60 * 1000;

describe('durable entities (time skipping)', () => {
  it('calls an entity after a day-long timer, the day skipped', async () => {
    const startedAt = host.clock.now();
    const id = await host.client.startNew('dayThenCall', { input: 'skip' });
    await host.waitForIdle();
    const status = await host.client.getStatus(id);
    const output = status.output as { value: number; at: string };
    expect([status.runtimeStatus, output.value]).toEqual(['Completed', 10]);
    expect(Date.parse(output.at) - startedAt).toBeGreaterThanOrEqual(DAY);
    const state = await host.client.readEntityState<{ value: number; ops: string[] }>(new df.EntityId('counter', 'skip'));
    expect(state.entityState).toEqual({ value: 10, ops: ['add:10'] });
  });

  it('answers a call raced against an hour before the hour is skipped to', async () => {
    await host.client.signalEntity(new df.EntityId('counter', 'race'), 'add', 3);
    const startedAt = host.clock.now();
    const id = await host.client.startNew('callOrTimeout', { input: 'race' });
    await host.waitForIdle();
    const status = await host.client.getStatus(id);
    expect([status.runtimeStatus, status.output]).toEqual(['Completed', { winner: 'entity', value: 3 }]);
    // The cancelled hour was never skipped to.
    expect(host.clock.now() - startedAt).toBeLessThan(60 * 60 * 1000);
  });
});
