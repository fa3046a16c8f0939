/**
 * The jobs API (Sora, preview) under /openai/v1/video/generations: create
 * (JSON or multipart with media), list, get, delete jobs; get a generation;
 * its video (GET/HEAD, ranges, quality) and thumbnail.
 */
import { fileMatchViolations, formFieldsToJobsInput, type InpaintItem, jobsCreateSchema, type JobsCreateRequest } from '../../sora/rules';
import { checkRules } from '../../contracts/validation';
import { serveContent } from './content';
import type { EmulatorContext } from './context';
import { createJob } from './create-job';
import { badRequest, invalidRequest, notFound } from './errors';
import { newGenerationId, newJobId } from './ids';
import type { EmulatedJob } from './jobs';
import { generationView, jobView } from './jobs-view';
import { isTerminal, jobState } from './lifecycle';
import { acceptImage, acceptVideo } from './media-inputs';
import { type ParsedBody, readBody } from './request-body';
import { FULL_CROP, type RenderInput } from './render-args';
import { answerCreated, checkDeployment, limitParam, page, param, type Route, type RouteRequest, sendJson } from './route';

const JOB_STATUSES = ['queued', 'preprocessing', 'running', 'processing', 'succeeded', 'failed', 'cancelled'];

function jobsInput(body: ParsedBody): Record<string, unknown> {
  const stray = body.files.find((f) => f.field !== 'files');
  if (stray) throw badRequest(`Unexpected file part '${stray.field}'; media goes in repeated 'files' parts.`, stray.field);
  // Multipart fields are all strings; JSON bodies already have their types.
  return body.kind === 'multipart' ? formFieldsToJobsInput(body.fields as Record<string, string>) : body.fields;
}

async function mediaInputs(ctx: EmulatorContext, items: readonly InpaintItem[], body: ParsedBody): Promise<RenderInput[]> {
  const inputs: RenderInput[] = [];
  for (const [i, item] of items.entries()) {
    const file = body.files.find((f) => f.fileName === item.file_name);
    if (!file) throw new Error(`inpaint item ${i} has no file; the file-match rules should have said so`);
    const param = `inpaint_items[${i}]`;
    const kept = item.type === 'image' ? await acceptImage(ctx, file, param) : await acceptVideo(ctx, file, param);
    inputs.push({ kind: item.type, path: kept.path, sha256: kept.sha256, startFrame: item.frame_index, crop: item.crop_bounds ?? FULL_CROP, placement: 'inset' });
  }
  return inputs;
}

async function create(route: RouteRequest): Promise<void> {
  const { req, ctx } = route;
  const body = await readBody(req, ctx.uploadsDir);
  try {
    const input = jobsInput(body);
    checkDeployment(input.model, ctx.options.jobsDeployment);
    const checked = checkRules(jobsCreateSchema, input);
    if (!checked.ok) throw invalidRequest(checked.violations);
    const request: JobsCreateRequest = checked.value;
    const items = request.inpaint_items ?? [];
    const mismatches = fileMatchViolations(items, body.files.map((f) => f.fileName));
    if (mismatches.length > 0) throw invalidRequest(mismatches);
    const inputs = await mediaInputs(ctx, items, body);
    const now = ctx.clock.now();
    const job = createJob(ctx, {
      api: 'jobs',
      surface: 'azure',
      id: newJobId(now),
      deployment: request.model,
      prompt: request.prompt,
      width: request.width,
      height: request.height,
      seconds: request.n_seconds,
      variants: request.n_variants,
      inputs,
      generationIds: Array.from({ length: request.n_variants }, () => newGenerationId(now)),
      ...(request.inpaint_items ? { inpaintItems: request.inpaint_items } : {}),
    });
    answerCreated(route, 'createJob', jobView(job, now));
  } finally {
    await body.discard();
  }
}

function statusesParam(url: URL): string[] | undefined {
  const raw = url.searchParams.get('statuses');
  if (raw === null || raw.trim() === '') return undefined;
  const statuses = raw.split(',').map((s) => s.trim());
  const unknown = statuses.find((s) => !JOB_STATUSES.includes(s));
  if (unknown !== undefined) throw badRequest(`Invalid value for 'statuses': '${unknown}' is not one of ${JOB_STATUSES.join(', ')}.`, 'statuses', 'invalid_value');
  return statuses;
}

