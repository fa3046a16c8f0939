/** host.json `extensions.queues` as the local host reads it: the Functions host's defaults, TimeSpans, and refusals that name the option. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUEUE_OPTIONS, readQueueOptions } from '../../src/local/host/queues/queue-options';

function appWith(queues: unknown): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'queue-options-'));
  writeFileSync(path.join(dir, 'host.json'), JSON.stringify({ version: '2.0', extensions: { queues } }));
  return dir;
}

describe('queue options', () => {
  it("use the Functions host's defaults without a queues section", () => {
    expect(readQueueOptions(undefined)).toEqual({ batchSize: 16, newBatchThreshold: 8, maxPollingIntervalMs: 60_000, visibilityTimeoutMs: 0, maxDequeueCount: 5, messageEncoding: 'base64' });
    expect(DEFAULT_QUEUE_OPTIONS.maxDequeueCount).toBe(5);
  });

  it('read TimeSpans, derive the threshold from the batch size, and let overrides win', () => {
    const options = readQueueOptions(appWith({ batchSize: 4, maxPollingInterval: '00:00:02', visibilityTimeout: '00:00:30.5', maxDequeueCount: 2, messageEncoding: 'none' }), { maxDequeueCount: 7 });
    expect(options).toEqual({ batchSize: 4, newBatchThreshold: 2, maxPollingIntervalMs: 2000, visibilityTimeoutMs: 30_500, maxDequeueCount: 7, messageEncoding: 'none' });
    expect(readQueueOptions(appWith({ visibilityTimeout: '1.00:00:00' })).visibilityTimeoutMs).toBe(86_400_000);
  });

  it('refuse values the host would refuse, naming the option', () => {
    expect(() => readQueueOptions(appWith({ batchSize: 33 }))).toThrow('extensions.queues.batchSize');
    expect(() => readQueueOptions(appWith({ maxPollingInterval: '00:00:00.050' }))).toThrow('maxPollingInterval must be at least 100 ms');
    expect(() => readQueueOptions(appWith({ visibilityTimeout: 'soon' }))).toThrow('extensions.queues.visibilityTimeout');
    expect(() => readQueueOptions(appWith({ messageEncoding: 'utf8' }))).toThrow('messageEncoding');
  });
});
