/**
 * Creating a job, the same for both APIs: the running-jobs limit, the
 * moderation check, the neverFinish fault, and starting the renders right
 * away so content is usually ready when the job reports success (content
 * requests wait for a render still in flight).
 */
import type { EmulatorContext } from './context';
import type { EmulatedGeneration, EmulatedJob } from './jobs';
import { checkRunningJobs } from './rate-limits';
import type { RenderInput } from './render-args';
import { jobDurationMs } from './timing';

/** What a create (or remix) request asks for; the rest of an EmulatedJob is decided here. */
export interface NewJob extends Pick<EmulatedJob, 'api' | 'surface' | 'id' | 'deployment' | 'prompt' | 'width' | 'height' | 'seconds' | 'variants' | 'inpaintItems'> {
  inputs: RenderInput[];
  /** One id per variant. */
  generationIds: string[];
  remixedFrom?: string;
}

export function isModerated(prompt: string, blockList: readonly string[]): boolean {
  const words = new Set(prompt.toLowerCase().split(/[^\p{L}\p{N}]+/u));
  return blockList.some((blocked) => words.has(blocked) || (blocked.includes(' ') && prompt.toLowerCase().includes(blocked)));
}

export function createJob(ctx: EmulatorContext, request: NewJob): EmulatedJob {
  const now = ctx.clock.now();
  const { options } = ctx;
  checkRunningJobs(ctx.store, request.deployment, options.maxRunningJobs, now, options.jobSeconds * 1000);
  const generations: EmulatedGeneration[] = request.generationIds.map((id, variant) => ({
    id,
    spec: { width: request.width, height: request.height, seconds: request.seconds, prompt: request.prompt, variant, inputs: request.inputs },
  }));
  const job: EmulatedJob = {
    api: request.api,
    surface: request.surface,
    id: request.id,
    deployment: request.deployment,
    prompt: request.prompt,
    width: request.width,
    height: request.height,
    seconds: request.seconds,
    variants: request.variants,
    remixedFrom: request.remixedFrom ?? null,
    createdAtMs: now,
    durationMs: jobDurationMs(options, request.width, request.height, request.seconds, request.variants),
    moderated: isModerated(request.prompt, options.blockList),
    neverFinish: false,
    cancelledAtMs: null,
    renderError: null,
    generations,
    ...(request.inpaintItems ? { inpaintItems: request.inpaintItems } : {}),
  };
  if (!job.moderated) job.neverFinish = ctx.faults.takeNeverFinish();
  ctx.store.add(job);
  if (!job.moderated && !job.neverFinish) startRenders(ctx, job);
  return job;
}

function startRenders(ctx: EmulatorContext, job: EmulatedJob): void {
  for (const generation of job.generations) {
    ctx.renderer.asset(generation.spec, 'video').catch((error: unknown) => {
      job.renderError = `Rendering failed: ${error instanceof Error ? error.message : String(error)}`;
      ctx.log(`sora-emulator: ${job.id}: ${job.renderError}`);
    });
  }
}
