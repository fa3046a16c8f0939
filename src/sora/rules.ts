/**
 * The request rules of both Azure OpenAI video APIs, in one place.
 *
 * The Sora client checks them before any call, the HTTP API checks them before
 * starting anything, and the emulator enforces them like the service does. The
 * facts come from shared/SORA-API.md; where public sources disagree we take
 * the stricter reading, so a request accepted here is accepted by Azure.
 */
import { z } from 'zod';
import type { RuleViolation } from '../contracts/validation';

/** Sizes the jobs API (Sora) accepts, with the most variants each allows. */
export const JOBS_MAX_VARIANTS_BY_SIZE: Readonly<Record<string, number>> = {
  '480x480': 4,
  '480x854': 4,
  '854x480': 4,
  '720x720': 2,
  '720x1280': 2,
  '1280x720': 2,
  '1080x1080': 1,
  '1080x1920': 1,
  '1920x1080': 1,
};
export const JOBS_SIZES = Object.keys(JOBS_MAX_VARIANTS_BY_SIZE);
export const N_SECONDS_MIN = 1;
export const N_SECONDS_MAX = 20;
export const N_SECONDS_DEFAULT = 5;
export const MAX_IMAGE_INPUTS = 2;
export const MAX_VIDEO_INPUTS = 1;
export const MAX_VIDEO_INPUT_SECONDS = 5;

/** Sizes and lengths the videos API (Sora 2) accepts on Azure. */
export const VIDEOS_SIZES = ['720x1280', '1280x720'] as const;
export const VIDEOS_SECONDS = ['4', '8', '12'] as const;
export const VIDEOS_DEFAULT_SIZE = '720x1280';
export const VIDEOS_DEFAULT_SECONDS = '4';

const fraction = z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');

export const cropBoundsSchema = z
  .object({
    left_fraction: fraction.default(0),
    top_fraction: fraction.default(0),
    right_fraction: fraction.default(1),
    bottom_fraction: fraction.default(1),
  })
  .superRefine((b, ctx) => {
    if (b.left_fraction >= b.right_fraction) {
      ctx.addIssue({ code: 'custom', path: ['left_fraction'], message: 'must be less than right_fraction' });
    }
    if (b.top_fraction >= b.bottom_fraction) {
      ctx.addIssue({ code: 'custom', path: ['top_fraction'], message: 'must be less than bottom_fraction' });
    }
  });
export type CropBounds = z.output<typeof cropBoundsSchema>;

export const inpaintItemSchema = z.object({
  frame_index: z.int('must be an integer').min(0, 'must be 0 or more').default(0),
  type: z.enum(['image', 'video'], "must be 'image' or 'video'"),
  file_name: z.string('is required').min(1, 'is required'),
  crop_bounds: cropBoundsSchema.optional(),
});
export type InpaintItem = z.output<typeof inpaintItemSchema>;

const prompt = z.string('is required').trim().min(1, 'is required and must not be empty');
const model = z.string('is required').min(1, 'is required (the deployment name)');

/** The jobs API's create body (JSON, or multipart after {@link formFieldsToJobsInput}). */
export const jobsCreateSchema = z
  .object({
    model,
    prompt,
    width: z.int('is required and must be an integer'),
    height: z.int('is required and must be an integer'),
    n_seconds: z
      .int('must be an integer')
      .min(N_SECONDS_MIN, `must be between ${N_SECONDS_MIN} and ${N_SECONDS_MAX}`)
      .max(N_SECONDS_MAX, `must be between ${N_SECONDS_MIN} and ${N_SECONDS_MAX}`)
      .default(N_SECONDS_DEFAULT),
    n_variants: z.int('must be an integer').min(1, 'must be at least 1').default(1),
    inpaint_items: z.array(inpaintItemSchema).optional(),
  })
  .superRefine((req, ctx) => {
    for (const issue of sizeAndVariantViolations(req.width, req.height, req.n_variants)) {
      ctx.addIssue({ code: 'custom', path: [issue.field], message: issue.message });
    }
    for (const issue of mediaCountViolations(req.inpaint_items ?? [])) {
      ctx.addIssue({ code: 'custom', path: [issue.field], message: issue.message });
    }
  });
