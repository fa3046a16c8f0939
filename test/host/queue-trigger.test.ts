/**
 * Storage queue triggers on the local host against Azurite: the message as
 * the Node worker hands it over, its trigger metadata, delete on success,
 * retry after the visibility timeout, the poison queue, batches, and an idle
 * host whose pollers do not count as work.
 */
import { fileURLToPath } from 'node:url';
import { QueueServiceClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type Azurite } from '../../src/local/azurite';
import { startLocalHost, type LocalHost } from '../../src/local/host';

interface Seen {
  queue: string;
  message: unknown;
  type: string;
  metadata: { id: string; dequeueCount: number; insertionTime: string; expirationTime: string; nextVisibleTime: string; popReceipt: string };
  at: number;
}
interface SeenReport {
  seen: Seen[];
  running: number;
  peakRunning: number;
}

const VISIBILITY_TIMEOUT_MS = 1000;
let azurite: Azurite;
let host: LocalHost;
let queues: QueueServiceClient;

beforeAll(async () => {
  azurite = await startAzurite();
  queues = QueueServiceClient.fromConnectionString(azurite.connectionString);
  for (const name of ['records', 'failing', 'held']) await queues.getQueueClient(name).createIfNotExists();
  host = await startLocalHost({
    entry: fileURLToPath(new URL('./apps/queue-app.js', import.meta.url)),
    port: 0,
    timeSkipping: true,
    settings: { QueueStorage: azurite.connectionString, RECORD_QUEUE: 'records' },
    queues: { maxPollingIntervalMs: 200, maxDequeueCount: 3, batchSize: 2, newBatchThreshold: 0, visibilityTimeoutMs: VISIBILITY_TIMEOUT_MS },
    log: () => undefined,
  });
});

afterAll(async () => {
  await host.close();
  await azurite.close();
});

const base64 = (text: string) => Buffer.from(text).toString('base64');

async function report(): Promise<SeenReport> {
  const response = await fetch(`${host.baseUrl}/api/seen`);
  return (await response.json()) as SeenReport;
}

/** Polls until `check` holds: the test waits on what the host did, never on a fixed time. */
async function until<T>(what: string, read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const seenFor = (queue: string, key: string) => async () => (await report()).seen.filter((s) => s.queue === queue && (s.message as { key?: string }).key === key);
const messageCount = (queue: string) => async () => (await queues.getQueueClient(queue).getProperties()).approximateMessagesCount ?? -1;
const peekAll = async (queue: string) => (await queues.getQueueClient(queue).peekMessages({ numberOfMessages: 32 })).peekedMessageItems.map((m) => m.messageText);

describe('queue trigger on the local host', () => {
  it('lets waitForIdle resolve while its pollers watch empty queues', async () => {
    await host.waitForIdle();
    expect(host.functions.filter((f) => f.trigger === 'queueTrigger').map((f) => f.name).sort()).toEqual(['failingMessage', 'heldMessage', 'recordMessage']);
  });

  it('hands a base64 JSON message over as an object with its trigger metadata, and deletes it once the function succeeds', async () => {
    const sent = await queues.getQueueClient('records').sendMessage(base64(JSON.stringify({ key: 'json-1', n: 42 })));
    const [seen] = await until('the message to run', seenFor('record', 'json-1'), (s) => s.length === 1);
    expect(seen?.message).toEqual({ key: 'json-1', n: 42 });
    expect(seen?.type).toBe('object');
    expect(seen?.metadata.id).toBe(sent.messageId);
    expect(seen?.metadata.dequeueCount).toBe(1);
    expect(seen?.metadata.insertionTime).toBe(sent.insertedOn.toISOString());
    expect(seen?.metadata.expirationTime).toBe(sent.expiresOn.toISOString());
    expect(typeof seen?.metadata.popReceipt).toBe('string');
    expect(new Date(seen?.metadata.nextVisibleTime ?? 0).getTime()).toBeGreaterThan(new Date(sent.insertedOn).getTime());
    expect(await until('the message to be deleted', messageCount('records'), (n) => n === 0)).toBe(0);
  });

  it('hands text that is not JSON over as a string', async () => {
    await queues.getQueueClient('records').sendMessage(base64('plain words'));
    const seen = await until('the text to run', async () => (await report()).seen.filter((s) => s.message === 'plain words'), (s) => s.length === 1);
    expect(seen[0]?.type).toBe('string');
  });

  it('runs a message that threw again once its visibility timeout has passed, with the next dequeue count', async () => {
    await queues.getQueueClient('failing').sendMessage(base64(JSON.stringify({ key: 'once', failures: 1 })));
    const tries = await until('the second try', seenFor('failing', 'once'), (s) => s.length === 2);
    expect(tries.map((t) => t.metadata.dequeueCount)).toEqual([1, 2]);
    expect((tries[1]?.at ?? 0) - (tries[0]?.at ?? 0)).toBeGreaterThanOrEqual(VISIBILITY_TIMEOUT_MS - 50);
    expect(await until('the message to be deleted', messageCount('failing'), (n) => n === 0)).toBe(0);
    expect(await peekAll('failing-poison').catch(() => [])).toEqual([]);
  });

  it('moves a message to <queue>-poison after maxDequeueCount failed tries, as it was stored', async () => {
    const text = base64(JSON.stringify({ key: 'always', failures: 99 }));
    await queues.getQueueClient('failing').sendMessage(text);
    const poisoned = await until('the poison queue', () => peekAll('failing-poison').catch(() => []), (m) => m.length === 1);
    expect(poisoned).toEqual([text]);
    expect((await seenFor('failing', 'always')()).map((t) => t.metadata.dequeueCount)).toEqual([1, 2, 3]);
    expect(await messageCount('failing')()).toBe(0);
  });

  it('moves a message that is not base64 to the poison queue without running the function', async () => {
    const before = (await report()).seen.length;
    await queues.getQueueClient('records').sendMessage('not base64!');
    expect(await until('the poison queue', () => peekAll('records-poison').catch(() => []), (m) => m.length === 1)).toEqual(['not base64!']);
    expect((await report()).seen.length).toBe(before);
  });

  it('runs batchSize + newBatchThreshold messages at once, the rest staying visible in the queue meanwhile', async () => {
    const held = queues.getQueueClient('held');
    for (let i = 0; i < 5; i++) await held.sendMessage(base64(JSON.stringify({ key: `held-${i}` })));
    await until('two messages running', report, (r) => r.running === 2);
    expect((await held.peekMessages({ numberOfMessages: 32 })).peekedMessageItems).toHaveLength(3);
    const done = await until(
      'every held message to run',
      async () => {
        await fetch(`${host.baseUrl}/api/release`, { method: 'POST' });
        return report();
      },
      (r) => r.seen.filter((s) => s.queue === 'held').length === 5 && r.running === 0,
    );
    expect(done.peakRunning).toBe(2);
    expect(await until('the held queue to empty', messageCount('held'), (n) => n === 0)).toBe(0);
  });
});
