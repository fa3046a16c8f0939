/**
 * The videoGeneration orchestrator: submit the Sora job, sleep on durable
 * timers between status checks, then copy every variant into Blob Storage.
 *
 * Deterministic by construction: its whole policy comes in its input, time
 * comes from `currentUtcDateTime`, and every call to the outside world is an
 * activity.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import { callActivity } from '../activities/typed-call';
import type { SubmitOutcome } from '../contracts/activities';
import type { ServiceErrorInfo, VideoGenerationInput, VideoManifest, VideoResult } from '../contracts/orchestration';
import { FINISHED_STATUSES, STAGE_OF_SORA_STATUS } from '../contracts/public-status';
import type { SoraJob } from '../sora/types';
import { EVENTS } from '../names';
import { DeploymentSlot } from './admission';
import { announceCompletion } from './announce-completion';
import { recordEnd, recordingStages } from './index-recording';
import { recordJobDuration, withExpectedDuration } from './learned-duration';
import { nextPollDelayMs } from './poll-schedule';
import { ProgressReport } from './progress-report';
import { storeVariants } from './store-variants';

type Step<T> = Generator<Task, T, unknown>;

/** A throttled submit without retry-after waits this long, doubling each time; so does a create that stays unsure. */
const SUBMIT_BACKOFF_MS = 10_000;
const SUBMIT_BACKOFF_MAX_MS = 5 * 60_000;
/** Runs of the submit activity that throw are tried again: 5 s, then 10 s later. */
const SUBMIT_RUN_FIRST_RETRY_MS = 5_000;
const SUBMIT_RUN_MAX_ATTEMPTS = 3;

export const videoGeneration: OrchestrationHandler = function* (context: OrchestrationContext): Step<VideoResult> {
  const input = context.df.getInput<VideoGenerationInput>();
  const report = new ProgressReport(context);
  report.publish();
  const result = yield* recordingStages(context, input, generate(context, input, report));
  // Uploaded inputs are only needed until Sora has them; whatever the outcome, remove them now.
  const inputs = input.spec.inputs ?? [];
  if (inputs.some((i) => i.origin === 'upload')) yield* callActivity(context, 'deleteInputs', inputs);
  yield* recordEnd(context, input, result.outcome);
  yield* announceCompletion(context, input, result);
  // The final stage is published with the output, in the same episode: a client never sees
  // "succeeded" (or "failed") without the videos (or the error) that go with it.
  report.update({ stage: result.outcome, nextCheckAt: null });
  return result;
};

function* generate(context: OrchestrationContext, input: VideoGenerationInput, report: ProgressReport): Step<VideoResult> {
  const deadlineAt = now(context) + input.policy.deadlineMs;
  const cancelRequested = context.df.waitForExternalEvent(EVENTS.cancel);
  const { admission } = input.policy;
  if (admission === null) return yield* run(context, input, deadlineAt, cancelRequested, report, null);

  const slot = new DeploymentSlot(context, input.requestId, admission);
  // However the request ends (an activity that throws included), the slot is given back here at the latest.
  try {
    const admitted = yield* slot.acquire(deadlineAt, input.policy.poll.expectedDurationMs, cancelRequested, report);
    if (admitted === 'cancelled') return cancelled(null);
    if (admitted === 'timed_out') return timedOut(null);
    return yield* run(context, input, deadlineAt, cancelRequested, report, slot);
  } finally {
    yield* slot.release();
  }
}

/** The job itself: submit, wait for it, store what it made. */
function* run(
  context: OrchestrationContext,
  requested: VideoGenerationInput,
  deadlineAt: number,
  cancelRequested: Task,
  report: ProgressReport,
  slot: DeploymentSlot | null,
): Step<VideoResult> {
  // How long this shape really takes, once the deployment has seen a few (./learned-duration.ts).
  const input = yield* withExpectedDuration(context, requested, report);
  const submitted = yield* submit(context, input, deadlineAt, cancelRequested, report);
  if (!('job' in submitted)) return submitted;

  const finished = yield* waitForJob(context, input, submitted.job, deadlineAt, cancelRequested, report);
  // Sora is done with the job (it ended, or was cancelled): the next request in the deployment's queue starts while this one stores.
  if (slot !== null) yield* slot.release();
  if (!('job' in finished)) return finished;

  return yield* store(context, input, finished.job, report);
}

