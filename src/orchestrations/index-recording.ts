/**
 * Keeps the request index (the table listing reads) in step with the
 * orchestration, through the recordVideoRequest activity: the start, every
 * change of the public stage the orchestration publishes, and the end.
 *
 * The stage changes in several places (admission, submit, each status
 * check), so rather than a call at each, `recordingStages` runs the request's
 * work and, before handing each of its tasks to the runtime, records the stage
 * its custom status shows if that changed. Deterministic: the stage comes from
 * the replayed custom status, the time from `currentUtcDateTime`.
 *
 * The index never decides a request's outcome: a record that still fails
 * after its retries is skipped (the next one, with a higher revision, brings
 * the index up to date). Status changes are retried briefly, since the
 * request waits for them; the end, which nothing follows, for longer.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import { callActivity } from '../activities/typed-call';
import type { VideoGenerationInput, VideoProgress } from '../contracts/orchestration';
import { FINISHED_STATUSES, type PublicStatus } from '../contracts/public-status';
import { END_REVISION, indexedPrompt, type RequestIndexEntry } from '../contracts/request-index';

type Step<T> = Generator<Task, T, unknown>;

const FIRST_RETRY_MS = 5_000;
/** A status change: 5 s, then 10 s later, then the request goes on without it. */
const STAGE_ATTEMPTS = 3;
/** The end: 5 s doubling to 80 s, about two and a half minutes in all. */
const END_ATTEMPTS = 6;

/** What `inner` got back at its last yield: a task's result, or its failure to throw in. */
type Resumption = { threw: false; value: unknown } | { threw: true; error: unknown };

/**
 * Records the start, runs `inner` recording each stage change, and returns
 * its result. When `inner` fails, records `failed` (the orchestration fails
 * too) before passing the failure on.
 */
export function* recordingStages<T>(context: OrchestrationContext, input: VideoGenerationInput, inner: Step<T>): Step<T> {
  let revision = 1;
  let recorded: PublicStatus = 'pending';
  yield* record(context, entryOf(context, input, recorded, revision), STAGE_ATTEMPTS);

  let resumption: Resumption = { threw: false, value: undefined };
  for (;;) {
    let step: IteratorResult<Task, T>;
    try {
      step = resumption.threw ? inner.throw(resumption.error) : inner.next(resumption.value);
    } catch (error) {
      yield* recordEnd(context, input, 'failed');
      throw error;
    }
    if (step.done) return step.value;

    const stage = (context.df.customStatus as VideoProgress | undefined)?.stage;
    if (stage !== undefined && stage !== recorded && !FINISHED_STATUSES.includes(stage)) {
      recorded = stage;
      revision++;
      yield* record(context, entryOf(context, input, stage, revision), STAGE_ATTEMPTS);
    }
    try {
      resumption = { threw: false, value: yield step.value };
    } catch (error) {
      resumption = { threw: true, error };
    }
  }
}

/** Records how the request ended; no later record can replace it. */
export function* recordEnd(context: OrchestrationContext, input: VideoGenerationInput, outcome: PublicStatus): Step<void> {
  yield* record(context, entryOf(context, input, outcome, END_REVISION), END_ATTEMPTS);
}

function* record(context: OrchestrationContext, entry: RequestIndexEntry, attempts: number): Step<void> {
  const retry = new df.RetryOptions(FIRST_RETRY_MS, attempts);
  retry.backoffCoefficient = 2;
  try {
    yield* callActivity(context, 'recordVideoRequest', entry, retry);
  } catch {
    // Out of retries: the request goes on; the index catches up at the next record.
  }
}

function entryOf(context: OrchestrationContext, input: VideoGenerationInput, status: PublicStatus, revision: number): RequestIndexEntry {
  return {
    requestId: input.requestId,
    acceptedAt: new Date(input.acceptedAt).toISOString(),
    prompt: indexedPrompt(input.spec.prompt),
    status,
    updatedAt: context.df.currentUtcDateTime.toISOString(),
    batchId: input.batchId ?? null,
    revision,
  };
}
