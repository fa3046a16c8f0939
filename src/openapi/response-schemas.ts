/**
 * The response bodies, as zod schemas for the OpenAPI document. The handlers
 * return plain TypeScript types (VideoView, HealthReport, …), so each schema
 * here is checked against its type when the app compiles ({@link documents}):
 * every field it documents exists in the type with the same type, or the
 * build fails. Newer fields of a type may be missing here until documented.
 */
import { z } from 'zod';
import { PUBLIC_STATUSES } from '../contracts/public-status';
import type { RuleViolation } from '../contracts/validation';
import type { HealthReport } from '../http/health-check';
import type { ProblemDetails } from '../http/problem';
import type { DeploymentCapacity } from '../requests/read-capacity';
import type { VideoLinks, VideoSummary, VideoView } from '../requests/video-view';
import { SORA_APIS } from '../sora/types';

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
  queuePosition: z.int().nullable().meta({ description: 'While `waiting`: the place in the deployment queue, from 1.' }),
  submit: z.object({ calls: z.int(), waiting: z.enum(['throttled', 'unsure']).nullable(), code: nullableString }),
});

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
});

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

const violationSchema = documents<RuleViolation>()(
  z.object({ field: z.string().meta({ description: 'The field, as sent: `inpaint_items[0].crop_bounds.left_fraction`, `(body)`, `(content-type)`.' }), message: z.string() }),
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
