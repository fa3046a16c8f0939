import type { HostClock } from './clock';

/**
 * Knows when the host is idle — no orchestration episode queued or running,
 * no activity running, no durable API request being handled — and, with time
 * skipping, moves the clock to the next durable timer then. A test may hold
 * time skipping to act on an instance before its timer fires.
 */
export class IdleTracker {
  readonly #clock: HostClock;
  #inFlight = 0;
  #holds = 0;
  #checkQueued = false;
  #waiters: (() => void)[] = [];
  #closed = false;

  constructor(clock: HostClock) {
    this.#clock = clock;
  }

  /** Counts `work` as in flight from this call until it settles, so time does not skip ahead meanwhile. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.#inFlight++;
    try {
      return await work();
    } finally {
      this.#inFlight--;
      this.#queueCheck();
    }
  }

  /** Resolves once nothing runs and no timer is due (skipping time, when it may: once no timer is left). */
  waitForIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiters.push(resolve);
      this.#queueCheck();
    });
  }

  /** Stops time skipping until the matching `resumeTimeSkipping`; real time still flows. Holds nest. */
  pauseTimeSkipping(): void {
    this.#holds++;
  }

  /** Releases one hold; once none is left, an idle host skips to its next timer again. */
  resumeTimeSkipping(): void {
    if (this.#holds === 0) throw new Error('resumeTimeSkipping() was called without a matching pauseTimeSkipping().');
    this.#holds--;
    this.#queueCheck();
  }

  /** Releases every waiter; nothing is skipped any more. */
  close(): void {
    this.#closed = true;
    for (const resolve of this.#waiters.splice(0)) resolve();
  }

  #queueCheck(): void {
    if (this.#checkQueued || this.#inFlight > 0) return;
    this.#checkQueued = true;
    // A turn later, so work that the finished work triggers has been counted.
    setImmediate(() => {
      this.#checkQueued = false;
      if (this.#inFlight > 0 || this.#closed) return;
      const clock = this.#clock;
      if (this.#holds === 0 && clock.timeSkipping && clock.skipToNextTimer()) {
        // The fired timers start episodes; check again once they are done.
        setImmediate(() => {
          this.#queueCheck();
        });
        return;
      }
      const next = clock.nextDueTime();
      if (next !== undefined && next <= clock.now()) {
        setImmediate(() => {
          this.#queueCheck();
        });
        return;
      }
      for (const resolve of this.#waiters.splice(0)) resolve();
    });
  }
}
