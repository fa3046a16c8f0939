import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * `host.json` `extensions.queues`, with the Functions host's defaults: what
 * every queue trigger of the app polls and retries by.
 */
export interface QueueOptions {
  /** Messages fetched per receive (1–32; default 16). */
  batchSize: number;
  /** A new batch is fetched once this many or fewer messages are still running (default batchSize / 2). */
  newBatchThreshold: number;
  /** The longest wait between two polls of an empty queue (default 1 minute, at least 100 ms). */
  maxPollingIntervalMs: number;
  /** How long a failed message stays invisible before it is tried again (default 0). */
  visibilityTimeoutMs: number;
  /** Tries before a message is moved to `<queue>-poison` (default 5). */
  maxDequeueCount: number;
  /** How message text is decoded: base64 (default), or none. */
  messageEncoding: 'base64' | 'none';
}

export const DEFAULT_QUEUE_OPTIONS: QueueOptions = {
  batchSize: 16,
  newBatchThreshold: 8,
  maxPollingIntervalMs: 60_000,
  visibilityTimeoutMs: 0,
  maxDequeueCount: 5,
  messageEncoding: 'base64',
};

const MIN_POLLING_INTERVAL_MS = 100;
const MAX_BATCH_SIZE = 32;

/** Reads the app's host.json; `overrides` (tests, the local stack) win over it. */
export function readQueueOptions(appDir: string | undefined, overrides: Partial<QueueOptions> = {}): QueueOptions {
  const file = appDir === undefined ? undefined : path.join(appDir, 'host.json');
  const raw = file !== undefined && existsSync(file) ? queuesSection(JSON.parse(readFileSync(file, 'utf8'))) : {};
  const batchSize = overrides.batchSize ?? wholeNumber(raw.batchSize, 'batchSize', 1, MAX_BATCH_SIZE) ?? DEFAULT_QUEUE_OPTIONS.batchSize;
  const options: QueueOptions = {
    batchSize,
    newBatchThreshold: overrides.newBatchThreshold ?? wholeNumber(raw.newBatchThreshold, 'newBatchThreshold', 0) ?? Math.floor(batchSize / 2),
    maxPollingIntervalMs: overrides.maxPollingIntervalMs ?? durationMs(raw.maxPollingInterval, 'maxPollingInterval') ?? DEFAULT_QUEUE_OPTIONS.maxPollingIntervalMs,
    visibilityTimeoutMs: overrides.visibilityTimeoutMs ?? durationMs(raw.visibilityTimeout, 'visibilityTimeout') ?? DEFAULT_QUEUE_OPTIONS.visibilityTimeoutMs,
    maxDequeueCount: overrides.maxDequeueCount ?? wholeNumber(raw.maxDequeueCount, 'maxDequeueCount', 1) ?? DEFAULT_QUEUE_OPTIONS.maxDequeueCount,
    messageEncoding: overrides.messageEncoding ?? encoding(raw.messageEncoding) ?? DEFAULT_QUEUE_OPTIONS.messageEncoding,
  };
  if (options.maxPollingIntervalMs < MIN_POLLING_INTERVAL_MS) {
    throw new Error(`host.json extensions.queues.maxPollingInterval must be at least ${MIN_POLLING_INTERVAL_MS} ms.`);
  }
  return options;
}

function queuesSection(hostJson: unknown): Record<string, unknown> {
  const extensions = (hostJson as { extensions?: { queues?: unknown } }).extensions;
  const queues = extensions?.queues;
  return typeof queues === 'object' && queues !== null ? (queues as Record<string, unknown>) : {};
}

function wholeNumber(value: unknown, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(`host.json extensions.queues.${name} must be a whole number from ${min} to ${max}.`);
  }
  return value;
}

/** A TimeSpan (`[d.]hh:mm:ss[.fff]`) as host.json writes it, or a number of milliseconds. */
function durationMs(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && value >= 0) return value;
  const match = typeof value === 'string' ? /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/.exec(value) : null;
  if (match === null) throw new Error(`host.json extensions.queues.${name} must be a TimeSpan like "00:00:30".`);
  const [, days = '0', hours = '0', minutes = '0', seconds = '0', fraction = '0'] = match;
  const fractionMs = Number(`0.${fraction}`) * 1000;
  return ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds) * 1000 + Math.round(fractionMs);
}

function encoding(value: unknown): QueueOptions['messageEncoding'] | undefined {
  if (value === undefined) return undefined;
  if (value === 'base64' || value === 'none') return value;
  throw new Error('host.json extensions.queues.messageEncoding must be "base64" or "none".');
}
