/**
 * The body of `POST /api/videos`, checked with the shared Sora rules so a
 * request we accept is one the service accepts. Field names are Sora's own
 * (`n_seconds`, `n_variants`), so messages name what the client sent.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { fileNameViolation } from '../media';
import { fileMatchViolations, formFieldsToJobsInput, jobsCreateSchema, type CropBounds, videosCreateSchema, VIDEOS_DEFAULT_SECONDS, VIDEOS_DEFAULT_SIZE } from '../sora/rules';
import { checkRules, type RuleResult, type RuleViolation } from './validation';
import type { SoraApi } from '../sora/types';
import type { VideoSpec } from './orchestration';

/**
 * The one id rule. Client-chosen ids become instance ids (which the durable
 * client puts into its management URLs unescaped), blob folders and log
 * lines, so every id from a path, query, body or message must pass it first:
 * letters, digits, `-` and `_` only means no `/`, `.`, `%` or `?` can steer
 * a URL or a blob name.
 */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** What a client is told when an id breaks {@link REQUEST_ID_PATTERN}. */
export const REQUEST_ID_RULE = "must be 1–64 letters, digits, '-' or '_', starting with a letter or digit";

export function isRequestId(value: string): boolean {
  return REQUEST_ID_PATTERN.test(value);
}

/** An optional `id` field of a body, checked by the one rule. */
export const requestIdField = z.string('must be a string').regex(REQUEST_ID_PATTERN, REQUEST_ID_RULE).optional();

/**
 * The id a request runs under (its instance id and upload folder). When the
 * client chose it, starting is idempotent: the same id again answers with the
 * request it names instead of starting a second one.
 */
export interface RequestId {
  id: string;
  idChosenByClient: boolean;
}

/** The client's own id when it sent one, else a new one. */
export function requestIdFor(clientId: string | undefined): RequestId {
  return clientId === undefined ? { id: randomUUID(), idChosenByClient: false } : { id: clientId, idChosenByClient: true };
}

/** `model` is accepted (and ignored) so a body written for Sora's own API works unchanged: the deployment is ours to choose. */
const KNOWN_FIELDS: Record<SoraApi, string[]> = {
  jobs: ['id', 'api', 'model', 'prompt', 'width', 'height', 'n_seconds', 'n_variants', 'inpaint_items'],
  videos: ['id', 'api', 'model', 'prompt', 'width', 'height', 'n_seconds', 'n_variants', 'input_reference'],
  openai: ['id', 'api', 'model', 'prompt', 'width', 'height', 'n_seconds', 'n_variants', 'input_reference'],
};

/** Which Sora APIs this app can use, and the one a request gets unless it names another in `api`. */
export interface ApiChoice {
  default: SoraApi;
  available: readonly SoraApi[];
}

export const JOBS_DEFAULTS = { width: 480, height: 480, n_seconds: 5, n_variants: 1 };

const envelope = z.looseObject({ id: requestIdField });

/** Where a request's media comes from: JSON names blobs already in the inputs container; a form carries file parts. */
export type BodyKind = 'json' | 'form';

/** An input the starter still has to find and check by its bytes. */
export interface MediaRequest {
  /** What violations about this input name: `inpaint_items[0]` or `input_reference`. */
  field: string;
  type: 'image' | 'video';
  fileName: string;
  frameIndex: number;
  cropBounds?: CropBounds;
  /** JSON requests: the blob in the inputs container. Forms: undefined (the file part named `fileName`). */
  blob?: string;
}

export interface CreateVideoRequest {
  /** The body's `id` field: the client's own id, if it chose one (see {@link requestIdFor}). */
  id: string | undefined;
  /** Without `inputs`: those are added once the media is found and checked. */
  spec: VideoSpec;
  media: MediaRequest[];
}

/** A form's file parts, by field and file name. */
export interface FormFile {
  field: string;
  fileName: string;
}

export function parseCreateVideoRequest(body: unknown, apis: ApiChoice, kind: BodyKind = 'json', formFiles: FormFile[] = []): RuleResult<CreateVideoRequest> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, violations: [{ field: '(body)', message: 'must be a JSON object' }] };
  }
  const requested = (body as Record<string, unknown>).api ?? apis.default;
  if (!apis.available.includes(requested as SoraApi)) {
    return { ok: false, violations: [{ field: 'api', message: `must be one of ${apis.available.join(', ')} (the APIs this app has a deployment for)` }] };
  }
  const api = requested as SoraApi;
  const known = KNOWN_FIELDS[api];
  const fields = kind === 'form' ? formFieldsToJobsInput(body as Record<string, string>) : (body as Record<string, unknown>);
  const violations: RuleViolation[] = Object.keys(fields)
    .filter((key) => !known.includes(key))
    .map((key) => ({ field: key, message: `is not a known field (known: ${known.join(', ')})` }));

  const id = checkRules(envelope, fields);
  if (!id.ok) violations.push(...id.violations);
  const parsed = api === 'jobs' ? jobsRequest(fields, kind, formFiles) : videosRequest(api, fields, kind, formFiles);
  if (!parsed.ok) violations.push(...parsed.violations);

  if (violations.length > 0 || !id.ok || !parsed.ok) return { ok: false, violations };
  return { ok: true, value: { id: id.value.id, ...parsed.value } };
}

