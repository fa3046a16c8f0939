/**
 * The videos API (Sora 2, OpenAI-style): `/videos`. One video per request; a
 * finished video is its own single generation. Requests are checked against
 * the shared rules before anything is sent. The same client serves Azure's
 * videos API (`videos`) and any OpenAI-compatible endpoint (`openai`): only
 * the URL root, the auth header and what `model` names differ, and those
 * come in with the SoraHttp and the deployment.
 */
import { headContent, openContent, readContentRange, readContentStart } from './content';
import { SoraError } from './errors';
import type { SoraHttp } from './http';
import { multipartBody } from './multipart';
import { videosCreateSchema, videosRemixSchema, type VideosCreateRequest } from './rules';
import { checkRules, type RuleViolation } from '../contracts/validation';
import type { ByteRange, SoraCallOptions, SoraContent, SoraContentInfo, SoraContentRange, SoraContentStart, SoraInputFile, SoraJob, SoraVideoRequest, VideoService } from './types';
import { collectCreatedSince, LIST_PAGE_SIZE, type JobsCreatedSince } from './listed-jobs';
import { describeVideo, jobFromVideo, videosDeletedSchema, videosListSchema, videosVideoSchema, type VideosVideo } from './videos-wire';

export type VideosContentVariant = 'video' | 'thumbnail' | 'spritesheet';

/** Image types the service takes as `input_reference`. */
const REFERENCE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

export interface VideosListQuery {
  after?: string;
  limit?: number;
  order?: 'asc' | 'desc';
}

export interface SoraVideoPage {
  data: SoraJob[];
  hasMore: boolean;
  lastId: string | null;
}

export class VideosClient implements VideoService {
  constructor(
    private readonly http: SoraHttp,
    /** The Azure deployment, or the model name of an OpenAI-compatible endpoint. */
    readonly deployment: string,
    readonly api: 'videos' | 'openai' = 'videos',
  ) {}

  async probe(options?: SoraCallOptions): Promise<void> {
    await this.http.json({ method: 'GET', path: '/videos', query: { limit: 1 }, signal: options?.signal }, videosListSchema);
  }

  /** Creates a video (JSON, or multipart with `input_reference`), or remixes one when `remixOf` is set. */
  async submit(request: SoraVideoRequest, options?: SoraCallOptions): Promise<SoraJob> {
    if (request.remixOf !== undefined) return this.remix(request.remixOf, request, options);
    const { body, reference } = this.checkedCreate(request);
    const video = reference
      ? await this.http.json(
          {
            method: 'POST',
            path: '/videos',
            body: multipartBody([
              { name: 'model', value: body.model },
              { name: 'prompt', value: body.prompt },
              { name: 'size', value: body.size },
              { name: 'seconds', value: body.seconds },
              { name: 'input_reference', file: reference },
            ]),
            signal: options?.signal,
          },
          videosVideoSchema,
        )
      : await this.http.json({ method: 'POST', path: '/videos', json: body, signal: options?.signal }, videosVideoSchema);
    return jobFromVideo(video);
  }

  async getJob(videoId: string, options?: SoraCallOptions): Promise<SoraJob> {
    return jobFromVideo(await this.retrieve(videoId, options));
  }

  /** The video as the service describes it, including `remixed_from_video_id`, `size` and `seconds`. */
  retrieve(videoId: string, options?: SoraCallOptions): Promise<VideosVideo> {
    return this.http.json({ method: 'GET', path: videoPath(videoId), signal: options?.signal }, videosVideoSchema);
  }

  async list(query: VideosListQuery = {}, options?: SoraCallOptions): Promise<SoraVideoPage> {
    const page = await this.http.json(
      { method: 'GET', path: '/videos', query: { after: query.after, limit: query.limit, order: query.order }, signal: options?.signal },
      videosListSchema,
    );
    return { data: page.data.map(jobFromVideo), hasMore: page.has_more, lastId: page.last_id ?? null };
  }

  /** Every video created at or after `sinceSeconds` (unix seconds), each with the request it describes, newest first. */
  listCreatedSince(sinceSeconds: number, options?: SoraCallOptions): Promise<JobsCreatedSince> {
    return collectCreatedSince(async (after) => {
      const page = await this.http.json(
        { method: 'GET', path: '/videos', query: { after, limit: LIST_PAGE_SIZE, order: 'desc' }, signal: options?.signal },
        videosListSchema,
      );
      return { data: page.data.map((video) => ({ job: jobFromVideo(video), request: describeVideo(video) })), hasMore: page.has_more, lastId: page.last_id ?? null };
    }, sinceSeconds);
  }

