/**
 * Receives a multipart/form-data request the way Sora's own API takes it
 * (fields, `inpaint_items` as a JSON string, repeated `files` parts, or Sora
 * 2's `input_reference`), streaming every file part straight into the inputs
 * container as `{id}/{file name}` while its bytes are inspected. Nothing is
 * held whole in memory; a part over the size limit is cut off as soon as it
 * passes it. A body that ends early (the client went away, or the form stops
 * inside a part) is a violation, never an error left for the process: busboy
 * fails the part it was in, and every part stream has a listener for that.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { finished, pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { ContainerClient } from '@azure/storage-blob';
import { isRequestId, REQUEST_ID_RULE, requestIdFor, type RequestId } from '../contracts/video-request';
import { fileNameViolation, inspectMedia, MediaTooLargeError, type MediaFacts, type MediaInspector } from '../media';
import type { RuleResult, RuleViolation } from '../contracts/validation';

/** Form parts that carry files. */
export const FILE_FIELDS = ['files', 'input_reference'] as const;

export interface ReceivedFile {
  field: (typeof FILE_FIELDS)[number];
  fileName: string;
  /** Set when the bytes were stored (not for a request whose id already exists). */
  blobName: string;
  facts: MediaFacts;
}

/** `id` names the upload folder: the client's `id` field when it came before the files, else a new one. */
export interface ReceivedForm extends RequestId {
  /** An existing request has this id: files were read and measured but not stored. */
  existing: boolean;
  fields: Record<string, string>;
  files: ReceivedFile[];
  violations: RuleViolation[];
}

export interface ReceiveOptions {
  container: ContainerClient;
  /** Largest accepted part (the larger of the image and video limits; the type's own limit is checked later). */
  maxFileBytes: number;
  /** Whether a request with this id already exists (then nothing is stored). */
  exists: (id: string) => Promise<boolean>;
}

const LIMITS = { files: 4, fields: 20, fieldSize: 64 * 1024, parts: 30 };
const UPLOAD_BLOCK_BYTES = 4 * 1024 * 1024;
const UPLOAD_CONCURRENCY = 2;

/** `ok: false` when the body cannot be read at all (its content type has no boundary); nothing was read or stored then. */
export async function receiveMultipart(body: WebReadableStream<Uint8Array>, contentType: string, options: ReceiveOptions): Promise<RuleResult<ReceivedForm>> {
  const form: ReceivedForm = { ...requestIdFor(undefined), existing: false, fields: {}, files: [], violations: [] };
  let destination: Promise<'store' | 'discard'> | undefined;
  const parts: Promise<void>[] = [];
  let parser: busboy.Busboy;
  try {
    // preservePath: see the name the client sent, so a name with a path is refused rather than quietly trimmed.
    parser = busboy({ headers: { 'content-type': contentType }, limits: LIMITS, preservePath: true });
  } catch (error) {
    // busboy checks the header before it reads a byte: a multipart type without its boundary cannot be split into parts.
    return { ok: false, violations: [{ field: '(content-type)', message: `must be multipart/form-data with the body's boundary, as in 'multipart/form-data; boundary=…' (${messageOf(error)})` }] };
  }

  // The id names the blob folder, so it must be known (and checked for reuse) before the first file.
  const decideDestination = () =>
    (destination ??= (async () => {
      if (!form.idChosenByClient) return 'store';
      form.existing = await options.exists(form.id);
      return form.existing ? 'discard' : 'store';
    })());

  parser.on('field', (name, value) => {
    if (name === 'id') {
      if (destination) form.violations.push({ field: 'id', message: 'must come before the file parts' });
      else if (!isRequestId(value)) form.violations.push({ field: 'id', message: REQUEST_ID_RULE });
      else {
        form.id = value;
        form.idChosenByClient = true;
      }
      return;
    }
    form.fields[name] = value;
  });
  parser.on('file', (field, stream, info) => {
    parts.push(receiveFile(form, field, info.filename ?? '', stream, decideDestination, options));
  });
  parser.on('filesLimit', () => form.violations.push({ field: 'files', message: `at most ${LIMITS.files} files are accepted` }));
  parser.on('fieldsLimit', () => form.violations.push({ field: '(body)', message: `at most ${LIMITS.fields} fields are accepted` }));
  parser.on('partsLimit', () => form.violations.push({ field: '(body)', message: `at most ${LIMITS.parts} parts are accepted` }));

  try {
    await pipeline(Readable.fromWeb(body), parser);
  } catch (error) {
    form.violations.push({ field: '(body)', message: `is not a readable multipart/form-data body: ${messageOf(error)}` });
  }
  await Promise.all(parts);
  return { ok: true, value: form };
}

async function receiveFile(
  form: ReceivedForm,
  field: string,
  fileName: string,
  stream: Readable,
  decideDestination: () => Promise<'store' | 'discard'>,
  options: ReceiveOptions,
): Promise<void> {
  const label = `${field}[${fileName}]`;
  // Listened to from the start: busboy fails the part whenever the body ends inside it, even while we wait below.
  const part: { cutShort: boolean; inspector?: MediaInspector } = { cutShort: false };
  stream.on('error', (error) => {
    part.cutShort = true;
    part.inspector?.stream.destroy(error);
  });
  // A call, not a read of the flag: it turns true from the listener, behind the checks' backs.
  const cutShort = () => part.cutShort;
  const refuse = (message: string) => {
    form.violations.push({ field: label, message });
    stream.resume(); // the rest of the body still has to be read
  };
  if (!(FILE_FIELDS as readonly string[]).includes(field)) { refuse(`is not a file field this API takes (${FILE_FIELDS.join(', ')})`); return; }
  const badName = fileNameViolation(fileName);
  if (badName) { refuse(badName); return; }
  if (form.files.some((f) => f.fileName === fileName)) { refuse('repeats a file name already sent'); return; }

  const target = await decideDestination();
  const incomplete = { field: label, message: 'ends before its last byte: the body stopped inside this part' };
  if (cutShort()) { form.violations.push(incomplete); return; }
  const blobName = `${form.id}/${fileName}`;
  const check = inspectMedia({ maxBytes: options.maxFileBytes });
  part.inspector = check;
  // Not pipeline(): it would destroy busboy's part stream, and busboy needs every part read to the end.
  check.stream.once('error', () => {
    stream.unpipe(check.stream);
    stream.resume();
  });
  stream.pipe(check.stream);
  try {
    if (target === 'store') {
      // Blocks are committed only when the stream ends cleanly: a refused or cut-short part leaves no blob behind.
      await options.container.getBlockBlobClient(blobName).uploadStream(check.stream, UPLOAD_BLOCK_BYTES, UPLOAD_CONCURRENCY);
    } else {
      check.stream.resume();
      await finished(check.stream);
    }
  } catch (error) {
    if (error instanceof MediaTooLargeError || check.stream.errored instanceof MediaTooLargeError) {
      form.violations.push({ field: label, message: `is larger than the ${Math.round(options.maxFileBytes / 1024 / 1024)} MiB limit` });
      return;
    }
    if (cutShort()) { form.violations.push(incomplete); return; }
    throw error;
  }
  form.files.push({ field: field as ReceivedFile['field'], fileName, blobName, facts: check.facts() });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
