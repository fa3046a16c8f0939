/**
 * The one error type the Sora client throws: a failure the service answered,
 * a network failure or timeout, or a request our own rules rejected before
 * any call. It carries what a caller needs to decide (retry or give up) and
 * what a person needs for a support request (code, request id), and it
 * survives JSON so it can travel through durable state.
 */
import type { RuleViolation } from '../contracts/validation';

export interface SoraErrorFields {
  /** HTTP status; undefined when no answer arrived (network failure, timeout). */
  status: number | undefined;
  /** The service's error code (`DeploymentNotFound`, `too_many_requests`, …) or ours (`timeout`, `network_error`, `invalid_request`). */
  code: string;
  /** The service's own message, unchanged. */
  serviceMessage: string;
  /** The request field the error concerns, when named. */
  param: string | null;
  /** `apim-request-id` or `x-request-id` of the failed call. */
  requestId: string | null;
  /** `x-ms-region` of the failed call. */
  region: string | null;
  /** How long the service asked us to wait, when it said. */
  retryAfterMs: number | null;
  /** Whether the same request may succeed later. */
  retryable: boolean;
  /** Every broken rule, when our own checks rejected the request. */
  violations?: RuleViolation[];
}

export interface SoraErrorJson extends SoraErrorFields {
  name: 'SoraError';
  message: string;
}

export class SoraError extends Error implements SoraErrorFields {
  override readonly name = 'SoraError';
  readonly status: number | undefined;
  readonly code: string;
  readonly serviceMessage: string;
  readonly param: string | null;
  readonly requestId: string | null;
  readonly region: string | null;
  readonly retryAfterMs: number | null;
  readonly retryable: boolean;
  readonly violations?: RuleViolation[];

  constructor(fields: SoraErrorFields, options?: { cause?: unknown }) {
    super(describe(fields), options);
    this.status = fields.status;
    this.code = fields.code;
    this.serviceMessage = fields.serviceMessage;
    this.param = fields.param;
    this.requestId = fields.requestId;
    this.region = fields.region;
    this.retryAfterMs = fields.retryAfterMs;
    this.retryable = fields.retryable;
    if (fields.violations) this.violations = fields.violations;
  }

  /** Reads an error answer: both body shapes the service uses, or whatever text it sent. */
  static async fromResponse(response: Response, now: number = Date.now()): Promise<SoraError> {
    const text = await response.text().catch(() => '');
    const body = parseErrorBody(text);
    return new SoraError({
      status: response.status,
      code: body.code ?? statusCode(response.status),
      serviceMessage: body.message ?? (text.trim().slice(0, 500) || response.statusText || `HTTP ${response.status}`),
      param: body.param ?? null,
      ...callDetails(response.headers),
      retryAfterMs: retryAfterMs(response.headers, now),
      retryable: isRetryableStatus(response.status),
    });
  }

  /** A request our rules rejected; it never reached the service. */
  static fromViolations(violations: RuleViolation[]): SoraError {
    const first = violations[0];
    return new SoraError({
      status: 400,
      code: 'invalid_request',
      serviceMessage: violations.map((v) => `${v.field} ${v.message}`).join('; ') || 'invalid request',
      param: first?.field ?? null,
      requestId: null,
      region: null,
      retryAfterMs: null,
      retryable: false,
      violations,
    });
  }

  /** No answer arrived: the connection failed, or the call ran out of time. */
  static noAnswer(code: 'network_error' | 'timeout', detail: string, cause?: unknown): SoraError {
    return new SoraError(
      { status: undefined, code, serviceMessage: detail, param: null, requestId: null, region: null, retryAfterMs: null, retryable: true },
      { cause },
    );
  }

  /** Rebuilds an error that travelled as JSON (durable state, queue messages). */
  static fromJSON(json: SoraErrorJson): SoraError {
    return new SoraError(json);
  }

  /** The fields only: no headers, URLs or credentials, so it is safe to persist and show. */
  toJSON(): SoraErrorJson {
    return {
      name: this.name,
      message: this.message,
      status: this.status,
      code: this.code,
      serviceMessage: this.serviceMessage,
      param: this.param,
      requestId: this.requestId,
      region: this.region,
      retryAfterMs: this.retryAfterMs,
      retryable: this.retryable,
      ...(this.violations ? { violations: this.violations } : {}),
    };
  }
}

export function isSoraError(error: unknown): error is SoraError {
  return error instanceof SoraError;
}

/** 408, 429 and 5xx may pass on their own; other answers will not change by asking again. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * How long to wait before retrying: `retry-after-ms` (Azure's precise form)
 * wins over `retry-after`, which is either seconds or an HTTP date.
 */
export function retryAfterMs(headers: Headers, now: number = Date.now()): number | null {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Math.ceil(Number(ms));
  const value = headers.get('retry-after');
  if (value === null) return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Request id and region of a call, for logs and support requests. */
export function callDetails(headers: Headers): { requestId: string | null; region: string | null } {
  return {
    requestId: headers.get('apim-request-id') ?? headers.get('x-request-id'),
    region: headers.get('x-ms-region'),
  };
}

interface ErrorBody {
  code?: string;
  message?: string;
  param?: string;
}

/**
 * The jobs API's spec answers `{code, message, param, type, inner_error}`;
 * other routes wrap the same fields as `{"error": {…}}`. Anything else
 * (an HTML page from a proxy, an empty body) yields no fields.
 */
export function parseErrorBody(text: string): ErrorBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  if (!isRecord(parsed)) return {};
  const fields = isRecord(parsed.error) ? parsed.error : parsed;
  const inner = isRecord(fields.inner_error) ? fields.inner_error : {};
  return {
    code: stringOrUndefined(fields.code) ?? stringOrUndefined(inner.code) ?? stringOrUndefined(fields.type),
    message: stringOrUndefined(fields.message),
    param: stringOrUndefined(fields.param),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOrUndefined(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** A code for answers that carried none. */
function statusCode(status: number): string {
  return `http_${status}`;
}

function describe(fields: SoraErrorFields): string {
  const head = fields.status === undefined ? `Sora ${fields.code}` : `Sora ${fields.status} ${fields.code}`;
  const param = fields.param ? ` (param: ${fields.param})` : '';
  const id = fields.requestId ? ` [request id ${fields.requestId}]` : '';
  return `${head}: ${fields.serviceMessage}${param}${id}`;
}
