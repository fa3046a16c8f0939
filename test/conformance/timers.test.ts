// Conformance with time skipping: durable timers that win, an un-cancelled
// timer that holds a returned orchestrator until it fires, timers longer than
// maximumShortTimerDuration, and host-side retries whose back-off shows up as
// timers in the history. Hours and days of durable time pass in milliseconds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../src/local/host';
import { startConformanceHost } from './support/conformance-host';
import { eventTypes, getStatusOverHttp, type HistoryEventPayload } from './support/durable-http';
import { statusBothWays } from './support/status-both-ways';

const SECOND = 1000;
const DAY = 24 * 60 * 60 * SECOND;

let host: LocalHost;

beforeAll(async () => {
  host = await startConformanceHost('timers.js', { timeSkipping: true });
});

afterAll(async () => {
  await host.close();
});

async function run(name: string, input?: unknown): Promise<string> {
  const id = await host.client.startNew(name, { input });
  await host.waitForIdle();
  return id;
}

async function history(id: string): Promise<HistoryEventPayload[]> {
  const response = await getStatusOverHttp(host.baseUrl, id, { showHistory: 'true', showHistoryOutput: 'true' });
  return response.body?.historyEvents ?? [];
}

/** For each back-off timer: how long after the failure before it it was set to fire. */
function backOffDelays(events: HistoryEventPayload[]): number[] {
  const delays: number[] = [];
  let lastFailure: number | undefined;
  for (const event of events) {
    if (event.EventType === 'TaskFailed' || event.EventType === 'SubOrchestrationInstanceFailed') {
      lastFailure = Date.parse(String(event.Timestamp));
    } else if (event.EventType === 'TimerCreated' && lastFailure !== undefined) {
      delays.push(Date.parse(String(event.FireAt)) - lastFailure);
      lastFailure = undefined;
    }
  }
  return delays;
}

describe('timers with time skipping', () => {
  it('lets the timer win a Task.any when no event comes', async () => {
    const id = await run('approvalTimesOut');
    expect(await statusBothWays(host, id)).toMatchObject({ runtimeStatus: 'Completed', output: 'timed out' });
    const events = await history(id);
    expect(eventTypes(events)).toEqual(expect.arrayContaining(['TimerCreated', 'TimerFired']));
    // As the extension shows it: the fired timer keeps FireAt, not its internal TimerId.
    const fired = events.find((event) => event.EventType === 'TimerFired');
    expect(fired).toHaveProperty('FireAt');
    expect(fired).not.toHaveProperty('TimerId');
  });

  it('completes an orchestrator that returned with an un-cancelled timer once that timer fires', async () => {
    const id = await run('forgetfulApproval');
    await host.client.raiseEvent(id, 'Approval', 'bob');
    await host.waitForIdle();
    await host.client.raiseEvent(id, 'Go', null);
    await host.waitForIdle();
    expect(await statusBothWays(host, id)).toMatchObject({ runtimeStatus: 'Completed', output: { approvedBy: 'bob' } });
    // The timer was created in the very episode that returned; it still counts.
    expect(eventTypes(await history(id))).toEqual(expect.arrayContaining(['TimerCreated', 'TimerFired']));
  });

  it('waits out a ten-day timer, split into segments no longer than the long-timer interval', async () => {
    const id = await run('longTimer');
    const status = await statusBothWays(host, id);
    expect(status.runtimeStatus).toBe('Completed');
    const { elapsedMs } = status.output as { elapsedMs: number };
    expect(elapsedMs).toBeGreaterThanOrEqual(10 * DAY);
    expect(elapsedMs).toBeLessThan(10 * DAY + 60 * SECOND);

    const timers = (await history(id)).filter((event) => event.EventType === 'TimerCreated');
    // The SDK adds 3-day segments (the advertised interval) while more than 6 days
    // remain: fire at +3 d, +6 d, then the real +10 d.
    expect(timers.length).toBe(3);
    expect(Date.parse(String(timers.at(-1)?.FireAt)) - Date.parse(String(timers[0]?.FireAt))).toBe(7 * DAY);
  });
});

describe('activity retries', () => {
  it('succeeds after failures, with back-off timers between attempts', async () => {
    const id = await run('retrying', {
      failures: 2,
      retry: { first: 5 * SECOND, attempts: 5, coefficient: 2 },
    });
    expect(await statusBothWays(host, id)).toMatchObject({
      runtimeStatus: 'Completed',
      output: { result: 'succeeded on attempt 3', attempts: 3 },
    });
    const events = await history(id);
    expect(events.filter((event) => event.EventType === 'TaskFailed')).toHaveLength(2);
    const [first, second] = backOffDelays(events);
    expect(first).toBeGreaterThanOrEqual(5 * SECOND);
    expect(first).toBeLessThan(6 * SECOND);
    expect(second).toBeGreaterThanOrEqual(10 * SECOND);
    expect(second).toBeLessThan(11 * SECOND);
  });

  it('caps the back-off at maxRetryIntervalInMilliseconds', async () => {
    const id = await run('retrying', {
      failures: 3,
      retry: { first: 5 * SECOND, attempts: 4, coefficient: 3, maxInterval: 7 * SECOND },
    });
    expect((await statusBothWays(host, id)).output).toEqual({ result: 'succeeded on attempt 4', attempts: 4 });
    const delays = backOffDelays(await history(id));
    expect(delays).toHaveLength(3);
    expect(delays[0]).toBeLessThan(6 * SECOND);
    for (const capped of delays.slice(1)) {
      expect(capped).toBeGreaterThanOrEqual(7 * SECOND);
      expect(capped).toBeLessThan(8 * SECOND);
    }
  });

  it('delivers the last failure to the orchestrator once the attempts are exhausted', async () => {
    const id = await run('retrying', {
      failures: 10,
      retry: { first: SECOND, attempts: 3 },
      catchFailure: true,
    });
    const status = await statusBothWays(host, id);
    expect(status.runtimeStatus).toBe('Completed');
    const output = status.output as { failure: string; attempts: number };
    expect(output.attempts).toBe(3);
    expect(output.failure).toContain('flaky attempt 3 failed');
  });

  it('fails the orchestration when the exhausted failure is not caught', async () => {
    const id = await run('retrying', { failures: 10, retry: { first: SECOND, attempts: 2 } });
    const status = await statusBothWays(host, id);
    expect(status.runtimeStatus).toBe('Failed');
    expect(String(status.output)).toContain("Orchestrator function 'retrying' failed: ");
    expect(String(status.output)).toContain('flaky attempt 2 failed');
  });

  it('retries a failing sub-orchestration until it succeeds', async () => {
    const id = await run('retryingParent');
    expect(await statusBothWays(host, id)).toMatchObject({
      runtimeStatus: 'Completed',
      output: 'child succeeded on run 3',
    });
    const events = await history(id);
    expect(events.filter((event) => event.EventType === 'SubOrchestrationInstanceFailed')).toHaveLength(2);
    for (const delay of backOffDelays(events)) {
      expect(delay).toBeGreaterThanOrEqual(30 * SECOND);
    }
  });
});
