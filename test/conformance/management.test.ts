// Conformance of the durable client's management calls on the local host:
// getStatus options, getStatusBy/getStatusAll filters and paging, purge.
import * as df from 'durable-functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../src/local/host';
import { startConformanceHost } from './support/conformance-host';
import { WEBHOOK_ROOT, call, eventTypes, getStatusOverHttp, type StatusPayload } from './support/durable-http';
import { statusBothWays } from './support/status-both-ways';

let host: LocalHost;

beforeAll(async () => {
  host = await startConformanceHost('management.js', { timeSkipping: true });
});

afterAll(async () => {
  await host.close();
});

async function startAll(name: string, inputs: unknown[]): Promise<string[]> {
  const ids = await Promise.all(inputs.map((input) => host.client.startNew(name, { input })));
  await host.waitForIdle();
  return ids;
}

function idsOf(statuses: readonly { instanceId: string }[], among: readonly string[]): string[] {
  return statuses.map((status) => status.instanceId).filter((id) => among.includes(id)).sort();
}

/** Reads every page of GET instances?{query} by following x-ms-continuation-token. */
async function listAllPages(query: string): Promise<StatusPayload[][]> {
  const pages: StatusPayload[][] = [];
  let token: string | null = null;
  do {
    const headers: Record<string, string> = token === null ? {} : { 'x-ms-continuation-token': token };
    const page = await call<StatusPayload[]>(new URL(`${WEBHOOK_ROOT}/instances?${query}`, host.baseUrl).href, { headers });
    expect(page.status).toBe(200);
    pages.push(page.body ?? []);
    token = page.headers.get('x-ms-continuation-token') || null;
  } while (token !== null && pages.length < 50);
  return pages;
}

describe('getStatus options', () => {
  it('shows history, history output and input as the HTTP API documents', async () => {
    const [id = ''] = await startAll('echo', [{ name: 'Ada' }]);

    const plain = await getStatusOverHttp(host.baseUrl, id);
    expect(plain.body?.historyEvents ?? null).toBeNull();
    expect(plain.body?.createdTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const withHistory = await getStatusOverHttp(host.baseUrl, id, { showHistory: 'true' });
    const events = withHistory.body?.historyEvents ?? [];
    expect(eventTypes(events)).toEqual(['ExecutionStarted', 'TaskCompleted', 'ExecutionCompleted']);
    expect(events[0]).toMatchObject({ FunctionName: 'echo' });
    expect(events[1]).toMatchObject({ FunctionName: 'hello' });
    expect(events[1]).toHaveProperty('ScheduledTime');
    expect(events.some((event) => 'Result' in event)).toBe(false);
    // The extension trims its internal bookkeeping from what it shows.
    for (const event of events) {
      expect(event).not.toHaveProperty('EventId');
      expect(event).not.toHaveProperty('IsPlayed');
    }
    expect(events[0]).not.toHaveProperty('OrchestrationInstance');
    expect(events[1]).not.toHaveProperty('TaskScheduledId');

    const withOutput = await getStatusOverHttp(host.baseUrl, id, { showHistory: 'true', showHistoryOutput: 'true' });
    const [, completedTask, completedExecution] = withOutput.body?.historyEvents ?? [];
    expect(completedTask?.Result).toBe('Hello Ada');
    expect(completedExecution).toMatchObject({
      OrchestrationStatus: 'Completed',
      Result: { greeting: 'Hello Ada', input: { name: 'Ada' } },
    });

    const withoutInput = await getStatusOverHttp(host.baseUrl, id, { showInput: 'false' });
    expect(withoutInput.body?.input).toBeNull();
    expect(withoutInput.body?.output).toEqual({ greeting: 'Hello Ada', input: { name: 'Ada' } });

    const viaClient = await host.client.getStatus(id, { showHistory: true, showHistoryOutput: true, showInput: true });
    expect(viaClient).toMatchObject({
      name: 'echo',
      instanceId: id,
      runtimeStatus: df.OrchestrationRuntimeStatus.Completed,
      input: { name: 'Ada' },
      output: { greeting: 'Hello Ada', input: { name: 'Ada' } },
    });
    expect(viaClient.createdTime).toBeInstanceOf(Date);
  });

  it('rejects getStatus of an unknown instance (HTTP 404)', async () => {
    await expect(host.client.getStatus('no-such-instance')).rejects.toThrow(/404/);
    expect((await getStatusOverHttp(host.baseUrl, 'no-such-instance')).status).toBe(404);
  });
});

describe('getStatusBy / getStatusAll', () => {
  it('filters by creation time and runtime status, and pages with top + continuation token', async () => {
    const early = await startAll('echo', [{ name: 'early 1' }, { name: 'early 2' }]);
    // A one-hour timer moves the (virtual) clock on, so creation times differ clearly.
    const [sleeper = ''] = await startAll('sleeper', [null]);
    expect((await host.client.getStatus(sleeper)).runtimeStatus).toBe('Completed');
    const boundary = new Date(host.clock.now());
    const batchDone = await startAll('echo', [{ name: 'late 1' }, { name: 'late 2' }]);
    const batchWaiting = await startAll('waiter', [null, null]);
    const batch = [...batchDone, ...batchWaiting].sort();
    const ours = [...early, sleeper, ...batch];

    expect(idsOf(await host.client.getStatusAll(), ours)).toEqual([...ours].sort());
    expect(idsOf(await host.client.getStatusBy({ createdTimeFrom: boundary }), ours)).toEqual(batch);
    const beforeTheHourPassed = new Date(boundary.getTime() - 60_000);
    expect(idsOf(await host.client.getStatusBy({ createdTimeTo: beforeTheHourPassed }), ours)).toEqual(
      [...early, sleeper].sort(),
    );
    expect(
      idsOf(await host.client.getStatusBy({ runtimeStatus: [df.OrchestrationRuntimeStatus.Running] }), ours),
    ).toEqual([...batchWaiting].sort());
    expect(
      idsOf(
        await host.client.getStatusBy({
          createdTimeFrom: boundary,
          runtimeStatus: [df.OrchestrationRuntimeStatus.Completed],
        }),
        ours,
      ),
    ).toEqual([...batchDone].sort());

    expect(
      idsOf(
        await host.client.getStatusBy({
          createdTimeFrom: boundary,
          runtimeStatus: [df.OrchestrationRuntimeStatus.Running, df.OrchestrationRuntimeStatus.Completed],
        }),
        ours,
      ),
    ).toEqual(batch);

    const running = await listAllPages('runtimeStatus=Running');
    expect(idsOf(running.flat(), ours)).toEqual([...batchWaiting].sort());

    const pages = await listAllPages('top=2');
    const listed = pages.flat().map((status) => status.instanceId);
    expect(pages.every((page) => page.length <= 2)).toBe(true);
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed).toEqual(expect.arrayContaining(ours));
    expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(ours.length / 2));
  });
});

