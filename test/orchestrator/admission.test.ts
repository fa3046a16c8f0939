/**
 * Admission on the real orchestrator and limiter entity: a request that finds
 * the deployment's slots taken waits (`waiting`, with its queue position)
 * until a holder gives its slot back, and every way a request ends gives
 * back what it held or leaves the queue. Time skipping is held while requests
 * are started, so each has asked the limiter before any timer fires.
 */
import * as df from 'durable-functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdmissionPolicy, VideoGenerationInput } from '../../src/contracts/orchestration';
import { DEPLOYMENT_LIMITER } from '../../src/entities/deployment-limiter';
import type { SlotQueueState } from '../../src/entities/slot-queue';
import type { LocalHost } from '../../src/local/host';
import { EVENTS } from '../../src/names';
import type { FakeActivities } from './app/activity-fakes';
import { startFakeActivityHost, startRequest } from './support/fake-activity-host';
import { createGate } from './support/gate';
import { jobStatus, MINUTE, request, succeedingActivities } from './support/scenario';
import { userView } from './support/user-view';

let host: LocalHost;

beforeAll(async () => {
  host = await startFakeActivityHost({ timeSkipping: true });
});
afterAll(async () => {
  await host.close();
});

/** One slot per test, each test its own deployment so their queues never meet. */
function admission(deployment: string): AdmissionPolicy {
  return { limiterKey: `jobs:${deployment}`, capacity: 1, leaseMs: 60 * MINUTE, recheckMs: MINUTE };
}

async function limiterState(policy: AdmissionPolicy): Promise<{ holders: string[]; waiters: string[] }> {
  const read = await host.client.readEntityState<SlotQueueState>(new df.EntityId(DEPLOYMENT_LIMITER, policy.limiterKey));
  const state = read.entityState ?? { holders: [], waiters: [] };
  return { holders: state.holders.map((h) => h.requestId), waiters: state.waiters.map((w) => w.requestId) };
}

/** Sora keeps the holder's job running until `minutes` after it was submitted, then it succeeds. */
function jobRunningFor(input: VideoGenerationInput, minutes: number): FakeActivities {
  let submittedAt = 0;
  return {
    ...succeedingActivities(input.requestId),
    submitVideoJob: () => {
      submittedAt = host.clock.now();
      return succeedingActivities(input.requestId).submitVideoJob({ requestId: input.requestId, spec: input.spec, attempt: 1 }, 1);
    },
    getVideoJob: () => jobStatus(input.requestId, host.clock.now() - submittedAt >= minutes * MINUTE ? 'succeeded' : 'running'),
  };
}

/** Starts the holder, then the queued request, each run until it waits on a timer. */
async function holderThenQueued(holder: VideoGenerationInput, holderFakes: FakeActivities, queued: VideoGenerationInput, queuedFakes: FakeActivities) {
  host.pauseTimeSkipping();
  const holderCalls = await startRequest(host, holder, holderFakes);
  await host.waitForIdle();
  const queuedCalls = await startRequest(host, queued, queuedFakes);
  await host.waitForIdle();
  return { holderCalls, queuedCalls };
}

