/**
 * Every way a video request ends, as a client would see it: the real
 * videoGeneration orchestrator on the local host with time skipping, each
 * activity scripted per test by typed fakes (./app). Minutes of durable
 * timers pass in milliseconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../src/local/host';
import { EVENTS } from '../../src/names';
import { eventTypes } from '../conformance/support/durable-http';
import type { FakeActivities } from './app/activity-fakes';
import { startFakeActivityHost, startRequest } from './support/fake-activity-host';
import { createGate } from './support/gate';
import { expectAbout, historyOf, submitBackOffsMs } from './support/history';
import { accepted, jobIdOf, jobStatus, MINUTE, request, succeedingActivities, throttled } from './support/scenario';
import { userView } from './support/user-view';

let host: LocalHost;

beforeAll(async () => {
  host = await startFakeActivityHost({ timeSkipping: true });
});
afterAll(async () => {
  await host.close();
});

describe('succeeded', () => {
  it('does not read as succeeded while the uploads are still being removed', async () => {
    const input = request('succeeds-after-clean-up');
    const cleanUp = createGate();
    const calls = await startRequest(host, input, {
      ...succeedingActivities(input.requestId),
      deleteInputs: async (inputs) => {
        await cleanUp.pass();
        return inputs.length;
      },
    });

    await cleanUp.reached;
    const during = await userView(host, input.requestId);
    expect(during).toMatchObject({ runtimeStatus: 'Running', status: 'storing', result: null });

    cleanUp.open();
    await host.waitForIdle();
    const after = await userView(host, input.requestId);
    expect(after).toMatchObject({
      runtimeStatus: 'Completed',
      status: 'succeeded',
      progress: { stage: 'succeeded', variantsStored: 1 },
      result: { outcome: 'succeeded', soraJobId: jobIdOf(input.requestId), manifestBlobName: 'succeeds-after-clean-up/manifest.json' },
    });
    expect(calls.deleteInputs).toEqual([input.spec.inputs]);
  });

  it('backs off 10 s, then 20 s, after 429s without retry-after, and succeeds on the third submit', async () => {
    const input = request('throttled-twice');
    const calls = await startRequest(host, input, {
      ...succeedingActivities(input.requestId),
      submitVideoJob: (_input, call) => (call < 3 ? throttled(null) : accepted(input.requestId)),
    });

    await host.waitForIdle();
    const view = await userView(host, input.requestId);
    expect(view).toMatchObject({ status: 'succeeded', progress: { stage: 'succeeded' }, result: { outcome: 'succeeded', soraJobId: jobIdOf(input.requestId) } });
    expect(calls.submitVideoJob).toHaveLength(3);
    const [first, second, ...more] = submitBackOffsMs(await historyOf(host, input.requestId));
    expectAbout(first, 10_000);
    expectAbout(second, 20_000);
    expect(more).toEqual([]);
  });
});

describe('failed', () => {
  const refusal = 'Blob Storage refused the write (403 AuthorizationPermissionMismatch)';
  /** Sora's job succeeds; every attempt to copy its video into Blob Storage is refused. */
  const copyRefused = (requestId: string): FakeActivities => ({
    ...succeedingActivities(requestId),
    storeVideo: () => {
      throw new Error(refusal);
    },
  });

  it('ends failed with store_failed when every copy attempt fails, and still removes the uploads', async () => {
    const input = request('store-fails');
    const calls = await startRequest(host, input, copyRefused(input.requestId));

    await host.waitForIdle();
    const view = await userView(host, input.requestId);
    expect(view).toMatchObject({
      runtimeStatus: 'Completed',
      status: 'failed',
      progress: { stage: 'failed', variantsStored: 0, nextCheckAt: null },
      result: {
        outcome: 'failed',
        soraJobId: jobIdOf(input.requestId),
        error: { status: null, code: 'store_failed', param: null, requestId: null },
      },
    });
    expect(view.result?.outcome === 'failed' ? view.result.error.message : null).toContain(refusal);
    expect(calls.storeVideo).toHaveLength(input.policy.store.maxAttempts);
    expect(calls.writeManifest).toEqual([]);
    expect(calls.deleteInputs).toEqual([input.spec.inputs]);
  });

  // KNOWN FAILING — an orchestrator bug, reported and deliberately not fixed here: messageOf() in
  // src/orchestrations/video-generation.ts passes on the SDK's whole TaskFailedError message. For a
  // failure given as Reason/Details (what the extension writes with the Azure Storage backend, and what
  // the local host writes) the SDK makes that "<Reason> \n <Details>": the activity's stack trace, with
  // the machine's file paths, which GET /api/videos/{id} then shows as error.message (ARCHITECTURE.md:
  // "never a stack trace").
  it('KNOWN FAILING: says why the copy failed in one line, without a stack trace', async () => {
    const input = request('store-fails-message');
    await startRequest(host, input, copyRefused(input.requestId));

    await host.waitForIdle();
    const { result } = await userView(host, input.requestId);
    const message = result?.outcome === 'failed' ? result.error.message : '';
    expect(message.split('\n')).toEqual([expect.stringContaining(refusal)]);
  });
});