function list({ url, res, ctx }: RouteRequest): void {
  const now = ctx.clock.now();
  const limit = limitParam(url, 10, 100);
  const statuses = statusesParam(url);
  const views = ctx.store
    .all('jobs')
    .reverse()
    .map((job) => jobView(job, now) as { id: string; status: string })
    .filter((view) => statuses === undefined || statuses.includes(view.status));
  const { data, hasMore } = page(views, limit, url.searchParams.get('after'), url.searchParams.get('before'));
  sendJson(res, 200, { object: 'list', data, has_more: hasMore, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
}

function findJob(request: RouteRequest): EmulatedJob {
  const id = param(request, 0);
  const job = request.ctx.store.get('jobs', id);
  if (!job) throw notFound(`Job '${id}' was not found.`);
  return job;
}

function get(request: RouteRequest): void {
  sendJson(request.res, 200, jobView(findJob(request), request.ctx.clock.now()));
}

/** Cancels a job still in flight (it then reports `cancelled`); deletes a finished one. */
function remove(request: RouteRequest): void {
  const job = findJob(request);
  const now = request.ctx.clock.now();
  if (isTerminal(jobState(job, now))) request.ctx.store.remove(job);
  else job.cancelledAtMs = now;
  request.res.writeHead(204);
  request.res.end();
}

/** A generation exists for clients once its job succeeded (and, with the contentNotFound fault, a while later for content). */
function findGeneration(request: RouteRequest, forContent: boolean): NonNullable<ReturnType<EmulatorContext['store']['generation']>> & { finishedAtMs: number } {
  const id = param(request, 0);
  const found = request.ctx.store.generation(id);
  const now = request.ctx.clock.now();
  const state = found ? jobState(found.job, now) : undefined;
  if (!found || state?.phase !== 'succeeded') throw notFound(`Generation '${id}' was not found.`);
  const hiddenFor = forContent ? request.ctx.faults.contentNotFoundSeconds() : undefined;
  if (hiddenFor !== undefined && now < state.finishedAtMs + hiddenFor * 1000) throw notFound(`Content for generation '${id}' is not available yet.`);
  return { ...found, finishedAtMs: state.finishedAtMs };
}

function getGeneration(request: RouteRequest): void {
  const { job, generation } = findGeneration(request, false);
  sendJson(request.res, 200, generationView(job, generation));
}

async function video(request: RouteRequest): Promise<void> {
  const quality = request.url.searchParams.get('quality');
  if (quality !== null && quality !== 'high' && quality !== 'low') throw badRequest("Invalid value for 'quality': must be 'high' or 'low'.", 'quality', 'invalid_value');
  const { generation, finishedAtMs } = findGeneration(request, true);
  const { ctx } = request;
  const syntheticBytes = ctx.faults.contentSize();
  const common = { contentType: 'video/mp4', lastModifiedMs: finishedAtMs, takeResetAfterBytes: () => ctx.faults.takeReset('content')?.afterBytes };
  // Both qualities serve the one render: the emulator has no second encoding to offer.
  if (syntheticBytes !== undefined) await serveContent(request.req, request.res, { ...common, syntheticBytes });
  else await serveContent(request.req, request.res, { ...common, file: await ctx.renderer.asset(generation.spec, 'video') });
}

async function thumbnail(request: RouteRequest): Promise<void> {
  const { generation, finishedAtMs } = findGeneration(request, true);
  const file = await request.ctx.renderer.asset(generation.spec, 'thumbnail');
  await serveContent(request.req, request.res, { contentType: 'image/jpg', lastModifiedMs: finishedAtMs, file });
}

export const jobsRoutes: Route[] = [
  { method: 'POST', path: /^\/video\/generations\/jobs$/, operation: 'createJob', handle: create },
  { method: 'GET', path: /^\/video\/generations\/jobs$/, operation: 'listJobs', handle: list },
  { method: 'GET', path: /^\/video\/generations\/jobs\/([^/]+)$/, operation: 'getJob', handle: get },
  { method: 'DELETE', path: /^\/video\/generations\/jobs\/([^/]+)$/, operation: 'deleteJob', handle: remove },
  { method: 'GET', path: /^\/video\/generations\/([^/]+)$/, handle: getGeneration },
  { method: 'GET', head: true, path: /^\/video\/generations\/([^/]+)\/content\/video$/, operation: 'content', handle: video },
  { method: 'GET', head: true, path: /^\/video\/generations\/([^/]+)\/content\/thumbnail$/, operation: 'thumbnail', handle: thumbnail },
];