describe('a request that finds no free slot', () => {
  it('waits with its queue position and, cancelled there, ends cancelled without a Sora job and leaves the queue', async () => {
    const policy = admission('cancel-queued');
    const holder = request('admission-cancel-holder', { admission: policy });
    const queued = request('admission-cancel-queued', { admission: policy });
    const { holderCalls, queuedCalls } = await holderThenQueued(holder, jobRunningFor(holder, 10), queued, succeedingActivities(queued.requestId));

    const waiting = await userView(host, queued.requestId);
    expect(waiting).toMatchObject({ runtimeStatus: 'Running', status: 'waiting', progress: { stage: 'waiting', queuePosition: 1 }, result: null });
    expect(await limiterState(policy)).toEqual({ holders: [holder.requestId], waiters: [queued.requestId] });

    await host.client.raiseEvent(queued.requestId, EVENTS.cancel, { requestedAt: new Date(host.clock.now()).toISOString() });
    await host.waitForIdle();
    expect(await userView(host, queued.requestId)).toMatchObject({ runtimeStatus: 'Completed', status: 'cancelled', result: { outcome: 'cancelled', soraJobId: null } });
    expect(queuedCalls.submitVideoJob).toEqual([]);
    expect(queuedCalls.cancelVideoJob).toEqual([]);
    // The holder keeps its slot; the cancelled request is no longer queued.
    expect(await limiterState(policy)).toEqual({ holders: [holder.requestId], waiters: [] });

    host.resumeTimeSkipping();
    await host.waitForIdle();
    expect(await userView(host, holder.requestId)).toMatchObject({ status: 'succeeded' });
    expect(holderCalls.submitVideoJob).toHaveLength(1);
    expect(await limiterState(policy)).toEqual({ holders: [], waiters: [] });
  });

  it('shows when it is expected to start: when the holder’s job is expected to end', async () => {
    const policy = admission('estimated-start');
    const holder = request('admission-estimate-holder', { admission: policy });
    const queued = request('admission-estimate-queued', { admission: policy });
    await holderThenQueued(holder, jobRunningFor(holder, 10), queued, succeedingActivities(queued.requestId));

    const holderView = await userView(host, holder.requestId);
    const waiting = await userView(host, queued.requestId);
    expect(waiting).toMatchObject({ status: 'waiting', progress: { queuePosition: 1 } });
    // The holder got its slot between its start and its submit; its job is expected to take the policy's minute.
    const { createdTime } = await host.client.getStatus(holder.requestId);
    const estimatedStart = Date.parse(waiting.progress.estimatedStartAt ?? '');
    expect(estimatedStart).toBeGreaterThanOrEqual(new Date(createdTime).getTime() + MINUTE);
    expect(estimatedStart).toBeLessThanOrEqual(Date.parse(holderView.progress.expectedDoneAt ?? ''));

    host.resumeTimeSkipping();
    await host.waitForIdle();
    expect(await userView(host, queued.requestId)).toMatchObject({ status: 'succeeded', progress: { queuePosition: null, estimatedStartAt: null } });
  });

  it('starts as soon as the holder’s job has ended at Sora, while the holder still stores its videos', async () => {
    const policy = admission('early-release');
    const holder = request('admission-early-holder', { admission: policy });
    const queued = request('admission-early-queued', { admission: policy });
    const holderStoring = createGate();
    const queuedSubmitting = createGate();
    const holderFakes = succeedingActivities(holder.requestId);
    const queuedFakes = succeedingActivities(queued.requestId);
    const { queuedCalls } = await holderThenQueued(
      holder,
      {
        ...holderFakes,
        storeVideo: async (copy, call) => {
          await holderStoring.pass();
          return holderFakes.storeVideo(copy, call);
        },
      },
      queued,
      {
        ...queuedFakes,
        submitVideoJob: async (submission, call) => {
          await queuedSubmitting.pass();
          return queuedFakes.submitVideoJob(submission, call);
        },
      },
    );

    host.resumeTimeSkipping();
    await holderStoring.reached;
    await queuedSubmitting.reached;
    // The queued request creates its job while the holder's copy is still held open.
    expect(await userView(host, holder.requestId)).toMatchObject({ runtimeStatus: 'Running', status: 'storing' });
    expect(await limiterState(policy)).toEqual({ holders: [queued.requestId], waiters: [] });

    queuedSubmitting.open();
    holderStoring.open();
    await host.waitForIdle();
    expect(await userView(host, holder.requestId)).toMatchObject({ status: 'succeeded', progress: { variantsStored: 1 } });
    expect(await userView(host, queued.requestId)).toMatchObject({ status: 'succeeded' });
    expect(queuedCalls.submitVideoJob).toHaveLength(1);
    expect(await limiterState(policy)).toEqual({ holders: [], waiters: [] });
  });

  it('runs once the holder’s job fails and gives its slot back', async () => {
    const policy = admission('failed-frees');
    const holder = request('admission-failed-holder', { admission: policy });
    const queued = request('admission-failed-queued', { admission: policy });
    const { holderCalls, queuedCalls } = await holderThenQueued(
      holder,
      { ...succeedingActivities(holder.requestId), getVideoJob: () => jobStatus(holder.requestId, 'failed') },
      queued,
      succeedingActivities(queued.requestId),
    );
    expect(await userView(host, queued.requestId)).toMatchObject({ status: 'waiting', progress: { queuePosition: 1 } });
    expect(queuedCalls.submitVideoJob).toEqual([]);

    host.resumeTimeSkipping();
    await host.waitForIdle();
    expect(await userView(host, holder.requestId)).toMatchObject({ status: 'failed', result: { outcome: 'failed', soraJobId: `task_${holder.requestId}` } });
    expect(holderCalls.submitVideoJob).toHaveLength(1);
    expect(await userView(host, queued.requestId)).toMatchObject({
      status: 'succeeded',
      progress: { stage: 'succeeded', queuePosition: null },
      result: { outcome: 'succeeded', soraJobId: `task_${queued.requestId}` },
    });
    expect(queuedCalls.submitVideoJob).toHaveLength(1);
    expect(await limiterState(policy)).toEqual({ holders: [], waiters: [] });
  });

  it('ends timed_out without a Sora job when its deadline passes in the queue', async () => {
    const policy = admission('deadline-queued');
    const holder = request('admission-deadline-holder', { admission: policy });
    const queued = request('admission-deadline-queued', { admission: policy, deadlineMs: 5 * MINUTE });
    const { holderCalls, queuedCalls } = await holderThenQueued(holder, jobRunningFor(holder, 10), queued, succeedingActivities(queued.requestId));

    host.resumeTimeSkipping();
    await host.waitForIdle();
    const view = await userView(host, queued.requestId);
    expect(view).toMatchObject({ status: 'timed_out', result: { outcome: 'timed_out', soraJobId: null } });
    expect(queuedCalls.submitVideoJob).toEqual([]);
    // The holder ran on to the end of its job, after the queued request had given up.
    expect(await userView(host, holder.requestId)).toMatchObject({ status: 'succeeded' });
    expect(holderCalls.submitVideoJob).toHaveLength(1);
    expect(await limiterState(policy)).toEqual({ holders: [], waiters: [] });
  });

  it('gets the slot of a holder that was terminated once that holder’s lease has run out', async () => {
    const policy = { ...admission('terminated-holder'), leaseMs: 10 * MINUTE };
    const holder = request('admission-terminated-holder', { admission: policy });
    const queued = request('admission-terminated-queued', { admission: policy });
    const { queuedCalls } = await holderThenQueued(holder, jobRunningFor(holder, 60), queued, succeedingActivities(queued.requestId));
    const terminatedAt = host.clock.now();
    await host.client.terminate(holder.requestId, 'operator');
    await host.waitForIdle();
    expect(await userView(host, holder.requestId)).toMatchObject({ runtimeStatus: 'Terminated', status: 'cancelled' });
    // Terminated, the holder never gives its slot back: the queued request waits for the lease to run out.
    expect(await limiterState(policy)).toEqual({ holders: [holder.requestId], waiters: [queued.requestId] });

    host.resumeTimeSkipping();
    await host.waitForIdle();
    expect(await userView(host, queued.requestId)).toMatchObject({ status: 'succeeded', result: { outcome: 'succeeded' } });
    expect(queuedCalls.submitVideoJob).toHaveLength(1);
    const submittedAt = Date.parse((await userView(host, queued.requestId)).progress.submittedAt ?? '');
    expect(submittedAt - terminatedAt).toBeGreaterThanOrEqual(9 * MINUTE);
    expect(submittedAt - terminatedAt).toBeLessThanOrEqual(11 * MINUTE);
    expect(await limiterState(policy)).toEqual({ holders: [], waiters: [] });
  });
});