describe('listing over the HTTP API', () => {
  it('filters by instance id prefix and leaves inputs out on request', async () => {
    const prefixed = ['prefix-a-1', 'prefix-a-2'];
    await Promise.all(
      [...prefixed, 'prefix-b-1'].map((instanceId) =>
        host.client.startNew('echo', { instanceId, input: { name: instanceId } }),
      ),
    );
    await host.waitForIdle();

    const listed = (await listAllPages('instanceIdPrefix=prefix-a-&showInput=false')).flat();
    expect(listed.map((status) => status.instanceId).sort()).toEqual(prefixed);
    expect(listed.map((status) => status.input)).toEqual([null, null]);
    expect(listed.map((status) => status.runtimeStatus)).toEqual(['Completed', 'Completed']);
  });
});

describe('purge', () => {
  it('purges a finished instance through the client; it is then unknown everywhere', async () => {
    const [id = ''] = await startAll('echo', [{ name: 'purged' }]);
    expect((await statusBothWays(host, id)).runtimeStatus).toBe('Completed');

    expect(await host.client.purgeInstanceHistory(id)).toEqual({ instancesDeleted: 1 });
    await expect(host.client.getStatus(id)).rejects.toThrow(/404/);
    expect((await getStatusOverHttp(host.baseUrl, id)).status).toBe(404);
    expect(idsOf(await host.client.getStatusAll(), [id])).toEqual([]);
    expect(await host.client.purgeInstanceHistory(id)).toEqual({ instancesDeleted: 0 });
  });

  it('purges over the HTTP API: 200 with the count, then 404', async () => {
    const [id = ''] = await startAll('echo', [{ name: 'purged over http' }]);
    const url = new URL(`${WEBHOOK_ROOT}/instances/${id}`, host.baseUrl).href;
    const purged = await call<{ instancesDeleted: number }>(url, { method: 'DELETE' });
    expect(purged.status).toBe(200);
    expect(purged.body).toEqual({ instancesDeleted: 1 });
    expect((await call(url, { method: 'DELETE' })).status).toBe(404);
    expect((await getStatusOverHttp(host.baseUrl, id)).status).toBe(404);
  });

  it('purges by filter only the finished instances created in the window', async () => {
    await startAll('sleeper', [null]); // an hour of durable time separates this window from earlier tests
    const from = new Date(host.clock.now());
    const finished = await startAll('echo', [{ name: 'bulk 1' }, { name: 'bulk 2' }]);
    const [waiting = ''] = await startAll('waiter', [null]);
    const to = new Date(host.clock.now() + 60_000);

    const purged = await host.client.purgeInstanceHistoryBy({
      createdTimeFrom: from,
      createdTimeTo: to,
      runtimeStatus: [df.OrchestrationRuntimeStatus.Completed],
    });
    expect(purged).toEqual({ instancesDeleted: 2 });
    for (const id of finished) {
      expect((await getStatusOverHttp(host.baseUrl, id)).status).toBe(404);
    }
    expect((await statusBothWays(host, waiting)).runtimeStatus).toBe('Running');

    const window = `createdTimeFrom=${from.toISOString()}&createdTimeTo=${to.toISOString()}&runtimeStatus=Completed`;
    const nothingLeft = await call(new URL(`${WEBHOOK_ROOT}/instances?${window}`, host.baseUrl).href, {
      method: 'DELETE',
    });
    expect(nothingLeft.status).toBe(404);
    const withoutFrom = await call(new URL(`${WEBHOOK_ROOT}/instances?runtimeStatus=Completed`, host.baseUrl).href, {
      method: 'DELETE',
    });
    expect(withoutFrom.status).toBe(400);
  });
});
