/**
 * Host-side retries of `callActivityWithRetry` / `callSubOrchestratorWithRetry`,
 * following DurableTask.Core's RetryInterceptor: after the failure of attempt
 * k (0-based) it waits min(first × coefficient^k, maxInterval) on a durable
 * timer — also after the last attempt, which the SDK waits for before it
 * delivers the failure. Past `retryTimeout` no timer is created.
 */
export interface RetryOptions {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
  retryTimeoutInMilliseconds?: number;
}

/** Delay before the retry that follows failed attempt `attemptIndex` (0-based). */
export function retryDelayMs(options: RetryOptions, attemptIndex: number): number {
  const coefficient = options.backoffCoefficient ?? 1;
  const delay = options.firstRetryIntervalInMilliseconds * coefficient ** attemptIndex;
  const max = options.maxRetryIntervalInMilliseconds;
  return max !== undefined && max > 0 && delay > max ? max : delay;
}

/** Whether the retry timeout, counted from the first attempt, still allows a retry timer. */
export function withinRetryTimeout(options: RetryOptions, firstAttemptAt: number, now: number): boolean {
  const timeout = options.retryTimeoutInMilliseconds;
  if (timeout === undefined || timeout <= 0 || !Number.isFinite(timeout)) return true;
  return now < firstAttemptAt + timeout;
}
