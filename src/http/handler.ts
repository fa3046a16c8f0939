/**
 * Wraps an HTTP handler so every failure leaves as problem+json: a setting
 * error names the setting, anything unexpected is logged with its stack and
 * answered without it.
 */
import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { ConfigError } from '../config';
import type { RuleViolation } from '../sora/rules';
import { problem } from './problem';

export function withProblems(handler: (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>): HttpHandler {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      if (error instanceof ConfigError) {
        context.error(error.message);
        return problem(500, 'The app is not configured correctly', error.message);
      }
      context.error(`Unhandled error in ${context.functionName}:`, error);
      return problem(500, 'Internal error', `Something went wrong on our side. Quote invocation id ${context.invocationId} when asking for help.`);
    }
  };
}

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
