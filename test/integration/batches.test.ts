/**
 * Batches on the whole local stack (Azurite, the Sora emulator over HTTP, the
 * local host with time skipping): through POST /api/batches, and by dropping
 * a JSON Lines file into the `video-requests` container, whose blob-created
 * event the local host delivers (Azurite raises none). Counts and items are
 * read through GET /api/batches/{id} like a client would.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchIdOfFile } from '../../src/batch-files/batch-file-id';
import type { BatchCompletionEvent, CompletionEvent } from '../../src/events/completion-event';
import { BATCH_FILES_CONTAINER } from '../../src/names';
import type { BatchView } from '../../src/requests/read-batch-request';
import { startPipeline, type Pipeline } from './support';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

let p: Pipeline;
let requests: ContainerClient;
let results: ReturnType<QueueServiceClient['getQueueClient']>;

/** A webhook receiver on loopback (allowed by WEBHOOK_ALLOW_LOCAL_HTTP): records every delivery, answers 204. */
const deliveries: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
const receiver = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    deliveries.push({ path: request.url ?? '/', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
    response.writeHead(204).end();
  });
});
let hookUrl: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${String((receiver.address() as AddressInfo).port)}`;
  p = await startPipeline({ settings: { WEBHOOK_SECRET: SECRET, WEBHOOK_ALLOW_LOCAL_HTTP: 'true' } });
  requests = BlobServiceClient.fromConnectionString(p.stack.settings.VideoStorage ?? '').getContainerClient(BATCH_FILES_CONTAINER);
  await requests.createIfNotExists();
  results = QueueServiceClient.fromConnectionString(p.stack.settings.VideoStorage ?? '').getQueueClient('video-results');
});
afterAll(async () => {
  await p.close();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

/** Every completion event taken off video-results so far (taken, so the queue never holds more than one read's worth). */
const events: CompletionEvent[] = [];

async function batchEvents(id: string): Promise<BatchCompletionEvent[]> {
  if (await results.exists()) {
    for (;;) {
      const { receivedMessageItems: received } = await results.receiveMessages({ numberOfMessages: 32 });
      if (received.length === 0) break;
      for (const message of received) {
        events.push(JSON.parse(Buffer.from(message.messageText, 'base64').toString('utf8')) as CompletionEvent);
        await results.deleteMessage(message.messageId, message.popReceipt);
      }
    }
  }
  return events.filter((e): e is BatchCompletionEvent => e.kind === 'batch' && e.id === id);
}

/** The batch's event once it is on the queue; then, with the host idle, that it is the only one. */
async function theBatchEvent(id: string): Promise<BatchCompletionEvent> {
  const deadline = Date.now() + 60_000;
  while ((await batchEvents(id)).length === 0) {
    if (Date.now() > deadline) throw new Error(`no batch event for ${id} on video-results`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await p.stack.host.waitForIdle();
  const all = await batchEvents(id);
  expect(all).toHaveLength(1);
  return all[0] as BatchCompletionEvent;
}

const ENDED = ['completed', 'cancelled', 'failed'];

async function getBatch(id: string, query = ''): Promise<{ status: number; body: BatchView & { errors?: unknown } }> {
  const response = await fetch(`${p.baseUrl}/api/batches/${id}${query}`);
  return { status: response.status, body: (await response.json()) as BatchView };
}

/** Polls the batch until it has ended; durable timers are skipped, so this waits only for real work. */
async function waitUntilEnded(id: string): Promise<BatchView> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const { status, body } = await getBatch(id);
    if (status === 200 && ENDED.includes(body.status)) return body;
    if (Date.now() > deadline) throw new Error(`batch ${id} has not ended: ${status} ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function postBatch(body: unknown): Promise<Response> {
  return fetch(`${p.baseUrl}/api/batches`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function instanceCount(): Promise<number> {
  return (await p.stack.host.client.getStatusAll()).length;
}

const small = (prompt: string) => ({ prompt, n_seconds: 1 });

describe('POST /api/batches', () => {
  it('refuses a batch with bad items, naming each by its index, and starts nothing', async () => {
    const before = await instanceCount();
    // Item 4 names an input blob that is not there: checked as POST /api/videos checks it, by reading it.
    const missing = { prompt: 'z', inpaint_items: [{ frame_index: 0, type: 'image', blob: 'incoming/not-there.jpg' }] };
    const response = await postBatch({ items: [small('fine'), { prompt: 'x', width: 500, height: 500 }, { prompt: 'y', id: 'mine' }, 'not an object', missing] });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await response.json()) as { invalidFields: string[] };
    expect(problem.invalidFields).toEqual(['items[1].width', 'items[2].id', 'items[3]', 'items[4].inpaint_items[0].blob']);
    const body = (await (await postBatch({ items: [], colour: 'red', id: 'x'.repeat(57) })).json()) as { invalidFields: string[] };
    expect(body.invalidFields).toEqual(['colour', 'id', 'items']);
    expect(await instanceCount()).toBe(before);
  });

  it('runs every item as a request of its own, pages the items, and answers a repeat with the same batch', async () => {
    const body = { id: 'api-batch', items: [small('One lighthouse'), small('Two lighthouses'), small('Three lighthouses')], callback: { url: `${hookUrl}/api-batch` } };
    const started = await postBatch(body);
    expect(started.status).toBe(202);
    expect(started.headers.get('location')).toBe('/api/batches/api-batch');
    expect(await started.json()).toEqual({ id: 'api-batch', status: 'pending', total: 3, links: { self: '/api/batches/api-batch', cancel: '/api/batches/api-batch/cancel' } });

    const ended = await waitUntilEnded('api-batch');
    expect(ended).toMatchObject({ status: 'completed', total: 3, counts: { pending: 0, running: 0, succeeded: 3, failed: 0, cancelled: 0, timed_out: 0, rejected: 0 } });
    // One event for the batch on video-results (its items announce themselves as requests), and the same one signed to its callback.
    const event = await theBatchEvent('api-batch');
    expect(event).toEqual({
      type: 'batch.completed',
      kind: 'batch',
      eventId: 'batch:api-batch:completed',
      id: 'api-batch',
      correlationId: null,
      status: 'completed',
      completedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
      total: 3,
      counts: { pending: 0, running: 0, succeeded: 3, failed: 0, cancelled: 0, timed_out: 0, rejected: 0 },
    });
    const delivered = deliveries.filter((d) => d.path === '/api-batch');
    expect(delivered).toHaveLength(1);
    const { body: sent, headers } = delivered[0] as (typeof deliveries)[number];
    const signed = new Webhook(SECRET).verify(sent, { 'webhook-id': String(headers['webhook-id']), 'webhook-timestamp': String(headers['webhook-timestamp']), 'webhook-signature': String(headers['webhook-signature']) });
    expect(signed).toEqual(event);
    const first = await getBatch('api-batch', '?limit=2');
    expect(first.body.items.map((i) => [i.item, i.id, i.status])).toEqual([
      [0, 'api-batch-0', 'succeeded'],
      [1, 'api-batch-1', 'succeeded'],
    ]);
    const rest = await getBatch('api-batch', `?limit=2&cursor=${first.body.nextCursor ?? ''}`);
    expect(rest.body.items.map((i) => i.id)).toEqual(['api-batch-2']);
    expect(rest.body.nextCursor).toBeNull();
    // Each item is an ordinary request.
    const video = await p.waitUntilFinished('api-batch-2');
    expect(video).toMatchObject({ status: 'succeeded', prompt: 'Three lighthouses', n_seconds: 1 });

    const before = await instanceCount();
    const repeat = await postBatch(body);
    expect(repeat.status).toBe(200);
    expect(((await repeat.json()) as BatchView).counts.succeeded).toBe(3);
    const other = await postBatch({ ...body, items: [small('Something else')] });
    expect(other.status).toBe(409);
    expect(await instanceCount()).toBe(before);
  });

  it('refuses a callback to a private address with a 400 naming callback.url, and starts nothing', async () => {
    const before = await instanceCount();
    for (const url of ['https://10.1.2.3/hook', 'http://169.254.169.254/latest']) {
      const response = await postBatch({ items: [small('Never run')], callback: { url } });
      expect(response.status).toBe(400);
      const problem = (await response.json()) as { invalidFields: string[] };
      expect(problem.invalidFields).toEqual(['callback.url']);
    }
    expect(await instanceCount()).toBe(before);
  });

  it('cancels a running batch: its requests end cancelled', async () => {
    p.stack.pauseTimeSkipping();
    const started = await postBatch({ id: 'cancel-me', items: [small('Slow one'), small('Slow two')] });
    expect(started.status).toBe(202);
    // Held time: both requests wait on their first status check.
    await p.stack.host.waitForIdle();
    const cancel = await fetch(`${p.baseUrl}/api/batches/cancel-me/cancel`, { method: 'POST' });
    expect(cancel.status).toBe(202);
    p.stack.resumeTimeSkipping();

    const ended = await waitUntilEnded('cancel-me');
    expect(ended).toMatchObject({ status: 'cancelled', cancelRequested: true, counts: { cancelled: 2, succeeded: 0 } });
    expect(await theBatchEvent('cancel-me')).toMatchObject({ kind: 'batch', status: 'cancelled', total: 2, counts: { cancelled: 2, succeeded: 0, running: 0, pending: 0 } });
    expect((await p.waitUntilFinished('cancel-me-0')).status).toBe('cancelled');
    const again = await fetch(`${p.baseUrl}/api/batches/cancel-me/cancel`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect((await fetch(`${p.baseUrl}/api/batches/no-such-batch/cancel`, { method: 'POST' })).status).toBe(404);
  });
});

describe('a JSON Lines file dropped into video-requests', () => {
  const lines = [
    ...Array.from({ length: 4 }, (_, i) => JSON.stringify(small(`Dropped request ${i + 1}`))),
    JSON.stringify({ prompt: 'Too big a square', width: 500, height: 500 }),
    ...Array.from({ length: 5 }, (_, i) => JSON.stringify(small(`Dropped request ${i + 5}`))),
  ];
  const text = `${lines.join('\n')}\n`;
  const name = 'incoming/ten-requests.jsonl';
  const batchId = batchIdOfFile(name, createHash('sha256').update(text).digest('hex'));

  async function drop(): Promise<void> {
    await requests.getBlockBlobClient(name).upload(text, Buffer.byteLength(text));
    await p.stack.host.deliverBlobEvents();
  }

  it('runs a batch of ten: the bad line is reported, the nine others succeed', async () => {
    await drop();
    const ended = await waitUntilEnded(batchId);
    expect(ended).toMatchObject({
      status: 'completed',
      total: 10,
      counts: { pending: 0, running: 0, succeeded: 9, failed: 0, cancelled: 0, timed_out: 0, rejected: 1 },
      source: { kind: 'blob', container: 'video-requests', blobName: name },
      problems: [],
    });
    // Items are numbered by their line.
    expect(ended.items.map((i) => [i.item, i.status])).toEqual([
      [1, 'succeeded'],
      [2, 'succeeded'],
      [3, 'succeeded'],
      [4, 'succeeded'],
      [5, 'rejected'],
      [6, 'succeeded'],
      [7, 'succeeded'],
      [8, 'succeeded'],
      [9, 'succeeded'],
      [10, 'succeeded'],
    ]);
    expect(ended.items[4]).toMatchObject({ id: `${batchId}-5`, errors: [{ field: 'width', message: expect.stringContaining('500x500 is not a supported size') as unknown }] });
    expect(ended.items[4]?.links).toBeUndefined();
    expect((await p.waitUntilFinished(`${batchId}-10`)).prompt).toBe('Dropped request 9');
    // The pipeline that dropped the file finds its batch in the file's metadata.
    expect((await requests.getBlobClient(name).getProperties()).metadata).toEqual({ batchid: batchId });
  });

  it('starts nothing new when the same file is uploaded again', async () => {
    const before = await p.stack.host.client.getStatusAll();
    await drop();
    await p.stack.host.waitForIdle();
    const after = await p.stack.host.client.getStatusAll();
    expect(after.map((s) => s.instanceId).sort()).toEqual(before.map((s) => s.instanceId).sort());
    expect((await getBatch(batchId)).body.counts.succeeded).toBe(9);
    // The upload replaced the metadata; the delivery stamped it again.
    expect((await requests.getBlobClient(name).getProperties()).metadata).toEqual({ batchid: batchId });
  });

  it('reports a file that is not JSON Lines without running anything', async () => {
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80]);
    await requests.getBlockBlobClient('broken.jsonl').upload(binary, binary.length);
    await p.stack.host.deliverBlobEvents();
    const id = batchIdOfFile('broken.jsonl', createHash('sha256').update(binary).digest('hex'));
    const ended = await waitUntilEnded(id);
    expect(ended).toMatchObject({ status: 'completed', total: 0, items: [], problems: [{ field: '(file)', message: expect.stringContaining('is not UTF-8 text') as unknown }] });
  });
});
