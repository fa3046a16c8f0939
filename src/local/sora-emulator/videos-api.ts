/**
 * The videos API (Sora 2, OpenAI-style) under /openai/v1/videos, and the same
 * routes under /v1/videos for the OpenAI-compatible front: create (JSON
 * or multipart with `input_reference`), retrieve, list, delete, content
 * (`variant=video|thumbnail|spritesheet`) and remix.
 */
import { videosCreateSchema, videosRemixSchema } from '../../sora/rules';
import { checkRules } from '../../contracts/validation';
import { serveContent } from './content';
import { createJob } from './create-job';
import { badRequest, invalidRequest, notFound } from './errors';
import { newVideoId } from './ids';
import type { EmulatedJob } from './jobs';
import { jobState } from './lifecycle';
import { acceptInputReference } from './media-inputs';
import { FULL_CROP, type RenderInput } from './render-args';
import { renderKey } from './renderer';
import { readBody } from './request-body';
import { answerCreated, checkDeployment, limitParam, page, param, type Route, type RouteRequest, sendJson } from './route';
import { videoView } from './videos-view';

const CONTENT_TYPES = { video: 'video/mp4', thumbnail: 'image/jpeg', spritesheet: 'image/jpeg' } as const;
type ContentVariant = keyof typeof CONTENT_TYPES;

function parseSize(size: string): { width: number; height: number } {
  const [width, height] = size.split('x').map(Number);
  return { width: width ?? 0, height: height ?? 0 };
}

async function create(route: RouteRequest): Promise<void> {
  const { req, ctx } = route;
  const body = await readBody(req, ctx.uploadsDir);
  try {
    const stray = body.files.find((f) => f.field !== 'input_reference');
    if (stray) throw badRequest(`Unexpected file part '${stray.field}'; the only file is 'input_reference'.`, stray.field);
    if (body.files.length > 1) throw badRequest('Send at most one input_reference.', 'input_reference');
    if (body.fields.input_reference !== undefined) throw badRequest('input_reference must be sent as a file part (multipart/form-data).', 'input_reference');
    checkDeployment(body.fields.model, ctx.options.videosDeployment, route.surface);
    const checked = checkRules(videosCreateSchema, body.fields);
    if (!checked.ok) throw invalidRequest(checked.violations);
    const request = checked.value;
    const inputs: RenderInput[] = [];
    const reference = body.files[0];
    if (reference) {
      const kept = await acceptInputReference(ctx, reference, request.size);
      inputs.push({ kind: 'image', path: kept.path, sha256: kept.sha256, startFrame: 0, crop: FULL_CROP, placement: 'opening' });
    }
    const id = newVideoId();
    const job = createJob(ctx, {
      api: 'videos',
      surface: route.surface,
      id,
      deployment: request.model,
      prompt: request.prompt,
      ...parseSize(request.size),
      seconds: Number(request.seconds),
      variants: 1,
      inputs,
      generationIds: [id],
    });
    answerCreated(route, 'createVideo', videoView(job, ctx.clock.now()));
  } finally {
    await body.discard();
  }
}

function findVideo(request: RouteRequest): EmulatedJob {
  const id = param(request, 0);
  const job = request.ctx.store.get('videos', id);
  if (!job) throw notFound(`Video '${id}' was not found.`, 'video_not_found');
  return job;
}

function retrieve(request: RouteRequest): void {
  sendJson(request.res, 200, videoView(findVideo(request), request.ctx.clock.now()));
}

