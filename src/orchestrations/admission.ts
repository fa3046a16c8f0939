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

type Step<T> = Generator<Task, T, unknown>;

/** How waiting for a slot ended: holding one, or the request ended first. */
export type Admission = 'admitted' | 'cancelled' | 'timed_out';

/**
 * Asks for a slot and, while queued (stage `waiting` with the queue
 * position), waits for the grant, the cancel event, or the next recheck,
 * until the deadline. The caller releases on every exit, admitted or not:
 * leaving the queue is a release too.
 */
export function* acquireSlot(
  context: OrchestrationContext,
  requestId: string,
  policy: AdmissionPolicy,
  deadlineAt: number,
  cancelRequested: Task,
  report: ProgressReport,
): Step<Admission> {
  const granted = context.df.waitForExternalEvent(EVENTS.slotGranted);
  for (;;) {
    const input: RequestSlotInput = { requestId, instanceId: context.df.instanceId, leaseMs: policy.leaseMs, capacity: policy.capacity, now: now(context) };
    const answer = (yield context.df.callEntity(limiterOf(policy), 'request', input)) as RequestSlotAnswer;
    yield* notifyGranted(context, answer);
    if (answer.standing.holding) {
      report.update({ stage: 'pending', queuePosition: null, nextCheckAt: null });
      return 'admitted';
    }
    const at = now(context);
    if (at >= deadlineAt) return 'timed_out';
    const recheckAt = Math.min(at + policy.recheckMs, deadlineAt);
    report.update({ stage: 'waiting', queuePosition: answer.standing.position, nextCheckAt: iso(recheckAt) });
    if ((yield* waitForGrant(context, recheckAt, granted, cancelRequested)) === 'cancelled') return 'cancelled';
  }
}

/** Gives the slot back (or leaves the queue) and wakes whoever that let in; a request holding nothing changes nothing. */
export function* releaseSlot(context: OrchestrationContext, requestId: string, policy: AdmissionPolicy): Step<void> {
  const input: ReleaseSlotInput = { requestId, capacity: policy.capacity, now: now(context) };
  const changes = (yield context.df.callEntity(limiterOf(policy), 'release', input)) as SlotChanges;
  yield* notifyGranted(context, changes);
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