/**
 * Submits. A 429 means the service certainly has no job: wait and create
 * again. `unsure` means it may have one nobody has seen (its answer was
 * lost): wait, and the next call finds and adopts that job before it creates
 * anything. Giving up while unsure cancels the job that create may have left.
 */
function* submit(
  context: OrchestrationContext,
  input: VideoGenerationInput,
  deadlineAt: number,
  cancelRequested: Task,
  report: ProgressReport,
): Step<{ job: SoraJob } | VideoResult> {
  const waits = { throttled: 0, unsure: 0 };
  for (let call = 1; ; call++) {
    const outcome = yield* callActivity(context, 'submitVideoJob', { requestId: input.requestId, spec: input.spec, attempt: call }, submitRunRetry());
    if (outcome.kind === 'accepted') {
      const at = now(context);
      report.update({
        stage: 'submitted',
        soraJobId: outcome.job.id,
        soraStatus: outcome.job.status,
        submittedAt: iso(at),
        expectedDoneAt: iso(at + input.policy.poll.expectedDurationMs),
        submit: { calls: call, waiting: null, code: null },
      });
      return { job: outcome.job };
    }
    if (outcome.kind === 'rejected') return failed(null, outcome.error);
    waits[outcome.kind]++;
    if (outcome.kind === 'throttled' && waits.throttled >= input.policy.maxSubmitAttempts) return failed(null, outcome.error);

    const retryAt = now(context) + submitDelayMs(outcome, waits[outcome.kind]);
    report.update({ submit: { calls: call, waiting: outcome.kind, code: outcome.error.code }, nextCheckAt: iso(retryAt) });
    if (retryAt >= deadlineAt) return yield* giveUp(context, input, outcome, timedOut);
    if ((yield* sleepUntil(context, retryAt, cancelRequested)) === 'cancelled') return yield* giveUp(context, input, outcome, cancelled);
  }
}

/** Throttled: Sora's retry-after, else a doubling back-off. Unsure: the activity's settle time at least, doubling while it stays unsure. */
function submitDelayMs(outcome: Extract<SubmitOutcome, { kind: 'throttled' | 'unsure' }>, waits: number): number {
  const backoff = Math.min(SUBMIT_BACKOFF_MS * 2 ** (waits - 1), SUBMIT_BACKOFF_MAX_MS);
  return outcome.kind === 'throttled' ? (outcome.retryAfterMs ?? backoff) : Math.max(outcome.retryAfterMs, backoff);
}

/** Ends the request before any job was adopted; after an unsure create, the job it may have left is cancelled first. */
function* giveUp(context: OrchestrationContext, input: VideoGenerationInput, last: SubmitOutcome, end: (soraJobId: string | null) => VideoResult): Step<VideoResult> {
  if (last.kind !== 'unsure') return end(null);
  return end(yield* callActivity(context, 'abandonSubmission', { requestId: input.requestId, spec: input.spec }));
}

/**
 * A submit run that throws (Blob Storage unreachable, the host lost the run)
 * runs again with the same call number; the ledger makes that safe.
 */
function submitRunRetry(): df.RetryOptions {
  const retry = new df.RetryOptions(SUBMIT_RUN_FIRST_RETRY_MS, SUBMIT_RUN_MAX_ATTEMPTS);
  retry.backoffCoefficient = 2;
  return retry;
}

