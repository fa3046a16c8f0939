/**
 * Errors as RFC 9457 problem details (`application/problem+json`): what went
 * wrong, and for bad input every field that was wrong.
 */
import type { HttpResponseInit } from '@azure/functions';
import type { RuleViolation } from '../contracts/validation';
import { REQUEST_ID_RULE } from '../contracts/video-request';

/** The members RFC 9457 defines; an extension may never take one of these names. */
const STANDARD_MEMBERS = ['type', 'title', 'status', 'detail', 'instance'] as const;
type StandardMember = (typeof STANDARD_MEMBERS)[number];

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** Bad input: one entry per broken rule, naming the field. */
  errors?: RuleViolation[];
  [extension: string]: unknown;
}

/** Extension members: anything but the standard ones (a client reads `status` as the HTTP status code). */
export type ProblemExtensions = Record<string, unknown> & { [member in StandardMember]?: never };

export function problem(status: number, title: string, detail: string, extensions: ProblemExtensions = {}): HttpResponseInit {
  // The type already forbids it; an untyped caller's standard member is dropped all the same.
  const extra = Object.entries(extensions).filter(([name]) => !(STANDARD_MEMBERS as readonly string[]).includes(name));
  const body: ProblemDetails = { type: 'about:blank', title, status, detail, ...Object.fromEntries(extra) };
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
