/**
 * The response bodies, as zod schemas for the OpenAPI document. The handlers
 * return plain TypeScript types (VideoView, HealthReport, …), so each schema
 * here is checked against its type when the app compiles ({@link documents}):
 * every field it documents exists in the type with the same type, or the
 * build fails. Newer fields of a type may be missing here until documented.
 */
import { z } from 'zod';
import { BATCH_ITEM_OUTCOMES, type BatchItemOutcome } from '../contracts/batch';
import { PUBLIC_STATUSES } from '../contracts/public-status';
import type { RuleViolation } from '../contracts/validation';
import type { HealthReport } from '../http/health-check';
import type { ProblemDetails } from '../http/problem';
import type { BatchView } from '../requests/read-batch-request';
import type { DeploymentCapacity } from '../requests/read-capacity';
import type { DeploymentDurations } from '../requests/read-job-durations';
import type { VideoLinks, VideoSummary, VideoView } from '../requests/video-view';
import { SORA_APIS } from '../sora/types';
import type { WebhookDeliveryState } from '../webhooks/delivery-contract';

/**
 * A schema that documents the type `T`: compiles only when every value of `T`
 * is a value of the schema's output (so no documented field is missing from
 * `T` or typed differently).
 */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T is named by the caller: the type the schema documents.
function documents<T>() {
  return <S extends z.ZodType>(schema: S & ([T] extends [z.output<S>] ? unknown : never)): S => schema;
}

const nullableString = z.string().nullable();
const nullableTime = z.iso.datetime().nullable();

const violationSchema = documents<RuleViolation>()(
  z.object({ field: z.string().meta({ description: 'The field, as sent: `inpaint_items[0].crop_bounds.left_fraction`, `(body)`, `(content-type)`.' }), message: z.string() }),
);

export const linksSchema = documents<VideoLinks>()(
  z.object({ self: z.string().meta({ description: 'This request (send the function key again).' }), cancel: z.string() }),
);

export const videoSummarySchema = documents<VideoSummary>()(
  z.object({
    id: z.string(),
    status: z.enum(PUBLIC_STATUSES),
    prompt: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    links: linksSchema,
  }),
);

const progressSchema = z.looseObject({
  soraStatus: nullableString,
  progress: z.number().nullable().meta({ description: '0–100 when the service reports it (Sora 2).' }),
  checks: z.int(),
  submittedAt: nullableTime,
  expectedDoneAt: nullableTime.meta({ description: 'When the job is expected to be done, for progress displays.' }),
  lastCheckAt: nullableTime,
  nextCheckAt: nullableTime,
  variantsStored: z.int(),
  expectedDuration: z
    .object({ seconds: z.number(), source: z.string().meta({ description: '`setting`, `typical`, or `learned from N jobs` of this shape.' }) })
    .nullable()
    .meta({ description: 'The job length the poll schedule expects, and where that comes from.' }),
  queuePosition: z.int().nullable().meta({ description: 'While `waiting`: the place in the deployment queue, from 1.' }),
  estimatedStartAt: nullableTime.meta({ description: 'While `waiting`: when the request is expected to get its slot.' }),
  submit: z.object({ calls: z.int(), waiting: z.enum(['throttled', 'unsure']).nullable(), code: nullableString }),
});

const webhookDeliverySchema = documents<WebhookDeliveryState>()(
  z.object({
    state: z.enum(['pending', 'retrying', 'delivered', 'failed']),
    attempts: z.int(),
    lastStatus: z.int().nullable().meta({ description: "The receiver's last HTTP status; null when it could not be reached." }),
    lastError: nullableString,
    lastAttemptAt: nullableTime,
    nextAttemptAt: nullableTime,
    deliveredAt: nullableTime,
  }),
);

export const videoViewSchema = documents<VideoView>()(
  videoSummarySchema.extend({
    api: z.enum(SORA_APIS),
    size: z.string().meta({ description: 'width×height, e.g. 480x480' }),
    n_seconds: z.int(),
    n_variants: z.int(),
    soraJobId: nullableString,
    remixOf: nullableString,
    remixes: z.array(z.string()).optional(),
    inputs: z.array(z.object({ type: z.enum(['image', 'video']), fileName: z.string(), frameIndex: z.int(), bytes: z.int() })),
    progress: progressSchema.nullable(),
    error: z
      .object({ code: nullableString, message: z.string(), requestId: nullableString.meta({ description: "Sora's request id, when Sora failed it." }) })
      .optional()
      .meta({ description: 'For failed and timed_out requests: what went wrong, never a stack trace.' }),
    videos: z.array(
      z.object({
        variant: z.int(),
        url: z.string().meta({ description: 'A short-lived read-only link (SAS); needs no key.' }),
        thumbnailUrl: nullableString,
        contentType: z.string(),
        bytes: z.int(),
        sha256: z.string(),
      }),
    ),
    webhook: webhookDeliverySchema.optional().meta({ description: 'When the request named a callback: how the delivery of its signed completion event goes.' }),
  }),
);

export const startedSchema = z.object({ id: z.string(), status: z.literal('pending'), links: linksSchema });

export const cancelAcceptedSchema = z.object({ id: z.string(), status: z.enum(PUBLIC_STATUSES), cancelRequested: z.literal(true), links: linksSchema });