/** Durable timers between status checks until the job ends, the deadline passes or the client cancels. */
function* waitForJob(
  context: OrchestrationContext,
  input: VideoGenerationInput,
  accepted: SoraJob,
  deadlineAt: number,
  cancelRequested: Task,
  report: ProgressReport,
): Step<{ job: SoraJob } | VideoResult> {
  const acceptedAt = now(context);
  const { api } = input.spec;
  let job = accepted;
  let checks = 0;
  let retryAfterMs: number | null = null;
  for (;;) {
    const at = now(context);
    if (at >= deadlineAt) {
      yield* callActivity(context, 'cancelVideoJob', { api, soraJobId: job.id });
      return timedOut(job.id);
    }
    const delay = nextPollDelayMs(input.policy.poll, { elapsedMs: at - acceptedAt, remainingMs: deadlineAt - at, checks, progress: job.progress, retryAfterMs });
    report.update({ nextCheckAt: iso(at + delay) });
    if ((yield* sleepUntil(context, at + delay, cancelRequested)) === 'cancelled') {
      yield* callActivity(context, 'cancelVideoJob', { api, soraJobId: job.id });
      return cancelled(job.id);
    }

    const check = yield* callActivity(context, 'getVideoJob', { api, soraJobId: job.id });
    checks++;
    report.update({ checks, lastCheckAt: iso(now(context)), nextCheckAt: null });
    if (check.kind === 'unavailable') {
      retryAfterMs = check.retryAfterMs;
      continue;
    }
    if (check.kind === 'rejected') return failed(job.id, check.error);

    job = check.job;
    retryAfterMs = null;
    // Finished stages are published with the output (see videoGeneration), not here.
    const stage = STAGE_OF_SORA_STATUS[job.status];
    report.update({ ...(FINISHED_STATUSES.includes(stage) ? {} : { stage }), soraStatus: job.status, progress: job.progress });
    if (job.status === 'succeeded') {
      recordJobDuration(context, input.policy.poll, job, now(context) - acceptedAt);
      return { job };
    }
    if (job.status === 'cancelled') return cancelled(job.id);
    if (job.status === 'failed') {
      const reason = job.failureReason ?? 'unknown';
      return failed(job.id, {
        status: null,
        code: reason,
        message: job.failureMessage ?? `Sora failed the job: ${reason}`,
        param: null,
        requestId: null,
      });
    }
  }
}

/** One store activity per variant, in parallel (./store-variants.ts), then the manifest. */
function* store(context: OrchestrationContext, input: VideoGenerationInput, job: SoraJob, report: ProgressReport): Step<VideoResult> {
  const { requestId, spec, policy, output } = input;
  const copies = job.generations.map((generation, variant) => ({
    requestId,
    api: spec.api,
    soraJobId: job.id,
    generationId: generation.id,
    variant,
    container: output.container,
  }));
  const stored = yield* storeVariants(context, copies, policy.store, (count) => {
    report.update({ variantsStored: count });
  });
  // The deployment answered 410 or 404 DeploymentNotFound: no retry can copy the variant, so the request ends with why.
  if (stored.kind === 'refused') return failed(job.id, stored.error);
  if (stored.kind === 'failed') {
    return failed(job.id, { status: null, code: 'store_failed', message: messageOf(stored.error), param: null, requestId: null });
  }
  const { videos } = stored;

  const manifest: VideoManifest = {
    requestId,
    api: spec.api,
    soraJobId: job.id,
    spec,
    acceptedAt: input.acceptedAt,
    completedAt: iso(now(context)),
    container: output.container,
    videos,
  };
  const manifestBlobName = yield* callActivity(context, 'writeManifest', manifest);
  return { outcome: 'succeeded', soraJobId: job.id, manifestBlobName, manifest };
}

/**
 * A durable timer raced against the cancel event; the losing timer is
 * cancelled so the instance can end. The event task is created once: when it
 * completed while an activity ran, a new `Task.any` would not notice (the SDK
 * only tells the compound task that was waiting at that moment), so look first.
 */
function* sleepUntil(context: OrchestrationContext, fireAt: number, cancelRequested: Task): Step<'elapsed' | 'cancelled'> {
  if (cancelRequested.isCompleted) return 'cancelled';
  const timer = context.df.createTimer(new Date(fireAt));
  const winner = yield context.df.Task.any([timer, cancelRequested]);
  if (winner === timer) return 'elapsed';
  timer.cancel();
  return 'cancelled';
}

function failed(soraJobId: string | null, error: ServiceErrorInfo): VideoResult {
  return { outcome: 'failed', soraJobId, error };
}

function cancelled(soraJobId: string | null): VideoResult {
  return { outcome: 'cancelled', soraJobId };
}

function timedOut(soraJobId: string | null): VideoResult {
  return { outcome: 'timed_out', soraJobId };
}

function now(context: OrchestrationContext): number {
  return context.df.currentUtcDateTime.getTime();
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * The first line of the failure's message. A failed activity reaches the
 * orchestrator as "<reason> \n <details>", and the details are the worker's
 * stack trace: it must not reach a client.
 */
function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0]?.trim() ?? '';
}
