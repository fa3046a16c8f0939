/**
 * Error answers in the service's shape: `{"error": {code, message, param, type}}`.
 * Handlers throw an ApiError; the server turns it into the answer, so a
 * handler never has to remember headers or body layout.
 */
import type { ServerResponse } from 'node:http';
import type { RuleViolation } from '../../contracts/validation';

export interface ApiErrorBody {
  code: string;
  message: string;
  param?: string | null;
  type?: string | null;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(body.message);
  }
}

export function sendError(res: ServerResponse, error: ApiError): void {
  const { code, message, param = null, type = null } = error.body;
  const payload = JSON.stringify({ error: { code, message, param, type } });
  res.writeHead(error.status, {
    ...error.headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

/** A 400 naming the first broken field in `param` and every broken rule in the message. */
export function invalidRequest(violations: readonly RuleViolation[]): ApiError {
  const first = violations[0];
  const message = violations.map((v) => `Invalid value for '${v.field}': ${v.message}.`).join(' ');
  return new ApiError(400, { code: 'invalid_value', message, param: first?.field ?? null, type: 'invalid_request_error' });
}

export function badRequest(message: string, param: string | null = null, code = 'invalid_request'): ApiError {
  return new ApiError(400, { code, message, param, type: 'invalid_request_error' });
}

export function notFound(message: string, code = 'NotFound'): ApiError {
  return new ApiError(404, { code, message, type: 'invalid_request_error' });
}

/** With a wait, the answer carries `retry-after` in seconds and `retry-after-ms`, like Azure. */
export function retryLater(status: 429 | 500 | 503, code: string, message: string, retryAfterMs?: number): ApiError {
  const ms = retryAfterMs === undefined ? undefined : Math.max(0, Math.ceil(retryAfterMs));
  const headers: Record<string, string> = ms === undefined ? {} : { 'retry-after': String(Math.ceil(ms / 1000)), 'retry-after-ms': String(ms) };
  return new ApiError(status, { code, message, type: status === 429 ? 'requests' : 'server_error' }, headers);
}