  /** Deletes a video; the service answers 404 for one it does not know. */
  async delete(videoId: string, options?: SoraCallOptions): Promise<void> {
    await this.http.json({ method: 'DELETE', path: videoPath(videoId), signal: options?.signal }, videosDeletedSchema);
  }

  /** The videos API has no cancel: deleting stops the video; one already gone counts as done. */
  async cancel(videoId: string, options?: SoraCallOptions): Promise<void> {
    try {
      await this.delete(videoId, options);
    } catch (error) {
      if (!(error instanceof SoraError && error.status === 404)) throw error;
    }
  }

  headContent(videoId: string, options?: SoraCallOptions): Promise<SoraContentInfo> {
    return headContent(this.http, contentRequest(videoId, 'video', options));
  }

  openContent(videoId: string, options?: SoraCallOptions & { range?: ByteRange }): Promise<SoraContent> {
    return openContent(this.http, contentRequest(videoId, 'video', options), options?.range);
  }

  readContentRange(videoId: string, range: ByteRange, options?: SoraCallOptions): Promise<SoraContentRange> {
    return readContentRange(this.http, contentRequest(videoId, 'video', options), range);
  }

  readContentStart(videoId: string, options?: SoraCallOptions): Promise<SoraContentStart> {
    return readContentStart(this.http, contentRequest(videoId, 'video', options));
  }

  openThumbnail(videoId: string, options?: SoraCallOptions): Promise<SoraContent> {
    return openContent(this.http, contentRequest(videoId, 'thumbnail', options));
  }

  /** Any of the content variants (`spritesheet` has no counterpart in VideoService). */
  openVariant(videoId: string, variant: VideosContentVariant, options?: SoraCallOptions): Promise<SoraContent> {
    return openContent(this.http, contentRequest(videoId, variant, options));
  }

  private async remix(videoId: string, request: SoraVideoRequest, options?: SoraCallOptions): Promise<SoraJob> {
    const result = checkRules(videosRemixSchema, { prompt: request.prompt });
    const violations: RuleViolation[] = result.ok ? [] : [...result.violations];
    if ((request.files ?? []).length > 0 || request.inpaintItems !== undefined) {
      violations.push({ field: 'input_reference', message: 'a remix takes a prompt only, no media' });
    }
    if (videoId === '') violations.push({ field: 'remix_of', message: 'must name the video to remix' });
    if (!result.ok || violations.length > 0) throw SoraError.fromViolations(violations);
    const video = await this.http.json(
      { method: 'POST', path: `${videoPath(videoId)}/remix`, json: { prompt: result.value.prompt }, signal: options?.signal },
      videosVideoSchema,
    );
    return jobFromVideo(video);
  }

  private checkedCreate(request: SoraVideoRequest): { body: VideosCreateRequest; reference: SoraInputFile | undefined } {
    const result = checkRules(videosCreateSchema, {
      model: this.deployment,
      prompt: request.prompt,
      size: `${request.width}x${request.height}`,
      seconds: String(request.nSeconds),
    });
    const violations: RuleViolation[] = result.ok ? [] : [...result.violations];
    if (request.nVariants !== 1) violations.push({ field: 'n_variants', message: 'must be 1: the videos API makes one video per request' });
    if (request.inpaintItems !== undefined) {
      violations.push({ field: 'inpaint_items', message: 'are a jobs API feature; the videos API takes one input_reference image' });
    }
    const files = request.files ?? [];
    if (files.length > 1) violations.push({ field: 'input_reference', message: `takes one image, got ${files.length} files` });
    const reference = files[0];
    if (reference && !REFERENCE_TYPES.includes(reference.contentType)) {
      violations.push({ field: 'input_reference', message: `must be one of ${REFERENCE_TYPES.join(', ')}, got ${reference.contentType}` });
    }
    if (!result.ok || violations.length > 0) throw SoraError.fromViolations(violations);
    return { body: result.value, reference };
  }
}

function contentRequest(videoId: string, variant: VideosContentVariant, options?: SoraCallOptions) {
  return { path: `${videoPath(videoId)}/content`, query: { variant }, signal: options?.signal };
}

function videoPath(videoId: string): string {
  return `/videos/${encodeURIComponent(videoId)}`;
}