export const videoPageSchema = z.object({
  items: z.array(videoSummarySchema),
  nextCursor: nullableString.meta({ description: 'Pass as `cursor` for the next page; null on the last.' }),
});

export const capacitySchema = z.object({
  deployments: z.array(
    documents<DeploymentCapacity>()(
      z.object({ api: z.enum(SORA_APIS), deployment: z.string(), capacity: z.int().nullable(), running: z.int(), queued: z.int() }),
    ),
  ),
  jobDurations: z
    .array(
      documents<DeploymentDurations>()(
        z.object({
          api: z.enum(SORA_APIS),
          deployment: z.string(),
          shapes: z.array(
            z.object({
              size: z.string().meta({ description: 'width×height' }),
              seconds: z.int(),
              variants: z.int(),
              jobs: z.int().meta({ description: 'Jobs of this shape recorded (the latest 20 at most).' }),
              expectedSeconds: z.number().nullable().meta({ description: 'What the poll schedule expects for the next job of this shape; null until enough recent jobs were seen.' }),
              spreadSeconds: z.number().nullable().meta({ description: 'How much slower than usual a slow job runs; null as expectedSeconds.' }),
              lastSeenAt: z.iso.datetime(),
            }),
          ),
        }),
      ),
    )
    .meta({ description: 'Per deployment: the job durations learned per job shape.' }),
});

const batchLinksSchema = z.object({ self: z.string().meta({ description: 'This batch (send the function key again).' }), cancel: z.string() });

const batchCountsSchema = z
  .object({ pending: z.int(), running: z.int(), ...(Object.fromEntries(BATCH_ITEM_OUTCOMES.map((outcome) => [outcome, z.int()])) as Record<BatchItemOutcome, z.ZodInt>) })
  .meta({ description: 'Items per state: `pending` not started yet, `running`, then how each ended (`rejected`: bad input, never started).' });

export const batchStartedSchema = z.object({ id: z.string(), status: z.literal('pending'), total: z.int(), links: batchLinksSchema });

export const batchViewSchema = documents<BatchView>()(
  z.object({
    id: z.string(),
    status: z.enum(['pending', 'running', 'completed', 'cancelled', 'failed']).meta({ description: '`completed` once every item has ended; `cancelled` when a cancel stopped it.' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    source: z.union([
      z.object({ kind: z.literal('api') }),
      z.object({ kind: z.literal('blob'), container: z.string(), blobName: z.string(), sha256: z.string() }).meta({ description: 'A JSON Lines file dropped into the requests container.' }),
    ]),
    total: z.int(),
    counts: batchCountsSchema,
    cancelRequested: z.boolean(),
    problems: z.array(violationSchema).meta({ description: 'A dropped file that could not be read at all: why (then there are no items).' }),
    items: z.array(
      z.object({
        item: z.int().meta({ description: 'The index in `items`, or the line number of a dropped file.' }),
        id: z.string().meta({ description: 'The request the item runs as: `<batch id>-<item>`.' }),
        status: z.enum([...PUBLIC_STATUSES, 'rejected']),
        errors: z.array(violationSchema).optional().meta({ description: 'A rejected item: every bad field.' }),
        error: z.object({ code: nullableString, message: z.string() }).optional(),
        links: z.object({ self: z.string() }).optional().meta({ description: 'Absent for a rejected item: no request ran.' }),
      }),
    ),
    nextCursor: nullableString.meta({ description: 'Pass as `cursor` for the next page of items; null on the last.' }),
    links: batchLinksSchema,
  }),
);

export const batchCancelAcceptedSchema = z.object({ id: z.string(), cancelRequested: z.literal(true), links: batchLinksSchema });

const probed = { status: z.int().nullable(), code: nullableString };

export const healthSchema = documents<HealthReport>()(
  z.object({
    status: z.enum(['ok', 'unhealthy']),
    checkedAt: z.iso.datetime(),
    settings: z.object({ state: z.enum(['ok', 'invalid']), invalid: z.array(z.object({ setting: z.string(), message: z.string() })) }),
    storage: z.object({ state: z.enum(['ok', 'unauthorized', 'unreachable', 'not_checked']), ...probed }),
    video: z.partialRecord(
      z.enum(SORA_APIS),
      z.object({ state: z.enum(['ok', 'unauthorized', 'deployment_not_found', 'model_retired', 'unreachable']), default: z.boolean(), ...probed }),
    ),
  }),
);

/** RFC 9457 problem details, with the extensions this API adds. */
export const problemSchema = documents<ProblemDetails>()(
  z.looseObject({
    type: z.string(),
    title: z.string(),
    status: z.int().meta({ description: 'Always the HTTP status code.' }),
    detail: z.string(),
    errors: z.array(violationSchema).optional().meta({ description: 'Bad input: one entry per broken rule, naming its field.' }),
    invalidFields: z.array(z.string()).optional(),
    requestStatus: z.enum(PUBLIC_STATUSES).optional().meta({ description: 'On a 409: how the request ended.' }),
    acceptedTypes: z.array(z.string()).optional().meta({ description: 'On a 415: the media types the route reads.' }),
  }),
);
