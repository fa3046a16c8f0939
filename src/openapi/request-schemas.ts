/**
 * The request bodies of `POST /api/videos` as the OpenAPI document shows
 * them, put together from the very field schemas the starter validates with
 * (contracts/video-request.ts, sora/rules.ts): a field's type, range, pattern
 * and default come from its validator, so the document cannot drift from it.
 * What JSON Schema cannot say (the jobs API's allowed width×height pairs and
 * variants per size, Sora 2's sizes and lengths) is written into descriptions
 * from the same rule constants.
 */
import { z } from 'zod';
import { callbackField, correlationIdField } from '../events/pipeline-field-schemas';
import { blobItem, JOBS_DEFAULTS, requestIdField, videosFields } from '../contracts/video-request';
import { inpaintItemSchema, jobsCreateSchema, JOBS_MAX_VARIANTS_BY_SIZE, VIDEOS_DEFAULT_SECONDS, VIDEOS_DEFAULT_SIZE, VIDEOS_SECONDS, VIDEOS_SIZES } from '../sora/rules';
import { SORA_APIS } from '../sora/types';

const jobs = jobsCreateSchema.shape;

const jobsSizes = Object.entries(JOBS_MAX_VARIANTS_BY_SIZE)
  .map(([size, variants]) => `${size} (up to ${String(variants)} variant${variants === 1 ? '' : 's'})`)
  .join(', ');

/** Fields every API shares: the id, the API, Sora's `model` (ignored) and the prompt. */
const common = {
  id: requestIdField.meta({ description: 'Your own id for the request (makes the call idempotent); a new UUID when left out.' }),
  api: z.enum(SORA_APIS).optional().meta({ description: "The API to use, one the app has a deployment for; the app's SORA_API when left out." }),
  model: jobs.model.optional().meta({ description: "Accepted and ignored, so a body written for Sora's own API works: the deployment is the app's." }),
  prompt: jobs.prompt,
};

/** JSON bodies only: the fields that ask for a completion announcement (src/events/pipeline-fields.ts). */
const pipeline = { correlationId: correlationIdField.optional(), callback: callbackField.optional() };

/** Jobs API (Sora): the create body with the app's defaults; media as blobs already in the inputs container. */
const jobsJson = z.object({
  ...common,
  ...pipeline,
  width: jobs.width.default(JOBS_DEFAULTS.width).meta({ description: `Width×height is one of ${jobsSizes}.` }),
  height: jobs.height.default(JOBS_DEFAULTS.height),
  n_seconds: jobs.n_seconds,
  n_variants: jobs.n_variants,
  inpaint_items: z
    .array(inpaintItemSchema.extend({ blob: blobItem.shape.blob.unwrap(), file_name: inpaintItemSchema.shape.file_name.optional() }))
    .optional()
    .meta({ description: 'Jobs API only. Each names a blob of the inputs container; the file name Sora sees defaults to its last segment.' }),
});

/** Videos API (Sora 2) and OpenAI-compatible endpoints: the same vocabulary, translated to `size` and `seconds`. */
const videosJson = z.object({
  ...common,
  ...pipeline,
  ...videosFields.shape,
  width: videosFields.shape.width.meta({ description: `Width×height is one of ${VIDEOS_SIZES.join(', ')} (default ${VIDEOS_DEFAULT_SIZE}).` }),
  n_seconds: videosFields.shape.n_seconds.meta({ description: `One of ${VIDEOS_SECONDS.join(', ')} (default ${VIDEOS_DEFAULT_SECONDS}).` }),
});

export const createVideoJsonBody = z.union([jobsJson, videosJson]).meta({
  description: 'The jobs API (Sora) or the videos API (Sora 2, or an OpenAI-compatible endpoint), chosen by `api`.',
});

/** The same fields as form fields in Sora's own multipart shape, with the files as parts. */
export const createVideoFormBody = z.object({
  ...common,
  width: jobsJson.shape.width,
  height: jobsJson.shape.height,
  n_seconds: z.int().optional().meta({ description: 'As in the JSON body for the chosen API.' }),
  n_variants: jobs.n_variants,
  inpaint_items: z.string().optional().meta({
    description: 'Jobs API: the inpaint items as a JSON string; each `file_name` names a `files` part.',
    contentMediaType: 'application/json',
  }),
  files: z.array(z.file()).optional().meta({ description: 'Jobs API: one part per inpaint item (JPEG, PNG or WebP images, MP4 videos).' }),
  input_reference: z.file().optional().meta({ description: 'Videos API: a reference image exactly the requested size.' }),
});
