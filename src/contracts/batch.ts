/**
 * Batches: many video requests started, followed and cancelled as one. The
 * body of `POST /api/batches` as zod schemas (the one place they live), the
 * ids a batch and its items run under, and what travels through the task hub
 * for the `videoBatch` orchestration: its input, custom status and output.
 */
import { z } from 'zod';
import { callbackField } from '../events/pipeline-field-schemas';
import type { VideoGenerationInput } from './orchestration';
import { checkRules, type RuleResult, type RuleViolation } from './validation';
import { REQUEST_ID_PATTERN, REQUEST_ID_RULE } from './video-request';

/** The most items one batch takes: its input, status and result stay small enough for the task hub. */
export const MAX_BATCH_ITEMS = 1000;

/**
 * A batch id leaves room for the item suffix (`-` and up to 7 digits) so every
 * item's request id still passes the one id rule (at most 64 characters).
 */
export const MAX_BATCH_ID_LENGTH = 56;

/** Where a finished batch is announced, signed: the shape here, the URL rules in checkPipelineFields as for requests. */
export type BatchCallback = z.output<typeof callbackField>;

export const batchIdField = z
  .string('must be a string')
  .regex(REQUEST_ID_PATTERN, REQUEST_ID_RULE)
  .max(MAX_BATCH_ID_LENGTH, `must be at most ${MAX_BATCH_ID_LENGTH} characters (each item runs as <batch id>-<item>)`);

/**
 * The body of `POST /api/batches`. Each item is the JSON body of
 * `POST /api/videos` (media as blob references), checked by that route's own
 * rules one by one (`parseCreateVideoRequest`), so here it is only an object.
 */
export const createBatchBodySchema = z.strictObject({
  id: batchIdField.optional(),
  items: z
    .array(z.unknown(), 'must be an array of video requests')
    .min(1, 'must hold at least one video request')
    .max(MAX_BATCH_ITEMS, `must hold at most ${MAX_BATCH_ITEMS} video requests`),
  callback: callbackField.optional(),
});
export type CreateBatchBody = z.output<typeof createBatchBodySchema>;

/** Items per page of `GET /api/batches/{id}` unless `limit` says otherwise (also the page shown with an existing batch). */
export const DEFAULT_BATCH_PAGE = 20;

/** The query of `GET /api/batches/{id}`: a page of items; `cursor` is a `nextCursor` the batch returned. */
export const batchPageQuerySchema = z.object({
  limit: z.coerce.number<string>('must be a number').int('must be a whole number').min(1, 'must be between 1 and 100').max(100, 'must be between 1 and 100').default(DEFAULT_BATCH_PAGE),
  cursor: z.string().optional(),
});

/** The request id an item runs under: its batch id and its item number, so a redelivery or re-upload finds the same one. */
export function itemRequestId(batchId: string, item: number): string {
  return `${batchId}-${item}`;
}

/** Where a batch came from. */
export type BatchSource = { kind: 'api' } | { kind: 'blob'; container: string; blobName: string; sha256: string };

/**
 * One item as the orchestrator gets it. `item` is its number: the index in
 * `items` for the API, the line number for a dropped file. A rejected item is
 * reported, never started.
 */
export type BatchItemInput =
  | { item: number; requestId: string; run: VideoGenerationInput }
  | { item: number; requestId: string; rejected: RuleViolation[] };

export interface VideoBatchInput {
  batchId: string;
  source: BatchSource;
  /** Requests of this batch that run at once; the deployment limiter keeps Sora's own slots full. */
  concurrency: number;
  callback?: BatchCallback;
  acceptedAt: string;
  /** SHA-256 of what the client sent (the items and callback, or the file): the same id with other content is a conflict. */
  fingerprint: string;
  /** A dropped file that could not be read as JSON Lines at all (too large, not UTF-8, too many lines): why; then no items. */
  problems: RuleViolation[];
  items: BatchItemInput[];
}

/** How an item ended; `rejected` never started (bad input), `cancelled` may never have started either. */
export const BATCH_ITEM_OUTCOMES = ['succeeded', 'failed', 'cancelled', 'timed_out', 'rejected'] as const;
export type BatchItemOutcome = (typeof BATCH_ITEM_OUTCOMES)[number];

/** Items per state: `pending` not started yet, `running` started and not finished, then each outcome. */
export type BatchCounts = Record<'pending' | 'running' | BatchItemOutcome, number>;

export function emptyCounts(): BatchCounts {
  return { pending: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0, timed_out: 0, rejected: 0 };
}

/** Custom status: counts as children finish. Small whatever the batch size. */
export interface VideoBatchProgress {
  total: number;
  counts: BatchCounts;
  cancelRequested: boolean;
}

export interface BatchItemResult {
  item: number;
  requestId: string;
  outcome: BatchItemOutcome;
  /** Whether a request ran for it (a cancelled batch leaves the rest unstarted). */
  started: boolean;
  /** failed / timed_out: why, in one line. */
  error?: { code: string | null; message: string };
  /** rejected: every bad field. */
  errors?: RuleViolation[];
}

export interface VideoBatchResult {
  batchId: string;
  counts: BatchCounts;
  items: BatchItemResult[];
}

const BATCH_BODY_FIELDS = Object.keys(createBatchBodySchema.shape);

/** Checks a batch body, naming each unknown field on its own as `POST /api/videos` does. Items are checked later, one by one. */
export function parseCreateBatchBody(body: unknown): RuleResult<CreateBatchBody> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, violations: [{ field: '(body)', message: 'must be a JSON object' }] };
  const unknown = Object.keys(body).filter((key) => !BATCH_BODY_FIELDS.includes(key));
  const violations: RuleViolation[] = unknown.map((key) => ({ field: key, message: `is not a known field (known: ${BATCH_BODY_FIELDS.join(', ')})` }));
  const known = Object.fromEntries(Object.entries(body).filter(([key]) => BATCH_BODY_FIELDS.includes(key)));
  const checked = checkRules(createBatchBodySchema, known);
  if (!checked.ok) violations.push(...checked.violations);
  return violations.length > 0 || !checked.ok ? { ok: false, violations } : checked;
}

/** A violation of item `index` as the batch body names it: `items[3].width`, or `items[3]` for the item as a whole. */
export function itemViolation(index: number, violation: RuleViolation): RuleViolation {
  const field = violation.field === '(body)' ? `items[${index}]` : `items[${index}].${violation.field}`;
  return { field, message: violation.message };
}
