import { setTimeout as sleep } from 'node:timers/promises';
import { RestError, type DequeuedMessageItem, type QueueClient } from '@azure/storage-queue';
import type { Registration } from '../core-types';
import type { IdleTracker } from '../idle-tracker';
import type { Invoker } from '../invoke';
import { decodeMessage, queueTriggerMetadata } from './queue-message';
import type { QueueOptions } from './queue-options';

/** One `app.storageQueue` function and the queues it reads and poisons. */
export interface QueueTriggerSource {
  registration: Registration;
  name: string;
  queue: QueueClient;
  poison: QueueClient;
}

export interface QueueTriggerDeps {
  invoker: Invoker;
  idle: IdleTracker;
  options: QueueOptions;
  log: (line: string) => void;
}

/** A received message stays invisible this long while its function runs, renewed at half-time, as the host does. */
const RUNNING_LEASE_SECONDS = 600;
const FIRST_POLL_DELAY_MS = 100;

/**
 * Serves one queue trigger like the Functions host: polls with a random
 * exponential back-off while the queue is empty (up to
 * `maxPollingInterval`), fetches `batchSize` messages at a time and again
 * once no more than `newBatchThreshold` run, keeps each invisible while its
 * function runs, deletes it when the function succeeds, makes it visible
 * again after `visibilityTimeout` when it throws, and moves it to
 * `<queue>-poison` on its `maxDequeueCount`th failure (or when it cannot be
 * decoded). Polling is not work for `waitForIdle`: only running a message is.
 */
export class QueueTriggerListener {
  readonly #source: QueueTriggerSource;
  readonly #deps: QueueTriggerDeps;
  readonly #running = new Set<Promise<void>>();
  readonly #stop = new AbortController();
  #loop: Promise<void> | undefined;

  constructor(source: QueueTriggerSource, deps: QueueTriggerDeps) {
    this.#source = source;
    this.#deps = deps;
  }

  start(): void {
    this.#loop ??= this.#poll().catch((error: unknown) => {
      if (!this.#stop.signal.aborted) this.#deps.log(`[${this.#source.name}] queue listener stopped: ${describe(error)}`);
    });
  }

  /** Stops polling and waits for the messages already running. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#loop;
    await Promise.allSettled([...this.#running]);
  }

  async #poll(): Promise<void> {
    const { options, log } = this.#deps;
    let delayMs = FIRST_POLL_DELAY_MS;
    while (!this.#stopped()) {
      if (this.#running.size > options.newBatchThreshold) {
        await Promise.race(this.#running);
        continue;
      }
      let messages: DequeuedMessageItem[];
      try {
        messages = await this.#receive();
      } catch (error) {
        if (this.#stopped()) break;
        log(`[${this.#source.name}] polling queue '${this.#source.queue.name}' failed: ${describe(error)}`);
        messages = [];
      }
      if (messages.length > 0) {
        for (const message of messages) this.#run(message);
        delayMs = FIRST_POLL_DELAY_MS;
        continue;
      }
      await sleep(delayMs, undefined, { signal: this.#stop.signal, ref: false }).catch(() => undefined);
      // Random exponential back-off: double, with jitter, up to the cap.
      delayMs = Math.min(options.maxPollingIntervalMs, delayMs * (1.5 + Math.random()));
    }
  }

  #stopped(): boolean {
    return this.#stop.signal.aborted;
  }

  async #receive(): Promise<DequeuedMessageItem[]> {
    try {
      const response = await this.#source.queue.receiveMessages({
        numberOfMessages: this.#deps.options.batchSize,
        visibilityTimeout: RUNNING_LEASE_SECONDS,
        abortSignal: this.#stop.signal,
      });
      return response.receivedMessageItems;
    } catch (error) {
      // A queue that does not exist yet is an empty queue.
      if (error instanceof RestError && error.statusCode === 404) return [];
      throw error;
    }
  }

  #run(message: DequeuedMessageItem): void {
    const work = this.#deps.idle.track(() => this.#process(message)).catch((error: unknown) => {
      this.#deps.log(`[${this.#source.name}] message ${message.messageId}: ${describe(error)}`);
    });
    this.#running.add(work);
    void work.finally(() => this.#running.delete(work));
  }

  async #process(message: DequeuedMessageItem): Promise<void> {
    const { options, invoker, log } = this.#deps;
    const { name, registration } = this.#source;
    if (message.dequeueCount > options.maxDequeueCount) {
      await this.#poison(message, message.popReceipt, `it was dequeued ${message.dequeueCount} times`);
      return;
    }
    const decoded = decodeMessage(message.messageText, options.messageEncoding);
    if (!decoded.ok) {
      await this.#poison(message, message.popReceipt, decoded.reason);
      return;
    }
    const lease = new MessageLease(this.#source.queue, message);
    let outcome;
    try {
      outcome = await invoker.invoke(registration, { string: decoded.text }, { triggerMetadata: queueTriggerMetadata(message, decoded.text) });
    } finally {
      await lease.end();
    }
    if (outcome.ok) {
      await this.#source.queue.deleteMessage(message.messageId, lease.popReceipt);
      return;
    }
    log(`[${name}] failed on message ${message.messageId} (dequeue count ${message.dequeueCount}): ${describe(outcome.error)}`);
    if (message.dequeueCount >= options.maxDequeueCount) {
      await this.#poison(message, lease.popReceipt, `it failed ${message.dequeueCount} times (maxDequeueCount)`);
      return;
    }
    await this.#source.queue.updateMessage(message.messageId, lease.popReceipt, undefined, Math.ceil(options.visibilityTimeoutMs / 1000));
  }

  /** Copies the message, as stored, to `<queue>-poison` and removes it from its queue. */
  async #poison(message: DequeuedMessageItem, popReceipt: string, why: string): Promise<void> {
    const { poison, queue } = this.#source;
    await poison.createIfNotExists();
    await poison.sendMessage(message.messageText);
    await queue.deleteMessage(message.messageId, popReceipt);
    this.#deps.log(`[${this.#source.name}] message ${message.messageId} moved to '${poison.name}': ${why}.`);
  }
}

/** Keeps a running message invisible: its visibility is renewed at half the lease, each renewal giving a new pop receipt. */
class MessageLease {
  popReceipt: string;
  readonly #timer: NodeJS.Timeout;
  #renewal: Promise<void> = Promise.resolve();

  constructor(queue: QueueClient, message: DequeuedMessageItem) {
    this.popReceipt = message.popReceipt;
    this.#timer = setInterval(() => {
      this.#renewal = this.#renewal
        .then(async () => {
          const renewed = await queue.updateMessage(message.messageId, this.popReceipt, undefined, RUNNING_LEASE_SECONDS);
          if (renewed.popReceipt !== undefined) this.popReceipt = renewed.popReceipt;
        })
        .catch(() => undefined);
    }, (RUNNING_LEASE_SECONDS * 1000) / 2);
    this.#timer.unref();
  }

  async end(): Promise<void> {
    clearInterval(this.#timer);
    await this.#renewal;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
