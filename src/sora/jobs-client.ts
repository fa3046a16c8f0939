/**
 * The jobs API (Sora, preview): `/video/generations/jobs` and generations.
 * Requests are checked against the shared rules before anything is sent.
 */
import { headContent, openContent, readContentRange, readContentStart } from './content';
import { SoraError } from './errors';
import type { SoraHttp } from './http';
import { describeJobsJob, jobFromWire, jobsGenerationSchema, jobsJobSchema, jobsListSchema, type JobsGeneration } from './jobs-wire';
import { collectCreatedSince, LIST_PAGE_SIZE, type JobsCreatedSince } from './listed-jobs';
import { multipartBody, type FormPart } from './multipart';
import { fileMatchViolations, jobsCreateSchema, type JobsCreateRequest } from './rules';
import { checkRules, type RuleViolation } from '../contracts/validation';
import type {
  ByteRange,
  SoraCallOptions,
  SoraContent,
  SoraContentInfo,
  SoraContentRange,
  SoraContentStart,
  SoraJob,
  SoraJobStatus,
  SoraVideoRequest,
  VideoService,
} from './types';

export type JobsContentQuality = 'high' | 'low';

export interface JobsListQuery {
  limit?: number;
  before?: string;
  after?: string;
  statuses?: SoraJobStatus[];
}

export interface SoraJobPage {
  data: SoraJob[];
  hasMore: boolean;
  firstId: string | null;
  lastId: string | null;
}

export class JobsClient implements VideoService {
  readonly api = 'jobs';

  constructor(
    private readonly http: SoraHttp,
    readonly deployment: string,
  ) {}

  async probe(options?: SoraCallOptions): Promise<void> {
    await this.http.json({ method: 'GET', path: '/video/generations/jobs', query: { limit: 1 }, signal: options?.signal }, jobsListSchema);
  }

  /** Creates a job: JSON for text only, multipart when image or video inputs come along. */
  async submit(request: SoraVideoRequest, options?: SoraCallOptions): Promise<SoraJob> {
    const { body, files } = this.checked(request);
    const path = '/video/generations/jobs';
    const job =
      files.length === 0 && body.inpaint_items === undefined
        ? await this.http.json({ method: 'POST', path, json: body, signal: options?.signal }, jobsJobSchema)
        : await this.http.json({ method: 'POST', path, body: multipartBody(formParts(body, files)), signal: options?.signal }, jobsJobSchema);
    return jobFromWire(job);
  }

  async getJob(jobId: string, options?: SoraCallOptions): Promise<SoraJob> {
    return jobFromWire(await this.http.json({ method: 'GET', path: jobPath(jobId), signal: options?.signal }, jobsJobSchema));
  }

  async listJobs(query: JobsListQuery = {}, options?: SoraCallOptions): Promise<SoraJobPage> {
    const page = await this.http.json(
      {
        method: 'GET',
        path: '/video/generations/jobs',
        query: { limit: query.limit, before: query.before, after: query.after, statuses: query.statuses?.join(',') },
        signal: options?.signal,
      },
      jobsListSchema,
    );
    return { data: page.data.map(jobFromWire), hasMore: page.has_more, firstId: page.first_id ?? null, lastId: page.last_id ?? null };
  }

  /** Every job created at or after `sinceSeconds` (unix seconds), each with the request it describes; the list is newest first. */
  listCreatedSince(sinceSeconds: number, options?: SoraCallOptions): Promise<JobsCreatedSince> {
    return collectCreatedSince(async (after) => {
      const page = await this.http.json(
        { method: 'GET', path: '/video/generations/jobs', query: { limit: LIST_PAGE_SIZE, after }, signal: options?.signal },
        jobsListSchema,
      );
      return { data: page.data.map((job) => ({ job: jobFromWire(job), request: describeJobsJob(job) })), hasMore: page.has_more, lastId: page.last_id ?? null };
    }, sinceSeconds);
  }

  /** Deletes a job (and its content); the service answers 404 for one it does not know. */
  async deleteJob(jobId: string, options?: SoraCallOptions): Promise<void> {
    await this.http.discardBody({ method: 'DELETE', path: jobPath(jobId), signal: options?.signal });
  }

