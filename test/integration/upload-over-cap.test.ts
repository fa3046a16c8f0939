/**
 * A 120 MiB multipart upload with FUNCTIONS_REQUEST_BODY_SIZE_LIMIT at
 * 100 MiB, as in Azure with the host's default: a 413 problem before the app
 * sees it, nothing started, and the connection carries the next request.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BODY_BYTES, bigVideoUpload, MIB, uploadThenNext, type BigUpload } from './big-upload';
import { startPipeline, type Pipeline } from './support';

let p: Pipeline;
let upload: BigUpload;

beforeAll(async () => {
  // The upload limit alone would take the video: the cap is what refuses it.
  [p, upload] = await Promise.all([startPipeline({ settings: { FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: String(100 * MIB), INPUT_MAX_VIDEO_MIB: '125' } }), bigVideoUpload()]);
});
afterAll(async () => {
  await p.close();
});

it('answers 413 problem+json, starts nothing, and the same connection serves the next request', async () => {
  const [refused, next] = await uploadThenNext(p.baseUrl, '/api/videos', upload, '/api/no-such-route');
  expect(refused.status).toBe(413);
  expect(refused.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  expect(JSON.parse(refused.body)).toEqual({
    type: 'about:blank',
    title: 'Content Too Large',
    status: 413,
    detail: `The request body is ${BODY_BYTES} bytes; this app takes at most ${100 * MIB} bytes (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT).`,
  });
  expect(next.status).toBe(404);
  expect(((await (await fetch(`${p.baseUrl}/api/videos`)).json()) as { items: unknown[] }).items).toEqual([]);
});
