/**
 * Hostile input against one running stack (Azurite, the Sora emulator, the
 * local host running the app), all in one run: a client that vanishes in the
 * middle of an upload, a form that stops inside a file, ids with encoded
 * slashes, a multipart type without its boundary, JSON over 1 MiB on a
 * keep-alive connection, JSON sent as text/plain. Each gets its problem+json
 * answer, no upload stays in the inputs container, nothing is started, no
 * instance's input reaches the log — and the process still answers a normal
 * request afterwards. No safety net is installed here (the local commands
 * have one, the stack has not): an error left unhandled would be recorded
 * below and fail the run.
 */
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../src/local/stack';
import { RawConnection, type RawResponse } from '../host/raw-http';

let stack: LocalStack;
let inputs: ContainerClient;
const logLines: string[] = [];
const logWaiters: { pattern: string; resolve: () => void }[] = [];
const uncaught: unknown[] = [];
const recordUncaught = (error: unknown) => {
  uncaught.push(error);
};

beforeAll(async () => {
  process.on('uncaughtException', recordUncaught);
  process.on('unhandledRejection', recordUncaught);
  stack = await startLocalStack({
    port: 0,
    timeSkipping: true,
    standalone: true,
    log: (line) => {
      logLines.push(line);
      for (const waiter of logWaiters.filter((w) => line.includes(w.pattern))) waiter.resolve();
    },
  });
  inputs = BlobServiceClient.fromConnectionString(stack.settings.VideoStorage ?? '').getContainerClient('video-inputs');
  await inputs.createIfNotExists();
});

afterAll(async () => {
  await stack.close();
  process.off('uncaughtException', recordUncaught);
  process.off('unhandledRejection', recordUncaught);
});

/** Resolves once the stack logs a line containing `pattern`. */
function logged(pattern: string): Promise<void> {
  if (logLines.some((line) => line.includes(pattern))) return Promise.resolve();
  return new Promise((resolve) => logWaiters.push({ pattern, resolve }));
}

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

async function answerOf(response: Response): Promise<Answer> {
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: await response.text() };
}

function rawAnswer(response: RawResponse): Answer {
  return { status: response.status, contentType: response.headers['content-type'] ?? '', body: response.body };
}

interface Problem {
  status: number;
  title: string;
  detail: string;
  invalidFields?: string[];
  [member: string]: unknown;
}

/** The answer is problem+json with this status, in the header and in the body's `status`. */
function expectProblem(answer: Answer, status: number): Problem {
  expect(answer.status).toBe(status);
  expect(answer.contentType).toBe('application/problem+json');
  const problem = JSON.parse(answer.body) as Problem;
  expect(problem.status).toBe(status);
  return problem;
}

const BOUNDARY = 'hostile-input-boundary';

function formHead(name: string, fileName?: string): string {
  const file = fileName === undefined ? '' : `; filename="${fileName}"\r\ncontent-type: image/jpeg`;
  return `--${BOUNDARY}\r\ncontent-disposition: form-data; name="${name}"${file}\r\n\r\n`;
}

/** A form with two JPEG file parts, whole; the tests send only part of it. */
function twoFileForm(): { body: Buffer; secondFileStart: number } {
  const items = [0, 10].map((frame, i) => ({ frame_index: frame, type: 'image', file_name: `${['first', 'second'][i] ?? ''}.jpg` }));
  const jpeg = (bytes: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(bytes - 4, 0x11)]);
  const before = Buffer.from(
    `${formHead('prompt')}A cut-off upload\r\n${formHead('inpaint_items')}${JSON.stringify(items)}\r\n${formHead('files', 'first.jpg')}`,
  );
  const between = Buffer.from(`\r\n${formHead('files', 'second.jpg')}`);
  const head = Buffer.concat([before, jpeg(64 * 1024), between]);
  return { body: Buffer.concat([head, jpeg(512 * 1024), Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]), secondFileStart: head.length };
}

