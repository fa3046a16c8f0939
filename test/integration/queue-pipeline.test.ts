/**
 * Pipelines on the whole local stack (Azurite, the emulator, the local host
 * serving the app's queue trigger): requests arrive on `video-requests`,
 * completion events leave on `video-results`, and a request with a callback
 * gets one signed webhook — checked with the `standardwebhooks` package —
 * retried while its receiver fails, without touching the request's outcome.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QueueServiceClient } from '@azure/storage-queue';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/cli/api-client';
import type { RequestCompletionEvent } from '../../src/events/completion-event';
import type { VideoView } from '../../src/requests/video-view';
import { startPipeline, type Pipeline } from './support';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const MAX_DEQUEUE_COUNT = 3;

interface Delivery {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver: records every delivery; a path's behaviour decides its answer. */
class Receiver {
  readonly deliveries: Delivery[] = [];
  readonly answers = new Map<string, (attempt: number) => Promise<number> | number>();
  readonly #server: Server;

  constructor() {
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '/';
        this.deliveries.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        const attempt = this.deliveries.filter((d) => d.path === path).length;
        void Promise.resolve((this.answers.get(path) ?? (() => 204))(attempt)).then((status) => {
          response.writeHead(status).end();
        });
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  to(path: string): Delivery[] {
    return this.deliveries.filter((d) => d.path === path);
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => { resolve(); }));
  }
}

let p: Pipeline;
let queues: QueueServiceClient;
let receiver: Receiver;
let receiverUrl: string;

beforeAll(async () => {
  receiver = new Receiver();
  receiverUrl = await receiver.listen();
  p = await startPipeline({
    settings: { WEBHOOK_SECRET: SECRET, WEBHOOK_ALLOW_LOCAL_HTTP: 'true' },
    queues: { maxPollingIntervalMs: 200, maxDequeueCount: MAX_DEQUEUE_COUNT },
    chaos: {
      // The task hub refuses these starts every time: the message must end on the poison queue.
      refuseStarts: (instanceId) => instanceId.startsWith('refused-'),
      // The first run of this request's publishCompletion loses its result: the host runs it again.
      loseActivityResults: (result) => result.name === 'publishCompletion' && result.instanceId === 'q-lost-result' && result.run === 1,
    },
  });
  const azurite = p.stack.azurite;
  if (!azurite) throw new Error('the standalone stack has no Azurite');
  queues = QueueServiceClient.fromConnectionString(azurite.connectionString);
  await queues.getQueueClient('video-requests').createIfNotExists();
});

afterAll(async () => {
  await p.close();
  await receiver.close();
});

const request = (id: string, extra: Record<string, unknown> = {}) => ({ id, prompt: `A lighthouse for ${id}`, width: 480, height: 480, n_seconds: 5, n_variants: 1, ...extra });

function send(message: unknown): Promise<unknown> {
  const text = typeof message === 'string' ? message : JSON.stringify(message);
  return queues.getQueueClient('video-requests').sendMessage(Buffer.from(text).toString('base64'));
}