function list({ url, res, ctx }: RouteRequest): void {
  const order = url.searchParams.get('order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw badRequest("Invalid value for 'order': must be 'asc' or 'desc'.", 'order', 'invalid_value');
  const limit = limitParam(url, 20, 100);
  const videos = ctx.store.all('videos');
  if (order === 'desc') videos.reverse();
  const now = ctx.clock.now();
  const { data, hasMore } = page(videos, limit, url.searchParams.get('after'), null);
  sendJson(res, 200, { object: 'list', data: data.map((v) => videoView(v, now)), has_more: hasMore, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
}

/** Deleting forgets the video whatever its state; one still rendering is cancelled with it. */
function remove(request: RouteRequest): void {
  const video = findVideo(request);
  request.ctx.store.remove(video);
  sendJson(request.res, 200, { id: video.id, object: 'video.deleted', deleted: true });
}

/** The video's only generation, once completed (and past the contentNotFound fault's window). */
function completedSpec(request: RouteRequest, video: EmulatedJob, forContent: boolean): { spec: EmulatedJob['generations'][number]['spec']; finishedAtMs: number } {
  const now = request.ctx.clock.now();
  const state = jobState(video, now);
  const generation = video.generations[0];
  if (state.phase !== 'succeeded' || !generation) throw notFound(`Video '${video.id}' is not completed; its status is ${String(videoView(video, now).status)}.`, 'video_not_ready');
  const hiddenFor = forContent ? request.ctx.faults.contentNotFoundSeconds() : undefined;
  if (hiddenFor !== undefined && now < state.finishedAtMs + hiddenFor * 1000) throw notFound(`Content for video '${video.id}' is not available yet.`, 'video_not_ready');
  return { spec: generation.spec, finishedAtMs: state.finishedAtMs };
}

async function content(request: RouteRequest): Promise<void> {
  const raw = request.url.searchParams.get('variant') ?? 'video';
  if (!(raw in CONTENT_TYPES)) throw badRequest("Invalid value for 'variant': must be 'video', 'thumbnail' or 'spritesheet'.", 'variant', 'invalid_value');
  const variant = raw as ContentVariant;
  const { spec, finishedAtMs } = completedSpec(request, findVideo(request), true);
  const { ctx } = request;
  const common = { contentType: CONTENT_TYPES[variant], lastModifiedMs: finishedAtMs };
  const syntheticBytes = variant === 'video' ? ctx.faults.contentSize() : undefined;
  const faulted = { ...common, takeResetAfterBytes: () => (variant === 'video' ? ctx.faults.takeReset('videoContent')?.afterBytes : undefined) };
  if (syntheticBytes !== undefined) await serveContent(request.req, request.res, { ...faulted, syntheticBytes });
  else await serveContent(request.req, request.res, { ...faulted, file: await ctx.renderer.asset(spec, variant) });
}

/** A new video with the same size and length, the source's frames composited into the new render. */
async function remix(request: RouteRequest): Promise<void> {
  const { req, ctx } = request;
  const source = findVideo(request);
  const body = await readBody(req, ctx.uploadsDir);
  try {
    const checked = checkRules(videosRemixSchema, body.fields);
    if (!checked.ok) throw invalidRequest(checked.violations);
    if (jobState(source, ctx.clock.now()).phase !== 'succeeded') throw badRequest(`Video '${source.id}' is not completed; only completed videos can be remixed.`, 'video_id');
    const { spec } = completedSpec(request, source, false);
    const sourceFile = await ctx.renderer.asset(spec, 'video');
    const id = newVideoId();
    const job = createJob(ctx, {
      api: 'videos',
      surface: request.surface,
      id,
      deployment: source.deployment,
      prompt: checked.value.prompt,
      width: source.width,
      height: source.height,
      seconds: source.seconds,
      variants: 1,
      inputs: [{ kind: 'video', path: sourceFile, sha256: renderKey(spec), startFrame: 0, crop: FULL_CROP, placement: 'inset' }],
      generationIds: [id],
      remixedFrom: source.id,
    });
    answerCreated(request, 'remix', videoView(job, ctx.clock.now()));
  } finally {
    await body.discard();
  }
}

export const videosRoutes: Route[] = [
  { method: 'POST', path: /^\/videos$/, operation: 'createVideo', handle: create },
  { method: 'GET', path: /^\/videos$/, operation: 'listVideos', handle: list },
  { method: 'GET', path: /^\/videos\/([^/]+)$/, operation: 'getVideo', handle: retrieve },
  { method: 'DELETE', path: /^\/videos\/([^/]+)$/, operation: 'deleteVideo', handle: remove },
  { method: 'GET', head: true, path: /^\/videos\/([^/]+)\/content$/, operation: 'videoContent', handle: content },
  { method: 'POST', path: /^\/videos\/([^/]+)\/remix$/, operation: 'remix', handle: remix },
];
