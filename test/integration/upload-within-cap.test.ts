/**
 * The same 120 MiB multipart upload as upload-over-cap.test.ts, with a body
 * cap and an upload limit that allow it: the app takes it and starts the
 * request with the whole video as its input.
 */
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bigVideoUpload, MIB, type BigUpload } from './big-upload';
import { startPipeline, type Pipeline } from './support';

let p: Pipeline;
let upload: BigUpload;

beforeAll(async () => {
  [p, upload] = await Promise.all([startPipeline({ settings: { FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: String(130 * MIB), INPUT_MAX_VIDEO_MIB: '125' } }), bigVideoUpload()]);
});
afterAll(async () => {
  await p.close();
});

it('takes the upload and starts the request with it', async () => {
  const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(`${p.baseUrl}/api/videos`, { method: 'POST', headers: { 'content-type': upload.contentType, 'content-length': String(upload.contentLength) } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    Readable.from(upload.chunks()).pipe(req);
  });
  expect(answer.status).toBe(202);
  const { id } = JSON.parse(answer.body) as { id: string };
  expect((await p.api.get(id)).inputs).toEqual([{ type: 'video', fileName: 'big.mp4', frameIndex: 0, bytes: upload.fileBytes }]);
  expect(upload.fileBytes).toBeGreaterThan(119 * MIB);
});