/** Polls until `check` holds: the test waits on what the app did, never a fixed time. */
async function until<T>(what: string, read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function texts(queue: string): Promise<string[]> {
  const client = queues.getQueueClient(queue);
  if (!(await client.exists())) return [];
  return (await client.peekMessages({ numberOfMessages: 32 })).peekedMessageItems.map((m) => Buffer.from(m.messageText, 'base64').toString('utf8'));
}

async function eventsFor(id: string): Promise<RequestCompletionEvent[]> {
  return (await texts('video-results')).map((t) => JSON.parse(t) as RequestCompletionEvent).filter((e) => e.id === id);
}

async function viewOrNull(id: string): Promise<VideoView | null> {
  try {
    return await p.api.get(id);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

async function finished(id: string): Promise<VideoView> {
  await until(`request ${id} to exist`, () => viewOrNull(id), (v) => v !== null);
  return p.waitUntilFinished(id);
}

describe('the queue starter and completion events', () => {
  it('runs a queued request to succeeded and puts one completion event on video-results', async () => {
    await send(request('q-ok', { correlationId: 'batch-7/line-1' }));
    const view = await finished('q-ok');
    expect(view.status).toBe('succeeded');
    const [event, ...more] = await until('the completion event', () => eventsFor('q-ok'), (e) => e.length > 0);
    await p.stack.host.waitForIdle();
    expect(more).toEqual([]);
    expect(await eventsFor('q-ok')).toHaveLength(1);
    expect(event).toMatchObject({ type: 'request.completed', kind: 'request', eventId: 'request:q-ok:completed', status: 'succeeded', correlationId: 'batch-7/line-1', container: 'videos', manifestBlobName: 'q-ok/manifest.json', error: null });
    expect(event?.videos).toEqual([{ variant: 0, blobName: 'q-ok/0.mp4', thumbnailBlobName: 'q-ok/0.jpg', contentType: 'video/mp4', bytes: view.videos[0]?.bytes, sha256: view.videos[0]?.sha256 }]);
    // Names, sizes and checksums only: no link, no key.
    expect(JSON.stringify(event)).not.toMatch(/https?:|sig=|AccountKey/);
    expect(await texts('video-requests')).toEqual([]);
  });

  it('starts one orchestration for the same message delivered twice', async () => {
    const message = request('q-twice');
    await send(message);
    await send(message);
    const view = await finished('q-twice');
    expect(view.status).toBe('succeeded');
    await until('both messages consumed', () => texts('video-requests'), (t) => t.length === 0);
    await p.stack.host.waitForIdle();
    expect(p.stack.emulator?.createdJobs().filter((job) => job.prompt === message.prompt)).toHaveLength(1);
    expect(await eventsFor('q-twice')).toHaveLength(1);
    expect((await p.stack.host.client.getStatusBy({})).filter((i) => i.instanceId === 'q-twice')).toHaveLength(1);
  });

  it('runs a message without an id under one derived from the queue message', async () => {
    const sent = (await send({ prompt: 'A lighthouse without an id', n_seconds: 5 })) as { messageId: string };
    const view = await finished(`queue-${sent.messageId}`);
    expect(view.status).toBe('succeeded');
  });

  it('answers an invalid message with one rejected event naming every bad field, and starts nothing', async () => {
    await send({ id: 'q-bad', prompt: '', width: 500, height: 500, colour: 'red', correlationId: 'mine-1', callback: { url: 'https://10.1.2.3/hook' } });
    const [event] = await until('the rejected event', () => eventsFor('q-bad'), (e) => e.length > 0);
    expect(event?.status).toBe('rejected');
    expect(event?.correlationId).toBe('mine-1');
    expect(event?.error?.code).toBe('invalid_request');
    expect([...new Set(event?.error?.fields?.map((f) => f.field))].sort()).toEqual(['callback.url', 'colour', 'prompt', 'width']);
    await until('the message consumed', () => texts('video-requests'), (t) => t.length === 0);
    await p.stack.host.waitForIdle();
    expect(await eventsFor('q-bad')).toHaveLength(1);
    expect(await viewOrNull('q-bad')).toBeNull();
    expect(await texts('video-requests-poison')).toEqual([]);
  });

  it('rejects a message that is not a JSON object, naming the body', async () => {
    const sent = (await send('make me a video')) as { messageId: string };
    const [event] = await until('the rejected event', () => eventsFor(`queue-${sent.messageId}`), (e) => e.length > 0);
    expect(event?.error?.fields).toEqual([{ field: '(body)', message: 'must be a JSON object' }]);
  });

  it('moves a message whose start keeps failing to video-requests-poison after the configured dequeues', async () => {
    const message = JSON.stringify(request('refused-1'));
    await send(message);
    const poisoned = await until('the poison queue', () => texts('video-requests-poison'), (t) => t.length > 0);
    expect(poisoned).toEqual([message]);
    expect(await texts('video-requests')).toEqual([]);
    expect(await viewOrNull('refused-1')).toBeNull();
    expect(await eventsFor('refused-1')).toEqual([]);
  });

  it('publishes one event when the publishing activity runs again after its result was lost', async () => {
    await send(request('q-lost-result'));
    expect((await finished('q-lost-result')).status).toBe('succeeded');
    await until('the event', () => eventsFor('q-lost-result'), (e) => e.length > 0);
    await p.stack.host.waitForIdle();
    expect(await eventsFor('q-lost-result')).toHaveLength(1);
  });
});

describe('signed webhooks', () => {
  const verify = (delivery: Delivery) =>
    new Webhook(SECRET).verify(delivery.body, {
      'webhook-id': String(delivery.headers['webhook-id']),
      'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
      'webhook-signature': String(delivery.headers['webhook-signature']),
    }) as RequestCompletionEvent;

  it('delivers one correctly signed completion event per finished request', async () => {
    const response = await p.post(request('w-ok', { callback: { url: `${receiverUrl}/w-ok` } }));
    expect(response.status).toBe(202);
    expect((await finished('w-ok')).status).toBe('succeeded');
    const view = await until('the delivery', () => p.api.get('w-ok'), (v) => v.webhook?.state === 'delivered');
    await p.stack.host.waitForIdle();
    const deliveries = receiver.to('/w-ok');
    expect(deliveries).toHaveLength(1);
    const payload = verify(deliveries[0] as Delivery);
    expect(payload).toEqual((await eventsFor('w-ok'))[0]);
    expect(deliveries[0]?.headers['webhook-id']).toBe('request:w-ok:completed');
    expect(view.webhook).toMatchObject({ state: 'delivered', attempts: 1, lastStatus: 204, lastError: null });
  });

  it('retries while the receiver answers 500, and the request ends as it would have', async () => {
    let answerThird: (status: number) => void = () => undefined;
    receiver.answers.set('/w-flaky', (attempt) => (attempt < 3 ? 500 : new Promise<number>((resolve) => { answerThird = resolve; })));
    await send(request('w-flaky', { callback: { url: `${receiverUrl}/w-flaky` } }));
    await until('the third attempt', () => Promise.resolve(receiver.to('/w-flaky').length), (n) => n === 3);
    // The third attempt is held open: the view shows the request finished and its delivery retrying.
    const during = await p.api.get('w-flaky');
    expect(during.status).toBe('succeeded');
    expect(during.videos).toHaveLength(1);
    expect(during.webhook).toMatchObject({ state: 'retrying', attempts: 2, lastStatus: 500, lastError: 'the receiver answered HTTP 500' });
    answerThird(200);
    const after = await until('the delivery', () => p.api.get('w-flaky'), (v) => v.webhook?.state === 'delivered');
    expect(after.status).toBe('succeeded');
    expect(after.webhook).toMatchObject({ state: 'delivered', attempts: 3, lastStatus: 200 });
    const attempts = receiver.to('/w-flaky');
    expect(new Set(attempts.map((d) => d.headers['webhook-id']))).toEqual(new Set(['request:w-flaky:completed']));
    expect(attempts.map((d) => verify(d).status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });

  it('refuses a callback to a private, loopback-by-name or link-local address with 400 naming callback.url', async () => {
    for (const url of ['https://192.168.1.10/hook', 'https://169.254.169.254/latest/meta-data', 'https://[::ffff:10.0.0.1]/hook', 'https://[fd00::1]/hook']) {
      const response = await p.post(request('w-private', { callback: { url } }));
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      const body = (await response.json()) as { invalidFields: string[] };
      expect(body.invalidFields).toEqual(['callback.url']);
    }
    expect(await viewOrNull('w-private')).toBeNull();
  });
});