export type JobsCreateInput = z.input<typeof jobsCreateSchema>;
export type JobsCreateRequest = z.output<typeof jobsCreateSchema>;

/** The videos API's (Sora 2) create body; `input_reference` travels as a file part. */
export const videosCreateSchema = z.object({
  model,
  prompt,
  size: z.enum(VIDEOS_SIZES, `must be one of ${VIDEOS_SIZES.join(', ')}`).default(VIDEOS_DEFAULT_SIZE),
  seconds: z.enum(VIDEOS_SECONDS, `must be one of "${VIDEOS_SECONDS.join('", "')}" (a string)`).default(VIDEOS_DEFAULT_SECONDS),
});
export type VideosCreateRequest = z.output<typeof videosCreateSchema>;

export const videosRemixSchema = z.object({ prompt });

/** Size class rules of the jobs API: allowed pairs and variants per class. */
export function sizeAndVariantViolations(width: number, height: number, nVariants: number): RuleViolation[] {
  const size = `${width}x${height}`;
  const maxVariants = JOBS_MAX_VARIANTS_BY_SIZE[size];
  if (maxVariants === undefined) {
    return [{ field: 'width', message: `${size} is not a supported size; use one of ${JOBS_SIZES.join(', ')}` }];
  }
  if (nVariants > maxVariants) {
    return [{ field: 'n_variants', message: `must be at most ${maxVariants} for ${size}` }];
  }
  return [];
}

/** At most two images and one video per request. */
export function mediaCountViolations(items: readonly Pick<InpaintItem, 'type'>[]): RuleViolation[] {
  const images = items.filter((i) => i.type === 'image').length;
  const videos = items.filter((i) => i.type === 'video').length;
  const out: RuleViolation[] = [];
  if (images > MAX_IMAGE_INPUTS) out.push({ field: 'inpaint_items', message: `at most ${MAX_IMAGE_INPUTS} images are allowed, got ${images}` });
  if (videos > MAX_VIDEO_INPUTS) out.push({ field: 'inpaint_items', message: `at most ${MAX_VIDEO_INPUTS} video is allowed, got ${videos}` });
  return out;
}

/** Every file part must be named by an inpaint item, and every item must have its part. */
export function fileMatchViolations(items: readonly Pick<InpaintItem, 'file_name'>[], fileNames: readonly string[]): RuleViolation[] {
  const out: RuleViolation[] = [];
  items.forEach((item, i) => {
    if (!fileNames.includes(item.file_name)) {
      out.push({ field: `inpaint_items[${i}].file_name`, message: `names '${item.file_name}', but no file part has that name` });
    }
  });
  for (const name of new Set(fileNames)) {
    if (!items.some((item) => item.file_name === name)) {
      out.push({ field: 'files', message: `part '${name}' is not named by any inpaint item` });
    }
  }
  if (new Set(fileNames).size !== fileNames.length) {
    out.push({ field: 'files', message: 'file names must be unique' });
  }
  return out;
}

/**
 * Multipart create requests send numbers as strings and `inpaint_items` as a
 * JSON string; turn them into the JSON shape so one schema checks both.
 * Values that are not what they claim are left as strings, so the schema
 * reports them against their field.
 */
export function formFieldsToJobsInput(fields: Readonly<Record<string, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...fields };
  for (const key of ['width', 'height', 'n_seconds', 'n_variants']) {
    const value = fields[key];
    if (value !== undefined && /^\s*-?\d+\s*$/.test(value)) out[key] = Number(value);
  }
  const items = fields.inpaint_items;
  if (items !== undefined) {
    try {
      out.inpaint_items = JSON.parse(items) as unknown;
    } catch {
      out.inpaint_items = items; // reported by the schema as "expected array"
    }
  }
  return out;
}
