/**
 * An instance's history as the public Durable Functions HTTP API shows it
 * (`/runtime/webhooks/durabletask/instances/{id}?showHistory=true`), and the
 * submit back-off timers read from it.
 */
import { expect } from 'vitest';
import type { SubmitOutcome } from '../../../src/contracts/activities';
import type { LocalHost } from '../../../src/local/host';
import { getStatusOverHttp, type HistoryEventPayload } from '../../conformance/support/durable-http';

export async function historyOf(host: LocalHost, id: string): Promise<HistoryEventPayload[]> {
  const response = await getStatusOverHttp(host.baseUrl, id, { showHistory: 'true', showHistoryOutput: 'true' });
  // 202 while the instance runs, 200 once it has finished.
  if (response.status !== 200 && response.status !== 202) throw new Error(`The status of ${id} answered ${response.status}`);
  return response.body?.historyEvents ?? [];
}

/** For each timer set right after a throttled submit: how long after that answer it was set to fire. */
export function submitBackOffsMs(history: readonly HistoryEventPayload[]): number[] {
  const backOffs: number[] = [];
  let throttledAt: number | undefined;
  for (const event of history) {
    if (event.EventType === 'TaskCompleted') {
      const throttled = event.FunctionName === 'submitVideoJob' && (event.Result as SubmitOutcome).kind === 'throttled';
      throttledAt = throttled ? Date.parse(String(event.Timestamp)) : undefined;
    } else if (event.EventType === 'TimerCreated' && throttledAt !== undefined) {
      backOffs.push(Date.parse(String(event.FireAt)) - throttledAt);
      throttledAt = undefined;
    }
  }
  return backOffs;
}

/** A back-off as read above: measured from the activity's answer, so at most a second longer than intended. */
export function expectAbout(actualMs: number | undefined, intendedMs: number): void {
  expect(actualMs).toBeGreaterThanOrEqual(intendedMs);
  expect(actualMs).toBeLessThan(intendedMs + 1_000);
}