  /** The jobs API has no cancel: deleting stops the job; one already gone counts as done. */
  async cancel(jobId: string, options?: SoraCallOptions): Promise<void> {
    try {
      await this.deleteJob(jobId, options);
    } catch (error) {
      if (!(error instanceof SoraError && error.status === 404)) throw error;
    }
  }

  async getGeneration(generationId: string, options?: SoraCallOptions): Promise<JobsGeneration> {
    return this.http.json({ method: 'GET', path: generationPath(generationId), signal: options?.signal }, jobsGenerationSchema);
  }

  headContent(generationId: string, options?: SoraCallOptions & { quality?: JobsContentQuality }): Promise<SoraContentInfo> {
    return headContent(this.http, videoContentRequest(generationId, options));
  }

  openContent(generationId: string, options?: SoraCallOptions & { range?: ByteRange; quality?: JobsContentQuality }): Promise<SoraContent> {
    return openContent(this.http, videoContentRequest(generationId, options), options?.range);
  }

  readContentRange(generationId: string, range: ByteRange, options?: SoraCallOptions & { quality?: JobsContentQuality }): Promise<SoraContentRange> {
    return readContentRange(this.http, videoContentRequest(generationId, options), range);
  }

  readContentStart(generationId: string, options?: SoraCallOptions & { quality?: JobsContentQuality }): Promise<SoraContentStart> {
    return readContentStart(this.http, videoContentRequest(generationId, options));
  }

  openThumbnail(generationId: string, options?: SoraCallOptions): Promise<SoraContent> {
    return openContent(this.http, { path: `${generationPath(generationId)}/content/thumbnail`, signal: options?.signal });
  }

  /** The wire body with defaults applied, or a SoraError naming every broken rule. */
  private checked(request: SoraVideoRequest): { body: JobsCreateRequest; files: NonNullable<SoraVideoRequest['files']> } {
    const files = request.files ?? [];
    const items = request.inpaintItems;
    const result = checkRules(jobsCreateSchema, {
      model: this.deployment,
      prompt: request.prompt,
      width: request.width,
      height: request.height,
      n_seconds: request.nSeconds,
      n_variants: request.nVariants,
      inpaint_items: items?.map((item) => ({
        frame_index: item.frameIndex,
        type: item.type,
        file_name: item.fileName,
        crop_bounds: item.cropBounds,
      })),
    });
    const violations: RuleViolation[] = result.ok ? [] : [...result.violations];
    if (request.remixOf !== undefined) violations.push({ field: 'remix_of', message: 'remix is a videos API (Sora 2) feature; the jobs API cannot remix' });
    if (result.ok && (items !== undefined || files.length > 0)) {
      violations.push(...fileMatchViolations(result.value.inpaint_items ?? [], files.map((f) => f.fileName)));
    }
    if (!result.ok || violations.length > 0) throw SoraError.fromViolations(violations);
    return { body: result.value, files };
  }
}

/** Multipart carries numbers as strings and the inpaint items as one JSON string. */
function formParts(body: JobsCreateRequest, files: NonNullable<SoraVideoRequest['files']>): FormPart[] {
  return [
    { name: 'model', value: body.model },
    { name: 'prompt', value: body.prompt },
    { name: 'width', value: String(body.width) },
    { name: 'height', value: String(body.height) },
    { name: 'n_seconds', value: String(body.n_seconds) },
    { name: 'n_variants', value: String(body.n_variants) },
    { name: 'inpaint_items', value: JSON.stringify(body.inpaint_items ?? []) },
    ...files.map((file) => ({ name: 'files', file })),
  ];
}

function videoContentRequest(generationId: string, options?: SoraCallOptions & { quality?: JobsContentQuality }) {
  return {
    path: `${generationPath(generationId)}/content/video`,
    query: { quality: options?.quality },
    signal: options?.signal,
  };
}

function jobPath(jobId: string): string {
  return `/video/generations/jobs/${encodeURIComponent(jobId)}`;
}

function generationPath(generationId: string): string {
  return `/video/generations/${encodeURIComponent(generationId)}`;
}
