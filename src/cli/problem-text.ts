/**
 * The API's problem details (RFC 9457) as lines a person reads: the title and
 * HTTP status, then one line per bad field, or the detail.
 */
import { ApiError } from './api-client';

interface FieldError {
  field: string;
  message: string;
}

export function problemText(error: ApiError): string {
  const body = error.body;
  if (typeof body !== 'object' || body === null) {
    const text = typeof body === 'string' && body.trim() !== '' ? `: ${body.trim().slice(0, 300)}` : '';
    return `The API answered HTTP ${String(error.status)}${text}`;
  }
  const problem = body as Record<string, unknown>;
  const title = typeof problem.title === 'string' ? problem.title : 'The API refused the call';
  const errors = Array.isArray(problem.errors) ? problem.errors.filter(isFieldError) : [];
  const lines = [`${title} (HTTP ${String(error.status)})`];
  if (errors.length > 0) lines.push(...errors.map((e) => `  ${e.field}: ${e.message}`));
  else if (typeof problem.detail === 'string') lines.push(`  ${problem.detail}`);
  return lines.join('\n');
}

function isFieldError(value: unknown): value is FieldError {
  if (typeof value !== 'object' || value === null) return false;
  const { field, message } = value as Record<string, unknown>;
  return typeof field === 'string' && typeof message === 'string';
}
