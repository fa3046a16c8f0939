/**
 * The orchestrator's typed door to the activities (the shape of Temporal's
 * `proxyActivities`): the name picks the input and result types from
 * `createActivities`, so a call cannot send the wrong input or misread the
 * result. The SDK hands every result back as `unknown`; this is the one
 * place that says what it is.
 */
import type { OrchestrationContext, RetryOptions, Task } from 'durable-functions';
import type { Activities, ActivityName } from './index';

export type ActivityInput<N extends ActivityName> = Parameters<Activities[N]>[0];
export type ActivityResult<N extends ActivityName> = Awaited<ReturnType<Activities[N]>>;

type Step<T> = Generator<Task, T, unknown>;

/** Calls one activity (with durable retries when `retry` is given) and returns its result. */
export function* callActivity<N extends ActivityName>(context: OrchestrationContext, name: N, input: ActivityInput<N>, retry?: RetryOptions): Step<ActivityResult<N>> {
  return (yield activityTask(context, name, input, retry)) as ActivityResult<N>;
}

/**
 * Schedules one activity without waiting for it, for an orchestrator that
 * waits on several tasks its own way; read its result with `activityResult`.
 */
export function activityTask<N extends ActivityName>(context: OrchestrationContext, name: N, input: ActivityInput<N>, retry?: RetryOptions): Task {
  return retry ? context.df.callActivityWithRetry(name, retry, input) : context.df.callActivity(name, input);
}

/** The result of a completed task `activityTask` scheduled for `name`. */
export function activityResult<N extends ActivityName>(_name: N, task: Task): ActivityResult<N> {
  return task.result as ActivityResult<N>;
}
