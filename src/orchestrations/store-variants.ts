/**
 * One store activity per variant, in parallel, each retried on durable timers
 * of the orchestrator's own (the first wait, then doubling). Because the
 * orchestrator holds those timers, a variant that fails for the last time —
 * or is refused for good, its deployment gone — cancels every other
 * variant's pending retry and the request ends at once, with its error. (The SDK's retrying tasks keep timers nobody can cancel: the
 * instance would stay Running until they all fired, minutes after it said
 * `failed`.) A copy still running then finishes into nothing: it rewrites the
 * same blob names, and no one reads its result.
 *
 * Deterministic, like every orchestrator step: only tasks and
 * `currentUtcDateTime`.
 */
import type { OrchestrationContext, Task, TimerTask } from 'durable-functions';
import { activityResult, activityTask } from '../activities/typed-call';
import { isStoreRefused, type StoreVideoInput } from '../contracts/activities';
import type { ServiceErrorInfo, StoredVideo, VideoPolicy } from '../contracts/orchestration';

type Step<T> = Generator<Task, T, unknown>;

/** Every variant stored; or a copy failed for the last time (its error as thrown); or one was refused for good (a gone deployment). */
export type StoreVariantsResult = { kind: 'stored'; videos: StoredVideo[] } | { kind: 'failed'; error: unknown } | { kind: 'refused'; error: ServiceErrorInfo };

/** What one variant is waiting for: its copy, or the timer before its next attempt. */
interface Waiting {
  variant: number;
  attempt: number;
  task: Task;
  retryTimer?: TimerTask;
}

/** `stored(count)` is told each time one more variant is in, for the progress a client sees. */
export function* storeVariants(context: OrchestrationContext, copies: StoreVideoInput[], retry: VideoPolicy['store'], stored: (count: number) => void): Step<StoreVariantsResult> {
  const videos: StoredVideo[] = [];
  const copy = (variant: number, attempt: number): Waiting => ({ variant, attempt, task: activityTask(context, 'storeVideo', copies[variant] as StoreVideoInput) });
  let waiting = copies.map((_, variant) => copy(variant, 1));
  while (waiting.length > 0) {
    const done = yield* nextDone(context, waiting);
    waiting = waiting.filter((w) => w !== done);
    if (done.retryTimer) {
      waiting.push(copy(done.variant, done.attempt));
    } else if (!done.task.isFaulted) {
      const outcome = activityResult('storeVideo', done.task);
      if (isStoreRefused(outcome)) {
        cancelRetries(waiting);
        return { kind: 'refused', error: outcome.error };
      }
      videos.push(outcome);
      stored(videos.length);
    } else if (done.attempt >= retry.maxAttempts) {
      cancelRetries(waiting);
      return { kind: 'failed', error: done.task.result };
    } else {
      const fireAt = context.df.currentUtcDateTime.getTime() + retry.firstRetryMs * 2 ** (done.attempt - 1);
      const timer = context.df.createTimer(new Date(fireAt));
      waiting.push({ variant: done.variant, attempt: done.attempt + 1, task: timer, retryTimer: timer });
    }
  }
  return { kind: 'stored', videos: videos.sort((a, b) => a.variant - b.variant) };
}

/** A request that has ended leaves no timer behind: a pending one would keep the instance Running. */
function cancelRetries(waiting: readonly Waiting[]): void {
  for (const other of waiting) other.retryTimer?.cancel();
}

/**
 * The first of the tasks to finish. One that finished while another was being
 * handled is taken first: a new `Task.any` over it would never hear of it (the
 * SDK tells only the compound task that was waiting at that moment).
 */
function* nextDone(context: OrchestrationContext, waiting: Waiting[]): Step<Waiting> {
  const finished = waiting.find((w) => w.task.isCompleted || w.task.isFaulted);
  if (finished) return finished;
  const winner = yield context.df.Task.any(waiting.map((w) => w.task));
  const done = waiting.find((w) => w.task === winner);
  if (!done) throw new Error('Task.any answered with a task it was not given');
  return done;
}
