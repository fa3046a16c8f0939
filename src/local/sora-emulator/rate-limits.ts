/**
 * The service's two limits: requests per minute (a sliding window on the
 * emulator clock) and at most N unfinished jobs per deployment. Both answer
 * 429 with `retry-after` / `retry-after-ms` saying when a retry can pass.
 */
import type { Clock } from '../clock';
import { retryLater } from './errors';
import type { JobStore } from './jobs';
import { isTerminal, jobState, naturalEndMs } from './lifecycle';

const MINUTE_MS = 60_000;

export class RequestRateLimiter {
  private readonly times: number[] = [];

  constructor(
    private readonly perMinute: number,
    private readonly clock: Clock,
  ) {}

  /** Counts the request, or throws 429 when the last minute is full. */
  take(): void {
    const now = this.clock.now();
    while (this.times.length > 0 && (this.times[0] ?? now) <= now - MINUTE_MS) this.times.shift();
    if (this.times.length >= this.perMinute) {
      const waitMs = (this.times[0] ?? now) + MINUTE_MS - now;
      throw retryLater(
        429,
        'too_many_requests',
        `Requests to the video generation API have exceeded the rate limit of ${this.perMinute} requests per minute. Please retry after ${Math.ceil(waitMs / 1000)} seconds.`,
        waitMs,
      );
    }
    this.times.push(now);
  }
}

/** Throws 429 when the deployment already has `max` unfinished jobs. */
export function checkRunningJobs(store: JobStore, deployment: string, max: number, nowMs: number, fallbackWaitMs: number): void {
  const running = store.ofDeployment(deployment).filter((job) => !isTerminal(jobState(job, nowMs)));
  if (running.length < max) return;
  const ends = running.map(naturalEndMs).filter((end): end is number => end !== null);
  const waitMs = ends.length > 0 ? Math.max(1000, Math.min(...ends) - nowMs) : fallbackWaitMs;
  throw retryLater(
    429,
    'too_many_requests',
    `Deployment '${deployment}' already has ${running.length} video generation jobs running, the most allowed at once. Please retry after ${Math.ceil(waitMs / 1000)} seconds.`,
    waitMs,
  );
}
