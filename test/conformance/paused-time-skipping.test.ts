// Holding time skipping, as a test does to act on an instance before its
// timer fires: while paused the clock does not jump even though the host is
// idle, so an event raised meanwhile beats a one-hour timer; once resumed the
// idle host skips to the timer again.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../src/local/host';
import { startConformanceHost } from './support/conformance-host';
import { eventTypes, getStatusOverHttp } from './support/durable-http';
import { statusBothWays } from './support/status-both-ways';

const HOUR = 60 * 60 * 1000;

let host: LocalHost;
/** Pauses a test took and has not resumed yet; released after it so one failure does not freeze the rest. */
let pauses = 0;

beforeAll(async () => {
  host = await startConformanceHost('timers.js', { timeSkipping: true });
});

afterEach(() => {
  for (; pauses > 0; pauses--) host.resumeTimeSkipping();
});

afterAll(async () => {
  await host.close();
});

function pause(): void {
  host.pauseTimeSkipping();
  pauses++;
}

function resume(): void {
  host.resumeTimeSkipping();
  pauses--;
}

async function historyTypes(id: string): Promise<string[]> {
  const response = await getStatusOverHttp(host.baseUrl, id, { showHistory: 'true' });
  return eventTypes(response.body?.historyEvents);
}

describe('time skipping held', () => {
  it('does not fire a timer while held, although the host is idle', async () => {
    pause();
    const startedAt = host.clock.now();
    // 'approvalTimesOut' races an 'Approval' event against a one-hour timer.
    const id = await host.client.startNew('approvalTimesOut');
    await host.waitForIdle();
    // Each status call leaves the host idle again: unheld, it would skip the hour here.
    expect((await statusBothWays(host, id)).runtimeStatus).toBe('Running');
    await host.waitForIdle();
    expect(await historyTypes(id)).toContain('TimerCreated');
    expect(await historyTypes(id)).not.toContain('TimerFired');
    expect(host.clock.now() - startedAt).toBeLessThan(HOUR);
  });

  it('lets an event raised while held land before the timer', async () => {
    pause();
    const id = await host.client.startNew('approvalTimesOut');
    await host.waitForIdle();
    await host.client.raiseEvent(id, 'Approval', 'ada');
    await host.waitForIdle();
    expect(await statusBothWays(host, id)).toMatchObject({ runtimeStatus: 'Completed', output: 'approved' });
    expect(await historyTypes(id)).not.toContain('TimerFired');
  });

  it('skips to the timer once resumed', async () => {
    pause();
    const startedAt = host.clock.now();
    const id = await host.client.startNew('approvalTimesOut');
    await host.waitForIdle();
    expect((await statusBothWays(host, id)).runtimeStatus).toBe('Running');
    resume();
    await host.waitForIdle();
    expect(await statusBothWays(host, id)).toMatchObject({ runtimeStatus: 'Completed', output: 'timed out' });
    expect(await historyTypes(id)).toEqual(expect.arrayContaining(['TimerCreated', 'TimerFired']));
    expect(host.clock.now() - startedAt).toBeGreaterThanOrEqual(HOUR);
  });

  it('stays held until every pause is resumed', async () => {
    pause();
    pause();
    const id = await host.client.startNew('approvalTimesOut');
    await host.waitForIdle();
    resume();
    await host.waitForIdle();
    expect((await statusBothWays(host, id)).runtimeStatus).toBe('Running');
    resume();
    await host.waitForIdle();
    expect((await statusBothWays(host, id)).output).toBe('timed out');
  });

  it('refuses a resume without a pause', () => {
    expect(() => {
      host.resumeTimeSkipping();
    }).toThrow('resumeTimeSkipping() was called without a matching pauseTimeSkipping().');
  });
});
