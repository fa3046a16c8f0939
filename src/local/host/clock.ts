import type { Clock } from '../clock';

/** A clock the host's durable timers run on. */
export interface HostClock extends Clock {
  /** True when time jumps ahead to the next due timer whenever the host is idle. */
  readonly timeSkipping: boolean;
  /** Calls `fire` (asynchronously) once `now() >= at`; the returned function cancels it. */
  schedule(at: number, fire: () => void): () => void;
  /** The due time of the earliest pending timer, if any. */
  nextDueTime(): number | undefined;
  /** Time skipping only: jumps to the earliest pending timer and fires what is due. False when none. */
  skipToNextTimer(): boolean;
  /** Cancels every pending timer (the host is closing). */
  dispose(): void;
}

interface PendingTimer {
  at: number;
  fire: () => void;
}

/** setTimeout cannot wait longer than 2^31-1 ms; longer waits are re-armed. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Durable timers over a clock whose `now` may jump: one real timeout armed for
 * the earliest timer, re-armed whenever the set or the time changes.
 */
class TimerQueue implements HostClock {
  readonly timeSkipping: boolean;
  #offset = 0;
  #pending: PendingTimer[] = [];
  #timeout: NodeJS.Timeout | undefined;

  constructor(timeSkipping: boolean) {
    this.timeSkipping = timeSkipping;
  }

  now(): number {
    return Date.now() + this.#offset;
  }

  schedule(at: number, fire: () => void): () => void {
    const timer = { at, fire };
    const index = this.#pending.findIndex((other) => other.at > at);
    this.#pending.splice(index === -1 ? this.#pending.length : index, 0, timer);
    this.#arm();
    return () => {
      const position = this.#pending.indexOf(timer);
      if (position !== -1) {
        this.#pending.splice(position, 1);
        this.#arm();
      }
    };
  }

  nextDueTime(): number | undefined {
    return this.#pending[0]?.at;
  }

  skipToNextTimer(): boolean {
    const next = this.#pending[0];
    if (!this.timeSkipping || next === undefined) return false;
    const ahead = next.at - this.now();
    if (ahead > 0) this.#offset += ahead;
    this.#fireDue();
    return true;
  }

  dispose(): void {
    this.#pending = [];
    this.#arm();
  }

  #fireDue(): void {
    const now = this.now();
    const due: PendingTimer[] = [];
    while (this.#pending[0] !== undefined && this.#pending[0].at <= now) {
      const timer = this.#pending.shift();
      if (timer !== undefined) due.push(timer);
    }
    this.#arm();
    for (const timer of due) queueMicrotask(timer.fire);
  }

  #arm(): void {
    clearTimeout(this.#timeout);
    this.#timeout = undefined;
    const next = this.#pending[0];
    if (next === undefined) return;
    const wait = Math.min(Math.max(0, next.at - this.now()), MAX_TIMEOUT_MS);
    this.#timeout = setTimeout(() => {
      this.#fireDue();
    }, wait);
    // Pending durable timers alone must not keep a process alive (the server does).
    this.#timeout.unref();
  }
}

/** Wall-clock time; timers fire when they are due. */
export function createRealClock(): HostClock {
  return new TimerQueue(false);
}

/**
 * Starts at wall-clock time and runs with it, but `skipToNextTimer` moves it
 * ahead to the earliest timer, so hours of durable timers pass in milliseconds.
 */
export function createTimeSkippingClock(): HostClock {
  return new TimerQueue(true);
}
