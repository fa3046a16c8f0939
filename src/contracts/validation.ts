/**
 * Validation results that name their fields: what every starter (HTTP, and the
 * queue and batch starters to come) answers bad input with.
 */
import type { z } from 'zod';

/** One broken rule, named by the request field it concerns (dotted path). */
export interface RuleViolation {
  field: string;
  message: string;
}

/** Field path as users write it: `inpaint_items[0].crop_bounds.left_fraction`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    return acc === '' ? String(key) : `${acc}.${String(key)}`;
  }, '');
}

/** Turns a zod failure into violations that name their field. */
export function violationsOf(error: z.ZodError): RuleViolation[] {
  return error.issues.map((issue) => ({ field: fieldPath(issue.path) || '(body)', message: issue.message }));
}

export type RuleResult<T> = { ok: true; value: T } | { ok: false; violations: RuleViolation[] };

/** Parses with a schema and returns either the typed value or named violations. */
export function checkRules<S extends z.ZodType>(schema: S, input: unknown): RuleResult<z.output<S>> {
  const parsed = schema.safeParse(input);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, violations: violationsOf(parsed.error) };
}
