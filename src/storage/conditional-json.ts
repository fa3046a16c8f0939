/**
 * Small JSON blobs changed only under ETag conditions, so two writers never
 * overwrite each other unseen: create only if absent, replace only if
 * unchanged since read. A lost race is an answer (`undefined`), not an error.
 */
import { RestError, type BlockBlobClient } from '@azure/storage-blob';
import type { z } from 'zod';

export interface Versioned<T> {
  value: T;
  etag: string;
}

/** The blob's value and ETag, or `undefined` when there is no such blob. */
export async function readJson<S extends z.ZodType>(blob: BlockBlobClient, schema: S): Promise<Versioned<z.output<S>> | undefined> {
  const chunks: Buffer[] = [];
  let etag: string | undefined;
  try {
    // One call gives the body and the ETag of that very body.
    const downloaded = await blob.download();
    etag = downloaded.etag;
    for await (const chunk of downloaded.readableStreamBody ?? []) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  } catch (error) {
    if (error instanceof RestError && error.statusCode === 404) return undefined;
    throw error;
  }
  if (etag === undefined) throw new Error(`${blob.name} has no ETag`);
  return { value: schema.parse(JSON.parse(Buffer.concat(chunks).toString('utf8'))), etag };
}

/** Writes the blob only if none exists; the new ETag, or `undefined` when another writer created it first. */
export function createJson(blob: BlockBlobClient, value: unknown): Promise<string | undefined> {
  return conditionalUpload(blob, value, { ifNoneMatch: '*' });
}

/** Replaces the blob only if it still has `etag`; the new ETag, or `undefined` when it changed since. */
export function replaceJson(blob: BlockBlobClient, value: unknown, etag: string): Promise<string | undefined> {
  return conditionalUpload(blob, value, { ifMatch: etag });
}

async function conditionalUpload(blob: BlockBlobClient, value: unknown, conditions: { ifNoneMatch?: string; ifMatch?: string }): Promise<string | undefined> {
  const body = JSON.stringify(value);
  try {
    const written = await blob.upload(body, Buffer.byteLength(body), { conditions, blobHTTPHeaders: { blobContentType: 'application/json' } });
    if (written.etag === undefined) throw new Error(`${blob.name}: the write returned no ETag`);
    return written.etag;
  } catch (error) {
    // 409 BlobAlreadyExists (if-none-match) or 412 ConditionNotMet (if-match): someone else wrote first.
    if (error instanceof RestError && (error.statusCode === 409 || error.statusCode === 412)) return undefined;
    throw error;
  }
}
