/**
 * The emulator's memory of jobs from both APIs. A job stores only facts fixed
 * at creation (and the moment of a cancel); its status is derived from the
 * clock in lifecycle.ts, so a test that moves the clock moves every job.
 */
import type { InpaintItem } from '../../sora/rules';
import type { RenderSpec } from './render-args';
import type { Surface } from './route';

export interface EmulatedGeneration {
  /** Jobs API: `gen_…`; videos API: the video id. */
  id: string;
  spec: RenderSpec;
}

export interface EmulatedJob {
  api: 'jobs' | 'videos';
  /** The front the create came through: Azure OpenAI's routes, or the OpenAI-compatible `/v1`. */
  surface: Surface;
  id: string;
  deployment: string;
  prompt: string;
  width: number;
  height: number;
  seconds: number;
  variants: number;
  /** Jobs API: echoed back as sent. */
  inpaintItems?: InpaintItem[];
  /** Videos API: the video this one remixes. */
  remixedFrom: string | null;
  createdAtMs: number;
  durationMs: number;
  /** The prompt hit the block list: the job fails at the end of its queued phase. */
  moderated: boolean;
  /** A `neverFinish` fault: the job stays running until cancelled. */
  neverFinish: boolean;
  cancelledAtMs: number | null;
  /** Why rendering failed, once it did; the job then fails instead of succeeding. */
  renderError: string | null;
  generations: EmulatedGeneration[];
}

export class JobStore {
  private readonly jobs = new Map<string, EmulatedJob>();
  private readonly generations = new Map<string, { job: EmulatedJob; generation: EmulatedGeneration }>();
  private readonly everCreated: EmulatedJob[] = [];

  add(job: EmulatedJob): void {
    this.jobs.set(job.id, job);
    this.everCreated.push(job);
    for (const generation of job.generations) this.generations.set(generation.id, { job, generation });
  }

  get(api: EmulatedJob['api'], id: string): EmulatedJob | undefined {
    const job = this.jobs.get(id);
    return job?.api === api ? job : undefined;
  }

  generation(id: string): { job: EmulatedJob; generation: EmulatedGeneration } | undefined {
    const found = this.generations.get(id);
    return found?.job.api === 'jobs' ? found : undefined;
  }

  remove(job: EmulatedJob): void {
    this.jobs.delete(job.id);
    for (const generation of job.generations) this.generations.delete(generation.id);
  }

  /** Oldest first. */
  all(api: EmulatedJob['api']): EmulatedJob[] {
    return [...this.jobs.values()].filter((j) => j.api === api);
  }

  /** Every job ever created, deleted ones included, oldest first: what tests count to prove nothing ran twice. */
  created(): readonly EmulatedJob[] {
    return this.everCreated;
  }

  ofDeployment(deployment: string): EmulatedJob[] {
    return [...this.jobs.values()].filter((j) => j.deployment === deployment);
  }
}
