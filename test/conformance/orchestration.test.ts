// Conformance: the basic orchestration behaviours, each checked through the
// real DurableClient and the public HTTP API (see support/status-both-ways).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../src/local/host';
import { startConformanceHost } from './support/conformance-host';
import { eventTypes, getStatusOverHttp } from './support/durable-http';
import { statusBothWays } from './support/status-both-ways';

let host: LocalHost;

beforeAll(async () => {
  host = await startConformanceHost('orchestration.js', { timeSkipping: true, maxConcurrentActivityFunctions: 3 });
});

afterAll(async () => {
  await host.close();
});

async function run(name: string, input?: unknown, instanceId?: string): Promise<string> {
  const id = await host.client.startNew(name, { input, instanceId });
  await host.waitForIdle();
  return id;
}

describe('orchestrations on the local host', () => {
  it('chains activities in order', async () => {
    const id = await run('chain');
    expect(await statusBothWays(host, id)).toMatchObject({
      runtimeStatus: 'Completed',
      output: ['Hello Tokyo', 'Hello Seattle', 'Hello Cairo'],
      httpStatus: 200,
    });
  });

  it('fans out and in with Task.all, results in input order', async () => {
    const id = await run('fanOutFanIn', [1, 2, 3, 4, 5]);
    expect(await statusBothWays(host, id)).toMatchObject({
      runtimeStatus: 'Completed',
      input: [1, 2, 3, 4, 5],
      output: { doubled: [2, 4, 6, 8, 10], sum: 30 },
    });
  });

  it('runs fanned-out activities concurrently, at most maxConcurrentActivityFunctions at once', async () => {
    const id = await run('crowd', 8);
    expect(await statusBothWays(host, id)).toMatchObject({ runtimeStatus: 'Completed', output: 3 });
  });

  it('runs a task yielded again (alone and inside Task.all) only once', async () => {
    const id = await run('reyieldInAll');
    expect(await statusBothWays(host, id)).toMatchObject({
      runtimeStatus: 'Completed',
      output: { once: 'Hello first', again: 'Hello first', both: ['Hello first', 'Hello second'] },
    });
    const history = await getStatusOverHttp(host.baseUrl, id, { showHistory: 'true', showHistoryOutput: 'true' });
    const completed = (history.body?.historyEvents ?? []).filter((event) => event.EventType === 'TaskCompleted');
    expect(completed.map((event) => event.Result)).toEqual(['Hello first', 'Hello second']);
  });

  it('runs sub-orchestrations with and without explicit ids and delivers a failing one as an error', async () => {
    const parentId = 'parent-of-subs';
    const childId = 'explicit-child';
    await run('parent', { childId }, parentId);

    const parent = await statusBothWays(host, parentId);
    expect(parent.runtimeStatus).toBe('Completed');
    const output = parent.output as {
      withId: { greeting: string; instanceId: string; parentInstanceId: string };
      withoutId: { greeting: string; instanceId: string; parentInstanceId: string };
      failure: string;
    };
    expect(output.withId).toEqual({ greeting: 'Hello with id', instanceId: childId, parentInstanceId: parentId });
    expect(output.withoutId).toMatchObject({ greeting: 'Hello without id', parentInstanceId: parentId });
    expect(output.withoutId.instanceId).not.toBe(parentId);
    expect(output.withoutId.instanceId).not.toBe(childId);
    expect(output.failure).toContain('child failed on purpose for doomed');

    expect(await statusBothWays(host, childId)).toMatchObject({
      runtimeStatus: 'Completed',
      output: output.withId,
    });
    expect(await statusBothWays(host, output.withoutId.instanceId)).toMatchObject({
      runtimeStatus: 'Completed',
      output: output.withoutId,
    });
    const doomed = await statusBothWays(host, `${childId}-doomed`);
    expect(doomed.runtimeStatus).toBe('Failed');
    expect(String(doomed.output)).toContain("Orchestrator function 'child' failed: ");
    expect(String(doomed.output)).toContain('child failed on purpose for doomed');
  });

  it('continues as new until done, keeping only the last execution', async () => {
    const id = await run('countUp', { value: 0, target: 5 });
    expect(await statusBothWays(host, id)).toMatchObject({
      runtimeStatus: 'Completed',
      input: { value: 5, target: 5 },
      output: 5,
    });
    const history = await getStatusOverHttp(host.baseUrl, id, { showHistory: 'true' });
    expect(eventTypes(history.body?.historyEvents).filter((type) => type === 'ExecutionStarted')).toHaveLength(1);
  });

  it('shows the custom status while running and after completion', async () => {
    const id = await run('customStatus');
    expect(await statusBothWays(host, id)).toMatchObject({
      runtimeStatus: 'Running',
      customStatus: { stage: 'waiting for go' },
      output: null,
      httpStatus: 202,
    });

    await host.client.raiseEvent(id, 'go', 'now');
    await host.waitForIdle();
    expect(await statusBothWays(host, id)).toMatchObject({
      runtimeStatus: 'Completed',
      customStatus: { stage: 'done', go: 'now' },
      output: 'now',
    });
  });

  it('fails the instance on an unhandled orchestrator error, as the extension reports it', async () => {
    const id = await run('failing');
    const status = await statusBothWays(host, id);
    expect(status.runtimeStatus).toBe('Failed');
    expect(status.httpStatus).toBe(200);
    expect(String(status.output)).toContain("Orchestrator function 'failing' failed: ");
    expect(String(status.output)).toContain('the orchestrator gave up');
    expect(String(status.output)).not.toContain('$OutOfProcData$');

    const asServerError = await getStatusOverHttp(host.baseUrl, id, { returnInternalServerErrorOnFailure: 'true' });
    expect(asServerError.status).toBe(500);
    expect(asServerError.body?.runtimeStatus).toBe('Failed');
  });

  it('fails the instance that calls an activity nobody registered', async () => {
    const id = await run('callsMissingActivity');
    const status = await statusBothWays(host, id);
    expect(status.runtimeStatus).toBe('Failed');
    expect(String(status.output)).toContain("Orchestrator function 'callsMissingActivity' failed: ");
    expect(String(status.output)).toContain("'missingActivity'");
  });
});
