/**
 * Errors as RFC 9457 problem details (`application/problem+json`): what went
 * wrong, and for bad input every field that was wrong.
 */
import type { HttpResponseInit } from '@azure/functions';
import type { RuleViolation } from '../contracts/validation';
import { REQUEST_ID_RULE } from '../contracts/video-request';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** Bad input: one entry per broken rule, naming the field. */
  errors?: RuleViolation[];
  [extension: string]: unknown;
}

export function problem(status: number, title: string, detail: string, extensions: Record<string, unknown> = {}): HttpResponseInit {
  const body: ProblemDetails = { type: 'about:blank', title, status, detail, ...extensions };
  return { status, headers: { 'content-type': 'application/problem+json' }, body: JSON.stringify(body) };
}

export function validationProblem(violations: RuleViolation[]): HttpResponseInit {
  const fields = [...new Set(violations.map((v) => v.field))];
  return problem(400, 'The request is not valid', violations.map((v) => `${v.field}: ${v.message}`).join('; '), {
    invalidFields: fields,
    errors: violations,
  });
}

/** An unknown id; `undefined` for one that breaks the id rule, which is not echoed back. */
export function notFound(id: string | undefined): HttpResponseInit {
  const detail = id === undefined ? `There is no video request with that id: ids ${REQUEST_ID_RULE}.` : `There is no video request with id '${id}'.`;
  return problem(404, 'No such video request', detail);
}
