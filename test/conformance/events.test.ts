// Conformance on the REAL clock: external events (raised before anyone waits,
// case-sensitive names), a Task.any whose cancelled one-hour timer must not
// keep the instance running (and one whose un-cancelled timer must),
// suspend/resume with queued events, terminate. No test waits for a timer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../src/local/host';
import { startConformanceHost } from './support/conformance-host';
import { eventTypes, getStatusOverHttp, instanceUrl, postJson } from './support/durable-http';
import { statusBothWays } from './support/status-both-ways';

let host: LocalHost;

beforeAll(async () => {
  host = await startConformanceHost('events.js');
});

afterAll(async () => {
  await host.close();
});

async function startAndSettle(name: string): Promise<string> {
  const id = await host.client.startNew(name);
  await host.waitForIdle();
  return id;
}

describe('external events and cancelled timers (real clock)', () => {
  it('completes at once when the event wins a Task.any and the timer is cancelled', async () => {
    const id = await startAndSettle('approval');
    expect(await statusBothWays(host, id)).toMatchObject({ runtimeStatus: 'Running', httpStatus: 202 });

    await host.client.raiseEvent(id, 'Approval', 'alice');
    await host.waitForIdle();
    expect(await statusBothWays(host, id)).toMatchObject({
      runtimeStatus: 'Completed',
      output: { approvedBy: 'alice' },
    });
    const history = await getStatusOverHttp(host.baseUrl, id, { showHistory: 'true' });
    const types = eventTypes(history.body?.historyEvents);
    expect(types).toContain('TimerCreated');
    expect(types).toContain('EventRaised');
    expect(types).not.toContain('TimerFired');
  });

  it('stays Running after the orchestrator returns while a lost timer is not cancelled', async () => {
    const id = await startAndSettle('forgetfulApproval');
    await host.client.raiseEvent(id, 'Go', null);
    await host.waitForIdle();
    await host.client.raiseEvent(id, 'Approval', 'bob');
    await host.waitForIdle();
    expect((await statusBothWays(host, id)).runtimeStatus).toBe('Running');
    await host.client.terminate(id, 'the timer would fire in an hour');
    await host.waitForIdle();
  });

  it('keeps an event raised before the orchestrator waits for it', async () => {
    const id = await startAndSettle('lateListener');
    await host.client.raiseEvent(id, 'Early', { arrived: 'before anyone listened' });
    await host.waitForIdle();
    expect((await statusBothWays(host, id)).runtimeStatus).toBe('Running');

    await host.client.raiseEvent(id, 'Start', 1);
    await host.waitForIdle();
    expect(await statusBothWays(host, id)).toMatchObject({
      runtimeStatus: 'Completed',
      output: { start: 1, early: { arrived: 'before anyone listened' } },
    });
  });

  it('matches event names case-sensitively', async () => {
    const id = await startAndSettle('caseSensitive');
    await host.client.raiseEvent(id, 'signal', 'lower');
    await host.waitForIdle();
    expect((await statusBothWays(host, id)).runtimeStatus).toBe('Running');

    await host.client.raiseEvent(id, 'Signal', 'upper');
    await host.waitForIdle();
    expect(await statusBothWays(host, id)).toMatchObject({
      runtimeStatus: 'Completed',
      output: { upper: 'upper', lower: 'lower' },
    });
  });

  it('delivers events raised over the HTTP API, in order', async () => {
    const id = await startAndSettle('collectTwo');
    expect((await postJson(instanceUrl(host.baseUrl, id, 'raiseEvent/Item'), 'one')).status).toBe(202);
    expect((await postJson(instanceUrl(host.baseUrl, id, 'raiseEvent/Item'), 'two')).status).toBe(202);
    await host.waitForIdle();
    expect(await statusBothWays(host, id)).toMatchObject({ runtimeStatus: 'Completed', output: ['one', 'two'] });
  });

  it('queues events that arrive together, while an episode runs, and delivers every one', async () => {
    const id = await host.client.startNew('collectMany', { input: 10 });
    const items = Array.from({ length: 10 }, (_, index) => index);
    await Promise.all(items.map((item) => host.client.raiseEvent(id, 'Item', item)));
    await host.waitForIdle();
    const status = await statusBothWays(host, id);
    expect(status.runtimeStatus).toBe('Completed');
    expect([...(status.output as number[])].sort((a, b) => a - b)).toEqual(items);
  });

  it('queues events while suspended and processes them on resume', async () => {
    const id = await startAndSettle('collectTwo');
    await host.client.suspend(id, 'maintenance');
    await host.waitForIdle();
    expect(await statusBothWays(host, id)).toMatchObject({ runtimeStatus: 'Suspended', httpStatus: 202 });

    await host.client.raiseEvent(id, 'Item', 'first');
    expect((await postJson(instanceUrl(host.baseUrl, id, 'raiseEvent/Item'), 'second')).status).toBe(202);
    await host.waitForIdle();
    expect(await statusBothWays(host, id)).toMatchObject({ runtimeStatus: 'Suspended', output: null });

    expect((await postJson(instanceUrl(host.baseUrl, id, 'resume?reason=done'))).status).toBe(202);
    await host.waitForIdle();
    expect(await statusBothWays(host, id)).toMatchObject({ runtimeStatus: 'Completed', output: ['first', 'second'] });
  });

  it('terminates a waiting instance with the reason as output; a finished one answers 410', async () => {
    const id = await startAndSettle('collectTwo');
    await host.client.terminate(id, 'no longer needed');
    await host.waitForIdle();
    expect(await statusBothWays(host, id)).toMatchObject({
      runtimeStatus: 'Terminated',
      output: 'no longer needed',
      httpStatus: 200,
    });

    expect((await postJson(instanceUrl(host.baseUrl, id, 'terminate?reason=again'))).status).toBe(410);
    expect((await postJson(instanceUrl(host.baseUrl, id, 'raiseEvent/Item'), 'late')).status).toBe(410);
    await expect(host.client.raiseEvent(id, 'Item', 'late')).resolves.toBeUndefined();
    expect((await statusBothWays(host, id)).runtimeStatus).toBe('Terminated');
  });

  it('suspends and terminates over the HTTP API', async () => {
    const id = await startAndSettle('collectTwo');
    expect((await postJson(instanceUrl(host.baseUrl, id, 'suspend?reason=pause'))).status).toBe(202);
    await host.waitForIdle();
    expect((await statusBothWays(host, id)).runtimeStatus).toBe('Suspended');
    expect((await postJson(instanceUrl(host.baseUrl, id, 'terminate?reason=stop'))).status).toBe(202);
    await host.waitForIdle();
    expect(await statusBothWays(host, id)).toMatchObject({ runtimeStatus: 'Terminated', output: 'stop' });
  });
});
