/**
 * Reading a JSON request body as a stream with a size cap, and the violation
 * to answer when it cannot be used.
 */
import type { HttpRequest } from '@azure/functions';
import type { RuleViolation } from '../contracts/validation';

/** JSON bodies are small (media travels as multipart or blob names); anything bigger is refused unread. */
export const MAX_JSON_BYTES = 1024 * 1024;

/** Reads a JSON body of at most {@link MAX_JSON_BYTES}; `ok: false` when it is not JSON or too big (the caller answers 400). */
export async function readJson(request: HttpRequest): Promise<{ ok: true; value: unknown } | { ok: false; tooBig?: boolean }> {
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
    return { ok: false };
  }
}

/** The violation for a body {@link readJson} could not use. */
export function bodyViolation(body: { tooBig?: boolean }): RuleViolation {
  return { field: '(body)', message: body.tooBig ? `must be at most ${MAX_JSON_BYTES / 1024} KiB of JSON (send media as multipart/form-data or blob names)` : 'must be a JSON object' };
}
