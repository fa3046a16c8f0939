/**
 * A cancel that arrives while the orchestrator waits out Sora's retry-after
 * before resubmitting. Time skipping is held: `waitForIdle` then returns with
 * the one-minute back-off timer still pending, so the cancel lands while the
 * timer is pending, without sleeping.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalHost } from '../../src/local/host';
import { EVENTS } from '../../src/names';
import { eventTypes } from '../conformance/support/durable-http';
import { startFakeActivityHost, startRequest } from './support/fake-activity-host';
import { expectAbout, historyOf, submitBackOffsMs } from './support/history';
import { accepted, MINUTE, request, succeedingActivities, throttled } from './support/scenario';
import { userView } from './support/user-view';

let host: LocalHost;

beforeAll(async () => {
  host = await startFakeActivityHost({ timeSkipping: true });
});
afterAll(async () => {
  await host.close();
});

it('ends cancelled without a second submit when the cancel comes during the submit back-off', async () => {
  const input = request('cancel-during-back-off');
  host.pauseTimeSkipping();
  const calls = await startRequest(host, input, {
    ...succeedingActivities(input.requestId),
    submitVideoJob: (_input, call) => (call === 1 ? throttled(MINUTE) : accepted(input.requestId)),
  });

  await host.waitForIdle();
  // Still pending: nothing accepted, the back-off timer set for Sora's retry-after and announced as the next check.
  const waiting = await userView(host, input.requestId);
  expect(waiting).toMatchObject({ runtimeStatus: 'Running', status: 'pending', result: null });
  const history = await historyOf(host, input.requestId);
  // The request index's start record, then the submit.
  expect(eventTypes(history)).toEqual(['ExecutionStarted', 'TaskCompleted', 'TaskCompleted', 'TimerCreated']);
  expectAbout(submitBackOffsMs(history)[0], MINUTE);
  expect(history[3]?.FireAt).toBe(waiting.progress.nextCheckAt);

  await host.client.raiseEvent(input.requestId, EVENTS.cancel, { requestedAt: new Date(host.clock.now()).toISOString() });
  host.resumeTimeSkipping();
  await host.waitForIdle();
  const view = await userView(host, input.requestId);
  expect(view).toMatchObject({ runtimeStatus: 'Completed', status: 'cancelled', progress: { stage: 'cancelled', nextCheckAt: null }, result: { outcome: 'cancelled', soraJobId: null } });
  expect(calls.submitVideoJob).toHaveLength(1);
  // No Sora job was created, so none is cancelled there; the uploads are removed all the same.
  expect(calls.cancelVideoJob).toEqual([]);
  expect(calls.deleteInputs).toEqual([input.spec.inputs]);
  expect(calls.recordVideoRequest.map((entry) => entry.status)).toEqual(['pending', 'cancelled']);
  // The end is announced once on the results queue, after the uploads are removed and the end recorded (the last TaskCompleted).
  expect(calls.publishCompletion).toMatchObject([{ kind: 'request', id: input.requestId, status: 'cancelled', error: null }]);
  expect(eventTypes(await historyOf(host, input.requestId))).toEqual([
    'ExecutionStarted',
    'TaskCompleted',
    'TaskCompleted',
    'TimerCreated',
    'EventRaised',
    'TaskCompleted',
    'TaskCompleted',
    'TaskCompleted',
    'ExecutionCompleted',
  ]);
});