describe('cancelled', () => {
  it('ends cancelled without a second submit when the cancel arrives while a throttled submit is in flight', async () => {
    const input = request('cancel-during-submit');
    const calls = await startRequest(host, input, {
      ...succeedingActivities(input.requestId),
      // Sora is still answering the first submit (with a 429) when the client cancels.
      submitVideoJob: async (submit) => {
        await host.client.raiseEvent(submit.requestId, EVENTS.cancel, { requestedAt: new Date(host.clock.now()).toISOString() });
        return throttled(MINUTE);
      },
    });

    await host.waitForIdle();
    const view = await userView(host, input.requestId);
    expect(view).toMatchObject({ runtimeStatus: 'Completed', status: 'cancelled', progress: { stage: 'cancelled' }, result: { outcome: 'cancelled', soraJobId: null } });
    expect(calls.submitVideoJob).toHaveLength(1);
    // No Sora job exists, so there is nothing to cancel there; the minute's back-off was never waited out.
    expect(calls.cancelVideoJob).toEqual([]);
    expect(eventTypes(await historyOf(host, input.requestId))).not.toContain('TimerFired');
    expect(calls.deleteInputs).toEqual([input.spec.inputs]);
  });

  it('cancels the Sora job and ends cancelled when the cancel arrives while a status check is in flight', async () => {
    const input = request('cancel-during-check');
    const calls = await startRequest(host, input, {
      ...succeedingActivities(input.requestId),
      // The first poll timer has fired; while Sora answers the check, the client cancels.
      getVideoJob: async () => {
        await host.client.raiseEvent(input.requestId, EVENTS.cancel, { requestedAt: new Date(host.clock.now()).toISOString() });
        return jobStatus(input.requestId, 'running');
      },
    });

    await host.waitForIdle();
    const view = await userView(host, input.requestId);
    expect(view).toMatchObject({
      runtimeStatus: 'Completed',
      status: 'cancelled',
      progress: { stage: 'cancelled', soraStatus: 'running', checks: 1 },
      result: { outcome: 'cancelled', soraJobId: jobIdOf(input.requestId) },
    });
    expect(calls.getVideoJob).toHaveLength(1);
    expect(calls.cancelVideoJob).toEqual([{ api: 'jobs', soraJobId: jobIdOf(input.requestId) }]);
    expect(calls.deleteInputs).toEqual([input.spec.inputs]);
  });

  it('ends cancelled, as the status table maps it, when Sora reports the job cancelled', async () => {
    const input = request('sora-cancels');
    const calls = await startRequest(host, input, {
      ...succeedingActivities(input.requestId),
      getVideoJob: () => jobStatus(input.requestId, 'cancelled'),
    });

    await host.waitForIdle();
    const view = await userView(host, input.requestId);
    expect(view).toMatchObject({
      runtimeStatus: 'Completed',
      status: 'cancelled',
      progress: { stage: 'cancelled', soraStatus: 'cancelled', checks: 1, nextCheckAt: null },
      result: { outcome: 'cancelled', soraJobId: jobIdOf(input.requestId) },
    });
    // Sora already ended the job: nothing to cancel, nothing to store.
    expect(calls.cancelVideoJob).toEqual([]);
    expect(calls.storeVideo).toEqual([]);
    expect(calls.deleteInputs).toEqual([input.spec.inputs]);
  });
});

describe('timed out', () => {
  it('ends timed_out without another submit when Sora asks to wait past the deadline', async () => {
    // Deadline 30 min: the first retry-after (10 min) fits, the second (25 min, from minute 10) does not.
    const input = request('retry-after-past-deadline', { deadlineMs: 30 * MINUTE });
    const calls = await startRequest(host, input, {
      ...succeedingActivities(input.requestId),
      submitVideoJob: (_input, call) => throttled(call === 1 ? 10 * MINUTE : 25 * MINUTE),
    });

    await host.waitForIdle();
    const view = await userView(host, input.requestId);
    expect(view).toMatchObject({
      runtimeStatus: 'Completed',
      status: 'timed_out',
      progress: { stage: 'timed_out', soraJobId: null, nextCheckAt: null },
      result: { outcome: 'timed_out', soraJobId: null },
    });
    expect(calls.submitVideoJob).toHaveLength(2);
    const backOffs = submitBackOffsMs(await historyOf(host, input.requestId));
    expect(backOffs).toHaveLength(1);
    expectAbout(backOffs[0], 10 * MINUTE);
    expect(calls.cancelVideoJob).toEqual([]);
    expect(calls.deleteInputs).toEqual([input.spec.inputs]);
  });
});
