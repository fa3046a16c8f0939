/**
 * The body of `POST /api/videos`, checked with the shared Sora rules so a
 * request we accept is one the service accepts. Field names are Sora's own
 * (`n_seconds`, `n_variants`), so messages name what the client sent.
 */
import { z } from 'zod';
import {
  checkRules,
  jobsCreateSchema,
  videosCreateSchema,
  VIDEOS_DEFAULT_SECONDS,
  VIDEOS_DEFAULT_SIZE,
  type RuleResult,
  type RuleViolation,
} from '../sora/rules';
import type { SoraApi } from '../sora/types';
import type { VideoSpec } from './orchestration';

/** Client-chosen ids become instance ids and blob folders: keep them boring. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

const KNOWN_FIELDS = ['id', 'prompt', 'width', 'height', 'n_seconds', 'n_variants'];

export const JOBS_DEFAULTS = { width: 480, height: 480, n_seconds: 5, n_variants: 1 };

const envelope = z.looseObject({
  id: z.string('must be a string').regex(REQUEST_ID_PATTERN, "must be 1–64 letters, digits, '-' or '_', starting with a letter or digit").optional(),
});

export interface CreateVideoRequest {
  id: string | undefined;
  spec: VideoSpec;
}

export function parseCreateVideoRequest(body: unknown, api: SoraApi): RuleResult<CreateVideoRequest> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, violations: [{ field: '(body)', message: 'must be a JSON object' }] };
  }
  const fields = body as Record<string, unknown>;
  const violations: RuleViolation[] = Object.keys(fields)
    .filter((key) => !KNOWN_FIELDS.includes(key))
    .map((key) => ({ field: key, message: `is not a known field (known: ${KNOWN_FIELDS.join(', ')})` }));

  const id = checkRules(envelope, fields);
  if (!id.ok) violations.push(...id.violations);
  const spec = api === 'jobs' ? jobsSpec(fields) : videosSpec(fields);
  if (!spec.ok) violations.push(...spec.violations);

  if (violations.length > 0 || !id.ok || !spec.ok) return { ok: false, violations };
  return { ok: true, value: { id: id.value.id, spec: spec.value } };
}

function jobsSpec(fields: Record<string, unknown>): RuleResult<VideoSpec> {
  const { id, ...rest } = fields;
  const parsed = checkRules(jobsCreateSchema, { ...JOBS_DEFAULTS, ...rest, model: 'deployment' });
  if (!parsed.ok) return parsed;
  const r = parsed.value;
  return { ok: true, value: { api: 'jobs', prompt: r.prompt, width: r.width, height: r.height, nSeconds: r.n_seconds, nVariants: r.n_variants } };
}

/** Sora 2 speaks `size` and `seconds`; our API keeps one vocabulary and translates. */
const videosNumbers = z.object({
  width: z.int('must be an integer').optional(),
  height: z.int('must be an integer').optional(),
  n_seconds: z.int('must be an integer').optional(),
  n_variants: z.literal(1, 'must be 1: Sora 2 makes one video per request').optional(),
});

function videosSpec(fields: Record<string, unknown>): RuleResult<VideoSpec> {
  const numbers = checkRules(videosNumbers, fields);
  if (!numbers.ok) return numbers;
  const [defaultWidth, defaultHeight] = VIDEOS_DEFAULT_SIZE.split('x').map(Number);
  const { width = defaultWidth, height = defaultHeight, n_seconds = Number(VIDEOS_DEFAULT_SECONDS) } = numbers.value;
  const parsed = checkRules(videosCreateSchema, { model: 'deployment', prompt: fields.prompt, size: `${width}x${height}`, seconds: String(n_seconds) });
  if (!parsed.ok) {
    const rename: Record<string, string> = { size: 'width', seconds: 'n_seconds' };
    return { ok: false, violations: parsed.violations.map((v) => ({ field: rename[v.field] ?? v.field, message: v.message })) };
  }
  return { ok: true, value: { api: 'videos', prompt: parsed.value.prompt, width: width ?? 0, height: height ?? 0, nSeconds: n_seconds, nVariants: 1 } };
}
