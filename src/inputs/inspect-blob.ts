/**
 * Reads a blob a client referenced through the same byte inspection an upload
 * gets, with bounded memory; `undefined` when it does not exist. A blob over
 * the limit is judged by its head only, so nobody waits for gigabytes.
 */
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ContainerClient } from '@azure/storage-blob';
import { inspectMedia, type MediaFacts } from '../media';

const HEAD_BYTES = 64 * 1024;

export async function inspectBlob(container: ContainerClient, blobName: string, maxBytes: number): Promise<MediaFacts | undefined> {
  const blob = container.getBlobClient(blobName);
  if (!(await blob.exists())) return undefined;
  const size = (await blob.getProperties()).contentLength ?? 0;
  const tooBig = size > maxBytes;
  const download = tooBig ? await blob.download(0, Math.min(size, HEAD_BYTES)) : await blob.download();
  const body = download.readableStreamBody;
  if (!body) return undefined;
  const inspector = inspectMedia({});
  await pipeline(body, inspector.stream, new Writable({ write: (_chunk, _encoding, done) => { done(); } }));
  return { ...inspector.facts(), bytes: size };
}
