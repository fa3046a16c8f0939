/**
 * Admission: a request holds one of its deployment's slots (the limiter
 * entity, src/entities/) while it has a job at Sora, so a backlog queues in
 * arrival order instead of turning into 429s. Deterministic like the
 * orchestrator: the limiter is reached through `callEntity` with the
 * orchestration's own clock.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import { callActivity } from '../activities/typed-call';
import type { AdmissionPolicy } from '../contracts/orchestration';
import { DEPLOYMENT_LIMITER, type ReleaseSlotInput, type RequestSlotAnswer, type RequestSlotInput } from '../entities/deployment-limiter';
import type { SlotChanges } from '../entities/slot-queue';
import { EVENTS } from '../names';
import type { ProgressReport } from './progress-report';
import { estimatedStartMs } from './start-estimate';

type Step<T> = Generator<Task, T, unknown>;

/** How waiting for a slot ended: holding one, or the request ended first. */
export type Admission = 'admitted' | 'cancelled' | 'timed_out';

/**
 * A request's place at its deployment's limiter, from asking for a slot to
 * giving it back. The slot is given back once: as soon as Sora is done with
 * the job (so the next request starts while this one stores its videos), or
 * by the orchestrator's `finally` on any other way out — which finds nothing
 * left to do when the early release already ran.
 */
export class DeploymentSlot {
  private givenBack = false;

  constructor(
    private readonly context: OrchestrationContext,
    private readonly requestId: string,
    private readonly policy: AdmissionPolicy,
  ) {}

  /**
   * Asks for a slot and, while queued (stage `waiting` with the queue
   * position and the estimated start), waits for the grant, the cancel
   * event, or the next recheck, until the deadline. Leaving the queue
   * unadmitted still needs a release.
   */
  *acquire(deadlineAt: number, expectedJobMs: number, cancelRequested: Task, report: ProgressReport): Step<Admission> {
    const { context, policy } = this;
    const granted = context.df.waitForExternalEvent(EVENTS.slotGranted);
    for (;;) {
      const input: RequestSlotInput = { requestId: this.requestId, instanceId: context.df.instanceId, leaseMs: policy.leaseMs, capacity: policy.capacity, now: now(context) };
      const answer = (yield context.df.callEntity(limiterOf(policy), 'request', input)) as RequestSlotAnswer;
      yield* notifyGranted(context, answer);
      const { standing } = answer;
      if (standing.holding) {
        report.update({ stage: 'pending', queuePosition: null, estimatedStartAt: null, nextCheckAt: null });
        return 'admitted';
      }
      const at = now(context);
      if (at >= deadlineAt) return 'timed_out';
      const recheckAt = Math.min(at + policy.recheckMs, deadlineAt);
      const startAt = estimatedStartMs({ position: standing.position, capacity: policy.capacity, holdersSince: answer.holdersSince }, at, expectedJobMs);
      report.update({ stage: 'waiting', queuePosition: standing.position, estimatedStartAt: iso(startAt), nextCheckAt: iso(recheckAt) });
      if ((yield* waitForGrant(context, recheckAt, granted, cancelRequested)) === 'cancelled') return 'cancelled';
    }
  }

  /** Gives the slot back (or leaves the queue) and wakes whoever that let in; a second call does nothing. */
  *release(): Step<void> {
    if (this.givenBack) return;
    const input: ReleaseSlotInput = { requestId: this.requestId, capacity: this.policy.capacity, now: now(this.context) };
    const changes = (yield this.context.df.callEntity(limiterOf(this.policy), 'release', input)) as SlotChanges;
    this.givenBack = true;
    yield* notifyGranted(this.context, changes);
  }
}

/** Waiters a limiter operation granted a slot are told by the caller (entities cannot raise events). */
function* notifyGranted(context: OrchestrationContext, changes: SlotChanges): Step<void> {
  const others = changes.granted.map((holder) => holder.instanceId).filter((id) => id !== context.df.instanceId);
  if (others.length > 0) yield* callActivity(context, 'notifySlotGranted', others);
}

/**
 * The grant event raced against the cancel event and the recheck timer (the
 * losing timer is cancelled). Both events are created once by the caller, so
 * one that completed earlier is looked at first (see sleepUntil).
 */
function* waitForGrant(context: OrchestrationContext, recheckAt: number, granted: Task, cancelRequested: Task): Step<'granted' | 'recheck' | 'cancelled'> {
  if (cancelRequested.isCompleted) return 'cancelled';
  if (granted.isCompleted) return 'granted';
  const timer = context.df.createTimer(new Date(recheckAt));
  const winner = yield context.df.Task.any([timer, granted, cancelRequested]);
  if (winner === timer) return 'recheck';
  timer.cancel();
  return winner === cancelRequested ? 'cancelled' : 'granted';
}

function limiterOf(policy: AdmissionPolicy): df.EntityId {
  return new df.EntityId(DEPLOYMENT_LIMITER, policy.limiterKey);
}

function now(context: OrchestrationContext): number {
  return context.df.currentUtcDateTime.getTime();
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
