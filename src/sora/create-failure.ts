/**
 * What a failed create says about the job: certainly not made, or maybe made.
 * Neither API takes an idempotency key, so the difference decides whether
 * creating again is safe or the job must be looked for first.
 */
import type { SoraError } from './errors';

/**
 * - `throttled`: 429 — refused before anything was made; try again later;
 * - `refused`: any other 4xx (or our own rules) — never made, and asking again will not help;
 * - `ambiguous`: the request may have arrived and been taken — a 5xx or 408, a
 *   timeout or a connection that died before the answer, or a 2xx whose body
 *   could not be read (the job certainly exists then).
 */
export type CreateFailure = 'throttled' | 'refused' | 'ambiguous';

export function classifyCreateFailure(error: SoraError): CreateFailure {
  const { status } = error;
  if (status === undefined) return 'ambiguous';
  if (status === 429) return 'throttled';
  if (status === 408 || status >= 500 || status < 400) return 'ambiguous';
  return 'refused';
}
