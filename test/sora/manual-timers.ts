/**
 * Timers that move only when the test says so: `advance(ms)` fires, in time
 * order, every timer whose moment has come. A test decides whether a pause
 * reaches SoraHttp's bound, instead of sleeping and hoping the machine keeps up.
 */
import type { Timers } from '../../src/sora/timers';

interface Pending {
  at: number;
  fire: () => void;
}

export class ManualTimers implements Timers {
  #now = 0;
  readonly #pending = new Set<Pending>();
  readonly #waiting: (() => void)[] = [];

  start(ms: number, fire: () => void): () => void {
    const timer = { at: this.#now + ms, fire };
    this.#pending.add(timer);
    for (const wake of this.#waiting.splice(0)) wake();
    return () => {
      this.#pending.delete(timer);
    };
  }

  advance(ms: number): void {
    this.#now += ms;
    for (let next = this.#due(); next; next = this.#due()) {
      this.#pending.delete(next);
      next.fire();
    }
  }

  /** Resolves once a timer is running, i.e. the code under test has started waiting on the network. */
  running(): Promise<void> {
    if (this.#pending.size > 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #due(): Pending | undefined {
    let earliest: Pending | undefined;
    for (const timer of this.#pending) {
      if (timer.at <= this.#now && (!earliest || timer.at < earliest.at)) earliest = timer;
    }
    return earliest;
  }
}
