/**
 * Reading a JSON request body as a stream with a size cap, and the problem
 * to answer when it cannot be used.
 */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { RuleViolation } from '../contracts/validation';
import { problem, validationProblem } from './problem';

/** JSON bodies are small (media travels as multipart or blob names); anything bigger is refused unread. */
export const MAX_JSON_BYTES = 1024 * 1024;

export type JsonBody = { ok: true; value: unknown } | { ok: false; tooBig: boolean };

/**
 * Reads a JSON body of at most {@link MAX_JSON_BYTES}; `ok: false` when it is
 * not JSON or too big. A body announced or found too big is not read further:
 * what is left of it is the host's to discard.
 */
export async function readJson(request: HttpRequest): Promise<JsonBody> {
  if (Number(request.headers.get('content-length') ?? 0) > MAX_JSON_BYTES) return { ok: false, tooBig: true };
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    for await (const chunk of request.body as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > MAX_JSON_BYTES) return { ok: false, tooBig: true };
      chunks.push(chunk);
    }
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return { ok: false, tooBig: false };
  }
}

/** The answer to a body {@link readJson} could not use: 413 when too big, else 400. */
export function bodyProblem(body: { tooBig: boolean }): HttpResponseInit {
  if (!body.tooBig) return validationProblem([{ field: '(body)', message: 'must be a JSON object' }]);
  const violation: RuleViolation = { field: '(body)', message: `must be at most ${MAX_JSON_BYTES / 1024} KiB of JSON (send media as multipart/form-data or blob names)` };
  return problem(413, 'The request body is too large', `${violation.field}: ${violation.message}`, { invalidFields: [violation.field], errors: [violation] });
}