async function inputBlobs(): Promise<string[]> {
  const names: string[] = [];
  for await (const blob of inputs.listBlobsFlat()) names.push(blob.name);
  return names;
}

async function instanceIds(): Promise<string[]> {
  return (await stack.host.client.getStatusAll()).map((i) => i.instanceId).sort();
}

function postJson(path: string, body: unknown): Promise<Response> {
  return fetch(`${stack.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** Encoded slashes that, decoded, would climb from the client's instance URL to the task hub's instance list. */
const ESCAPING_ID = '..%2F..%2Fruntime%2Fwebhooks%2Fdurabletask%2Finstances';
const SECRET = 'forbidden words only the task hub may hold 7f3a';

describe('hostile input, all against one running stack', () => {
  it('answers every case with problem+json, crashes nothing, stores and starts nothing, and still serves afterwards', async () => {
    // A finished request whose input must never reach the log (its prompt is blocked by moderation).
    const secret = await postJson('/api/videos', { id: 'secret-holder', prompt: SECRET, n_seconds: 1 });
    expect(secret.status).toBe(202);
    await stack.host.waitForIdle();
    const before = await instanceIds();

    // 1. The client goes away halfway through the second file; Content-Length promised the whole form.
    const form = twoFileForm();
    const vanishing = await RawConnection.open(stack.baseUrl);
    vanishing.write(`POST /api/videos HTTP/1.1\r\nhost: local\r\ncontent-type: multipart/form-data; boundary=${BOUNDARY}\r\ncontent-length: ${form.body.length}\r\n\r\n`);
    vanishing.write(form.body.subarray(0, form.secondFileStart + 256 * 1024));
    vanishing.end();
    await logged('[startVideo] the client went away before the response was sent.');
    expect(await inputBlobs()).toEqual([]);

    // 1b. A complete request whose form stops inside the second file.
    const cut = form.body.subarray(0, form.secondFileStart + 256 * 1024);
    const cutShort = expectProblem(await answerOf(await fetch(`${stack.baseUrl}/api/videos`, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, body: cut })), 400);
    // The item naming the cut-off file is refused too: no whole part arrived for it.
    expect(cutShort.invalidFields).toEqual(['(body)', 'files[second.jpg]', 'inpaint_items[1].file_name']);
    expect(cutShort.detail).toContain('Unexpected end of form');
    expect(await inputBlobs()).toEqual([]);

    // 2. Ids with encoded slashes, on every route that takes an id, and in a list cursor.
    for (const [method, path] of [['GET', ESCAPING_ID], ['POST', `${ESCAPING_ID}/cancel`], ['POST', `${ESCAPING_ID}/remix`]] as const) {
      const response = await fetch(`${stack.baseUrl}/api/videos/${path}`, { method, headers: { 'content-type': 'application/json' }, ...(method === 'POST' ? { body: '{"prompt":"x"}' } : {}) });
      const notFound = expectProblem(await answerOf(response), 404);
      expect(notFound.detail).toBe("There is no video request with that id: ids must be 1–64 letters, digits, '-' or '_', starting with a letter or digit.");
    }
    const cursor = Buffer.from(JSON.stringify({ createdAt: new Date().toISOString(), id: '../../runtime' })).toString('base64url');
    expect(expectProblem(await answerOf(await fetch(`${stack.baseUrl}/api/videos?cursor=${cursor}`)), 400).invalidFields).toEqual(['cursor']);

    // 3. A multipart type without its boundary.
    const noBoundary = await fetch(`${stack.baseUrl}/api/videos`, { method: 'POST', headers: { 'content-type': 'multipart/form-data' }, body: form.body });
    const boundaryProblem = expectProblem(await answerOf(noBoundary), 400);
    expect(boundaryProblem.invalidFields).toEqual(['(content-type)']);
    expect(boundaryProblem.detail).toContain('boundary');

    // 4. JSON over 1 MiB, announced and chunked, each followed by a normal request on the same keep-alive connection.
    const big = JSON.stringify({ prompt: 'x'.repeat(1024 * 1024 + 1) });
    const keepAlive = await RawConnection.open(stack.baseUrl);
    keepAlive.write(`POST /api/videos HTTP/1.1\r\nhost: local\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(big)}\r\n\r\n${big}`);
    const announced = await keepAlive.response();
    expect(announced.headers.connection).toBe('keep-alive');
    expect(expectProblem(rawAnswer(announced), 413).invalidFields).toEqual(['(body)']);
    keepAlive.write('GET /api/videos?limit=1 HTTP/1.1\r\nhost: local\r\n\r\n');
    expect((await keepAlive.response()).status).toBe(200);
    const half = big.slice(0, big.length / 2);
    keepAlive.write(`POST /api/videos HTTP/1.1\r\nhost: local\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n`);
    for (const piece of [half, big.slice(half.length)]) keepAlive.write(`${Buffer.byteLength(piece).toString(16)}\r\n${piece}\r\n`);
    keepAlive.write('0\r\n\r\n');
    expect(expectProblem(rawAnswer(await keepAlive.response()), 413).invalidFields).toEqual(['(body)']);
    keepAlive.write('GET /api/videos?limit=1 HTTP/1.1\r\nhost: local\r\n\r\n');
    expect((await keepAlive.response()).status).toBe(200);
    keepAlive.close();

    // 5. A JSON body sent as text/plain, or with no Content-Type at all.
    const json = JSON.stringify({ prompt: 'Sent as plain text', n_seconds: 1 });
    for (const headers of [{ 'content-type': 'text/plain' }, {}] as Record<string, string>[]) {
      const unsupported = expectProblem(await answerOf(await fetch(`${stack.baseUrl}/api/videos`, { method: 'POST', headers, body: Buffer.from(json) })), 415);
      expect(unsupported.invalidFields).toEqual(['(content-type)']);
      expect(unsupported.acceptedTypes).toEqual(['application/json', 'multipart/form-data']);
    }

    expect(await instanceIds()).toEqual(before);
    expect(await inputBlobs()).toEqual([]);
    expect(logLines.filter((line) => line.includes(SECRET))).toEqual([]);

    // The process still answers a normal request.
    const normal = await postJson('/api/videos', { prompt: 'A calm lake after all that', n_seconds: 1 });
    expect(normal.status).toBe(202);
    const { id } = (await normal.json()) as { id: string };
    const view = await fetch(`${stack.baseUrl}/api/videos/${id}`);
    expect(view.status).toBe(200);
    expect(((await view.json()) as { id: string }).id).toBe(id);
    expect(uncaught).toEqual([]);
  });
});

describe('problem members', () => {
  it('keeps RFC 9457’s numeric status in a 409, with the request’s own status as requestStatus', async () => {
    const jobs = await postJson('/api/videos', { id: 'blocked-jobs', prompt: 'forbidden jobs prompt', n_seconds: 1 });
    const videos = await postJson('/api/videos', { id: 'blocked-videos', api: 'videos', prompt: 'forbidden videos prompt' });
    expect([jobs.status, videos.status]).toEqual([202, 202]);
    await stack.host.waitForIdle();

    const cancel = expectProblem(await answerOf(await fetch(`${stack.baseUrl}/api/videos/blocked-jobs/cancel`, { method: 'POST' })), 409);
    expect(cancel).toMatchObject({ title: 'The request has already finished', status: 409, requestStatus: 'failed' });
    const remix = expectProblem(await answerOf(await postJson('/api/videos/blocked-videos/remix', { prompt: 'again' })), 409);
    expect(remix).toMatchObject({ title: 'The video is not ready to remix', status: 409, requestStatus: 'failed' });
    expect(uncaught).toEqual([]);
  });
});
