/**
 * Writes per key, one at a time: a request made while that key's write runs
 * waits for one more write, shared by every request made meanwhile. Each
 * write stores the state current when it starts, so when a request resolves,
 * the state at the time of the request (or a later one) has been written.
 */
export class CoalescingWrites<K> {
  readonly #write: (key: K) => Promise<void>;
  readonly #running = new Map<K, Promise<void>>();
  readonly #queued = new Map<K, Promise<void>>();

  constructor(write: (key: K) => Promise<void>) {
    this.#write = write;
  }

  request(key: K): Promise<void> {
    const queued = this.#queued.get(key);
    if (queued !== undefined) return queued;
    const running = this.#running.get(key);
    if (running === undefined) return this.#start(key);
    const next = running.then(
      () => this.#startQueued(key),
      () => this.#startQueued(key),
    );
    this.#queued.set(key, next);
    return next;
  }

  /** Resolves once no write runs or waits (failures included). */
  async settled(): Promise<void> {
    while (this.#running.size > 0 || this.#queued.size > 0) {
      await Promise.allSettled([...this.#running.values(), ...this.#queued.values()]);
    }
  }

  #startQueued(key: K): Promise<void> {
    this.#queued.delete(key);
    return this.#start(key);
  }

  #start(key: K): Promise<void> {
    const write = this.#write(key).finally(() => {
      if (this.#running.get(key) === write) this.#running.delete(key);
    });
    this.#running.set(key, write);
    return write;
  }
}
