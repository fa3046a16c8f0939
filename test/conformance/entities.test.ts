// Durable entities on the REAL clock, through durable-functions' own entity
// API: calls answer with the operation's result, signals do not wait, an
// entity runs one sender's operations in the order they were made, a failing
// operation reaches the caller as an error, entities signal entities, and the
// client signals and reads entities through the SDK and the HTTP API.
import * as df from 'durable-functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../src/local/host';
import { startConformanceHost } from './support/conformance-host';
import { WEBHOOK_ROOT, call, eventTypes, getStatusOverHttp, postJson } from './support/durable-http';

let host: LocalHost;

beforeAll(async () => {
  host = await startConformanceHost('entities.js');
});

afterAll(async () => {
  await host.close();
});

interface CounterState {
  value: number;
  ops: string[];
}

async function run(name: string, input: unknown): Promise<{ runtimeStatus: string; output: unknown }> {
  const id = await host.client.startNew(name, { input });
  await host.waitForIdle();
  const status = await host.client.getStatus(id);
  return { runtimeStatus: status.runtimeStatus, output: status.output };
}

async function counterState(key: string): Promise<{ entityExists: boolean; entityState: CounterState | undefined }> {
  const response = await host.client.readEntityState<CounterState>(new df.EntityId('counter', key));
  return { entityExists: response.entityExists, entityState: response.entityState };
}

describe('durable entities (real clock)', () => {
  it('answers each call with the result of its operation, on the state the previous one left', async () => {
    expect(await run('addTwice', { key: 'calls', amount: 4 })).toEqual({ runtimeStatus: 'Completed', output: { first: 4, second: 8 } });
    expect(await counterState('calls')).toEqual({ entityExists: true, entityState: { value: 8, ops: ['add:4', 'add:4'] } });
  });

  it('runs signals then a call from one orchestration in the order it made them', async () => {
    const amounts = [1, 2, 3, 4, 5];
    expect(await run('signalsThenGet', { key: 'order', amounts })).toEqual({ runtimeStatus: 'Completed', output: 15 });
    expect((await counterState('order')).entityState?.ops).toEqual(['add:1', 'add:2', 'add:3', 'add:4', 'add:5', 'get']);
  });

  it('keeps the order of signals and of calls in a Task.all made in one episode', async () => {
    expect(await run('mixedInOneEpisode', 'mixed')).toEqual({ runtimeStatus: 'Completed', output: [11, 111] });
    expect((await counterState('mixed')).entityState).toEqual({ value: 1111, ops: ['add:1', 'add:10', 'add:100', 'add:1000'] });
  });

  it('lets an orchestration that only signals complete; the signal is still delivered', async () => {
    const id = await host.client.startNew('signalOnly', { input: { key: 'fire', amount: 7 } });
    await host.waitForIdle();
    const status = await getStatusOverHttp(host.baseUrl, id, { showHistory: 'true' });
    expect([status.body?.runtimeStatus, status.body?.output]).toEqual(['Completed', 'sent']);
    expect(eventTypes(status.body?.historyEvents).filter((type) => type === 'EventSent')).toHaveLength(1);
    expect(await counterState('fire')).toEqual({ entityExists: true, entityState: { value: 7, ops: ['add:7'] } });
  });

  it('delivers the signals of every execution of an orchestration that continues as new', async () => {
    expect(await run('signalEachRound', { key: 'rounds', round: 1 })).toEqual({ runtimeStatus: 'Completed', output: 'done' });
    expect(await counterState('rounds')).toEqual({ entityExists: true, entityState: { value: 6, ops: ['add:1', 'add:2', 'add:3'] } });
  });

  it('raises a failed operation as an error in the caller, and the entity keeps working', async () => {
    expect(await run('callFailing', 'failing')).toEqual({ runtimeStatus: 'Completed', output: { caught: 'Error', after: 1 } });
    expect((await counterState('failing')).entityState).toEqual({ value: 1, ops: ['add:1'] });
  });

  it('delivers a signal an entity sends to another entity', async () => {
    expect(await run('forwardThenRead', { from: 'relay', to: 'target', amount: 9 })).toEqual({ runtimeStatus: 'Completed', output: 9 });
    expect((await counterState('relay')).entityState?.ops).toEqual(['forward:{"key":"target","amount":9}']);
  });

  it('reports an entity nobody touched as not existing', async () => {
    expect(await counterState('never')).toEqual({ entityExists: false, entityState: undefined });
  });

  it('queues client signals through the durable client in the order they were sent', async () => {
    const entity = new df.EntityId('counter', 'client');
    for (let amount = 1; amount <= 20; amount++) await host.client.signalEntity(entity, 'add', amount);
    await host.waitForIdle();
    const state = (await counterState('client')).entityState;
    expect(state?.value).toBe(210);
    expect(state?.ops).toEqual(Array.from({ length: 20 }, (_, index) => `add:${index + 1}`));
  });

  it('signals and reads an entity over the public HTTP API', async () => {
    const entityUrl = new URL(`${WEBHOOK_ROOT}/entities/counter/http`, host.baseUrl).href;
    expect((await call(entityUrl)).status).toBe(404);
    const signalled = await postJson(`${entityUrl}?op=add`, 6);
    expect(signalled.status).toBe(202);
    await host.waitForIdle();
    const read = await call<CounterState>(entityUrl);
    expect([read.status, read.body]).toEqual([200, { value: 6, ops: ['add:6'] }]);
    expect((await call(new URL(`${WEBHOOK_ROOT}/entities/counter/http`, host.baseUrl).href, { method: 'DELETE' })).status).toBe(405);
  });

  it('keeps entities out of the instance list', async () => {
    const listed = await call<{ instanceId: string }[]>(new URL(`${WEBHOOK_ROOT}/instances/`, host.baseUrl).href);
    expect(listed.body?.filter((status) => status.instanceId.startsWith('@'))).toEqual([]);
    expect((await getStatusOverHttp(host.baseUrl, '@counter@calls')).status).toBe(404);
  });
});
