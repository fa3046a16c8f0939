/**
 * The videoBatch orchestrator: runs a batch's good items as `videoGeneration`
 * sub-orchestrations (instance id `<batch id>-<item>`, so each is an ordinary
 * request at GET /api/videos/{id}), at most `concurrency` at a time — the
 * deployment limiter keeps Sora's own slots full, this only bounds how many
 * requests one batch puts in its queue. Counts per state go to custom status
 * as children finish; the output lists every item's outcome. A `cancel` event
 * stops new starts, sends the requests still running their own `cancel`, and
 * waits for them to end. Once every item has ended, the batch announces
 * itself: one `batch.completed` event, and its webhook when it named a callback.
 *
 * Deterministic: its input holds every child's whole input, built by the starter.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import { callActivity } from '../activities/typed-call';
import { emptyCounts, type BatchCounts, type BatchItemInput, type BatchItemResult, type VideoBatchInput, type VideoBatchProgress, type VideoBatchResult } from '../contracts/batch';
import type { VideoGenerationInput, VideoResult } from '../contracts/orchestration';
import { batchCompletion } from '../events/completion-event';
import { EVENTS, FUNCTIONS } from '../names';
import { announce } from './announce-completion';

type Step<T> = Generator<Task, T, unknown>;

/** Raising the cancel events is tried again (5 s, then 10 s later) before the batch gives up on it. */
const CANCEL_RETRY = { firstRetryMs: 5_000, maxAttempts: 3 };

type RunnableItem = Extract<BatchItemInput, { run: VideoGenerationInput }>;

interface Running {
  item: RunnableItem;
  task: Task;
}

export const videoBatch: OrchestrationHandler = function* (context: OrchestrationContext): Step<VideoBatchResult> {
  const input = context.df.getInput<VideoBatchInput>();
  const results = new Map<number, BatchItemResult>();
  const counts = emptyCounts();
  const waiting: RunnableItem[] = [];
  for (const item of input.items) {
    if ('rejected' in item) {
      results.set(item.item, { item: item.item, requestId: item.requestId, outcome: 'rejected', started: false, errors: item.rejected });
      counts.rejected++;
    } else {
      waiting.push(item);
      counts.pending++;
    }
  }
  const progress: VideoBatchProgress = { total: input.items.length, counts, cancelRequested: false };
  const publish = (): void => {
    context.df.setCustomStatus(progress);
  };

  const cancelRequested = context.df.waitForExternalEvent(EVENTS.cancel);
  let running: Running[] = [];
  for (;;) {
    while (!progress.cancelRequested && running.length < input.concurrency && waiting.length > 0) {
      const item = waiting.shift() as RunnableItem;
      running.push({ item, task: context.df.callSubOrchestrator(FUNCTIONS.videoGeneration, item.run, item.requestId) });
      counts.pending--;
      counts.running++;
    }
    publish();
    if (running.length === 0) break;

    const next = yield* nextEvent(context, running, progress.cancelRequested ? undefined : cancelRequested);
    if (next === 'cancel') {
      progress.cancelRequested = true;
      for (const item of waiting.splice(0)) {
        results.set(item.item, { item: item.item, requestId: item.requestId, outcome: 'cancelled', started: false });
        counts.pending--;
        counts.cancelled++;
      }
      yield* callActivity(context, 'cancelVideoRequests', running.map((r) => r.item.requestId), cancelRetry());
      continue;
    }
    running = running.filter((r) => r !== next);
    const result = resultOf(next);
    results.set(result.item, result);
    counts.running--;
    counts[result.outcome]++;
  }

  const items = input.items.map((i) => results.get(i.item) as BatchItemResult);
  const result: VideoBatchResult = { batchId: input.batchId, counts: { ...counts } satisfies BatchCounts, items };
  // Every item has announced its own end already; this is the batch's one event (and its webhook).
  const event = batchCompletion(result, progress.cancelRequested, context.df.currentUtcDateTime.toISOString());
  yield* announce(context, event, input.callback?.url ?? null);
  return result;
};

/**
 * The next child to finish, or the cancel event. One that finished while the
 * last was being handled is taken first: a new `Task.any` over it would never
 * hear of it (the SDK tells only the compound task that was waiting then).
 */
function* nextEvent(context: OrchestrationContext, running: Running[], cancel: Task | undefined): Step<Running | 'cancel'> {
  if (cancel?.isCompleted) return 'cancel';
  const finished = running.find((r) => r.task.isCompleted || r.task.isFaulted);
  if (finished) return finished;
  const winner = yield context.df.Task.any([...running.map((r) => r.task), ...(cancel ? [cancel] : [])]);
  if (winner === cancel) return 'cancel';
  const done = running.find((r) => r.task === winner);
  if (!done) throw new Error('Task.any answered with a task it was not given');
  return done;
}

function cancelRetry(): df.RetryOptions {
  const retry = new df.RetryOptions(CANCEL_RETRY.firstRetryMs, CANCEL_RETRY.maxAttempts);
  retry.backoffCoefficient = 2;
  return retry;
}

function resultOf({ item, task }: Running): BatchItemResult {
  const base = { item: item.item, requestId: item.requestId, started: true };
  // A request whose orchestration failed outright (not a Sora failure it reported) ends failed, with the first line of why.
  if (task.isFaulted) return { ...base, outcome: 'failed', error: { code: 'request_failed', message: firstLine(task.result) } };
  const result = task.result as VideoResult;
  if (result.outcome === 'failed') return { ...base, outcome: 'failed', error: { code: result.error.code, message: result.error.message } };
  return { ...base, outcome: result.outcome };
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0]?.trim() ?? '';
}