/** JSON inpaint items name a blob instead of a file part; the file name Sora sees is the blob's last segment. */
export const blobItem = z.looseObject({ blob: z.string('must be a string').optional(), file_name: z.string().optional() });

function jobsRequest(fields: Record<string, unknown>, kind: BodyKind, formFiles: FormFile[]): RuleResult<Omit<CreateVideoRequest, 'id'>> {
  const { id, api, model, inpaint_items: rawItems, ...rest } = fields;
  const violations: RuleViolation[] = [];
  const blobs: (string | undefined)[] = [];
  let items = rawItems;
  if (Array.isArray(rawItems)) {
    items = rawItems.map((raw: unknown, i) => {
      const item = blobItem.safeParse(raw);
      if (!item.success) return raw;
      const { blob, ...sora } = item.data;
      blobs[i] = blob;
      if (kind === 'json') {
        if (blob === undefined) violations.push({ field: `inpaint_items[${i}].blob`, message: 'is required in a JSON request (or send the file as multipart/form-data)' });
        else violations.push(...blobNameViolations(`inpaint_items[${i}].blob`, blob));
        return { ...sora, file_name: sora.file_name ?? blob?.split('/').at(-1) };
      }
      if (blob !== undefined) violations.push({ field: `inpaint_items[${i}].blob`, message: 'is for JSON requests; a form sends the file as a part' });
      return sora;
    });
  }
  const parsed = checkRules(jobsCreateSchema, { ...JOBS_DEFAULTS, ...rest, ...(items === undefined ? {} : { inpaint_items: items }), model: 'deployment' });
  if (!parsed.ok) return { ok: false, violations: [...violations, ...parsed.violations] };
  const r = parsed.value;
  const soraItems = r.inpaint_items ?? [];
  if (kind === 'form') violations.push(...fileMatchViolations(soraItems, formFiles.filter((f) => f.field === 'files').map((f) => f.fileName)));
  if (violations.length > 0) return { ok: false, violations };
  return {
    ok: true,
    value: {
      spec: { api: 'jobs', prompt: r.prompt, width: r.width, height: r.height, nSeconds: r.n_seconds, nVariants: r.n_variants },
      media: soraItems.map((item, i) => ({
        field: `inpaint_items[${i}]`,
        type: item.type,
        fileName: item.file_name,
        frameIndex: item.frame_index,
        ...(item.crop_bounds ? { cropBounds: item.crop_bounds } : {}),
        ...(blobs[i] === undefined ? {} : { blob: blobs[i] }),
      })),
    },
  };
}

/** Sora 2 (and any OpenAI-compatible endpoint) speaks `size` and `seconds`; our API keeps one vocabulary and translates. */
export const videosFields = z.object({
  width: z.int('must be an integer').optional(),
  height: z.int('must be an integer').optional(),
  n_seconds: z.int('must be an integer').optional(),
  n_variants: z.literal(1, 'must be 1: Sora 2 makes one video per request').optional(),
  input_reference: z.object({ blob: z.string('must be a string') }, 'must be {"blob": "<name in the inputs container>"}').optional(),
});

function videosRequest(api: Exclude<SoraApi, 'jobs'>, fields: Record<string, unknown>, kind: BodyKind, formFiles: FormFile[]): RuleResult<Omit<CreateVideoRequest, 'id'>> {
  const checked = checkRules(videosFields, fields);
  if (!checked.ok) return checked;
  const [defaultWidth, defaultHeight] = VIDEOS_DEFAULT_SIZE.split('x').map(Number);
  const { width = defaultWidth ?? 0, height = defaultHeight ?? 0, n_seconds = Number(VIDEOS_DEFAULT_SECONDS), input_reference } = checked.value;
  const parsed = checkRules(videosCreateSchema, { model: 'deployment', prompt: fields.prompt, size: `${width}x${height}`, seconds: String(n_seconds) });
  if (!parsed.ok) {
    const rename: Record<string, string> = { size: 'width', seconds: 'n_seconds' };
    return { ok: false, violations: parsed.violations.map((v) => ({ field: rename[v.field] ?? v.field, message: v.message })) };
  }
  const references = formFiles.filter((f) => f.field === 'input_reference');
  const violations: RuleViolation[] = [];
  if (kind === 'form' && input_reference !== undefined) violations.push({ field: 'input_reference', message: 'is sent as a file part in a form' });
  if (references.length > 1) violations.push({ field: 'input_reference', message: `takes one image, got ${references.length}` });
  if (input_reference) violations.push(...blobNameViolations('input_reference.blob', input_reference.blob));
  if (violations.length > 0) return { ok: false, violations };

  const reference = input_reference ? { fileName: input_reference.blob.split('/').at(-1) ?? '', blob: input_reference.blob } : references[0];
  return {
    ok: true,
    value: {
      spec: { api, prompt: parsed.value.prompt, width, height, nSeconds: n_seconds, nVariants: 1 },
      media: reference ? [{ field: 'input_reference', type: 'image', fileName: reference.fileName, frameIndex: 0, ...('blob' in reference ? { blob: reference.blob } : {}) }] : [],
    },
  };
}

/** A referenced blob must stay inside the inputs container: plain relative segments only. */
function blobNameViolations(field: string, blob: string): RuleViolation[] {
  const problem = blob.split('/').map(fileNameViolation).find((p) => p !== undefined);
  return problem === undefined ? [] : [{ field, message: `'${blob}' ${problem}` }];
}
