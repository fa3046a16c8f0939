/**
 * Request bodies: JSON (size-capped, read fully — it is small) or
 * multipart/form-data, whose file parts busboy streams to temp files while
 * hashing them, so no upload is ever held in memory.
 */
import busboy from 'busboy';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiError, badRequest } from './errors';

export interface UploadedFile {
  field: string;
  fileName: string;
  path: string;
  sha256: string;
}

export interface ParsedBody {
  kind: 'json' | 'multipart';
  fields: Record<string, unknown>;
  files: UploadedFile[];
  /** Deletes the temp files of this request. */
  discard(): Promise<void>;
}

const MAX_JSON_BYTES = 1024 * 1024;
/** Generous next to the service's own limits; stops a runaway upload filling the disk. */
const MAX_FILE_BYTES = 200 * 1024 * 1024;
const MAX_FILES = 10;

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_JSON_BYTES) throw new ApiError(413, { code: 'request_too_large', message: `The JSON body exceeds ${MAX_JSON_BYTES} bytes.` });
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest('The request body is not valid JSON.', null, 'invalid_json');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badRequest('The request body must be a JSON object.', null, 'invalid_json');
  return parsed as Record<string, unknown>;
}

function readMultipart(req: IncomingMessage, dir: string): Promise<ParsedBody> {
  const fields: Record<string, string> = {};
  const files: UploadedFile[] = [];
  const writes: Promise<void>[] = [];
  const discard = async (): Promise<void> => {
    await Promise.allSettled(writes);
    await Promise.all(files.map((f) => rm(f.path, { force: true })));
  };
  return new Promise<ParsedBody>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: MAX_FILE_BYTES, files: MAX_FILES, fieldSize: MAX_JSON_BYTES } });
    } catch (error) {
      reject(badRequest(`The multipart body cannot be read: ${error instanceof Error ? error.message : String(error)}`, null, 'invalid_multipart'));
      return;
    }
    const fail = (error: unknown): void => {
      req.unpipe(parser);
      req.resume();
      void discard().finally(() => {
        reject(error instanceof ApiError ? error : badRequest(`The multipart body cannot be read: ${error instanceof Error ? error.message : String(error)}`, null, 'invalid_multipart'));
      });
    };
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (field, stream, info) => {
      const path = join(dir, `upload-${randomBytes(8).toString('hex')}`);
      const hash = createHash('sha256');
      const file: UploadedFile = { field, fileName: info.filename ?? '', path, sha256: '' };
      files.push(file);
      const tap = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          done(null, chunk);
        },
      });
      stream.on('limit', () => {
        fail(new ApiError(413, { code: 'request_too_large', message: `File '${file.fileName}' exceeds ${MAX_FILE_BYTES} bytes.`, param: field }));
      });
      writes.push(
        pipeline(stream, tap, createWriteStream(path)).then(() => {
          file.sha256 = hash.digest('hex');
        }),
      );
    });
    parser.on('filesLimit', () => {
      fail(badRequest(`At most ${MAX_FILES} files may be sent.`, 'files'));
    });
    parser.on('error', fail);
    parser.on('close', () => {
      Promise.all(writes).then(() => {
        resolve({ kind: 'multipart', fields, files, discard });
      }, fail);
    });
    req.pipe(parser);
  });
}

export async function readBody(req: IncomingMessage, uploadsDir: string): Promise<ParsedBody> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    await mkdir(uploadsDir, { recursive: true });
    return readMultipart(req, uploadsDir);
  }
  if (type !== '' && !type.startsWith('application/json')) {
    req.resume();
    throw new ApiError(415, { code: 'unsupported_media_type', message: `Content-Type '${type}' is not supported; send application/json or multipart/form-data.`, type: 'invalid_request_error' });
  }
  return { kind: 'json', fields: await readJson(req), files: [], discard: () => Promise.resolve() };
}
