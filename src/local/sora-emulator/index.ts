/**
 * A local stand-in for Azure OpenAI's two video APIs (jobs API = Sora,
 * videos API = Sora 2) on the service's own paths, and for an
 * OpenAI-compatible videos endpoint (`/v1`), rendering real MP4s.
 * See docs/sora-emulator.md.
 *
 *   const sora = await startSoraEmulator({ port: 0, clock });
 *   // sora.endpoint, sora.openAiBaseUrl, sora.apiKey, sora.deployments, sora.faults, sora.retired
 *   await sora.close();
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { EmulatorContext } from './context';
import { Ffmpeg } from './ffmpeg';
import { SoraFaults } from './faults';
import { findFont } from './font';
import { JobStore } from './jobs';
import { resolveOptions, type SoraEmulatorOptions } from './options';
import { Renderer } from './renderer';
import { RequestCounts, type RequestCount } from './request-counts';
import { RetiredDeployments } from './retired';
import { requestListener } from './server';

export type { SoraEmulatorOptions } from './options';
export { SoraFaults, type SoraFault, type SoraOperation } from './faults';
export { RetiredDeployments, type RetiredDeployment } from './retired';
export type { RequestCount } from './request-counts';

export interface CreatedJob {
  api: 'jobs' | 'videos';
  /** `openai` when made through the OpenAI-compatible front (`/v1`). */
  surface: 'azure' | 'openai';
  id: string;
  prompt: string;
}

export interface SoraEmulator {
  /** e.g. 'http://127.0.0.1:8090' — the Azure OpenAI endpoint (paths under /openai/…). */
  endpoint: string;
  /** e.g. 'http://127.0.0.1:8090/v1' — the OpenAI-compatible base URL (bearer key, model = the videos deployment). */
  openAiBaseUrl: string;
  apiKey: string;
  deployments: { jobs: string; videos: string };
  /** Fault injection from code (the same as the admin route). */
  faults: SoraFaults;
  /** Retired deployments from code (the same as the admin route). */
  retired: RetiredDeployments;
  /** Every job either API created, deleted ones included, oldest first (tests count them). */
  createdJobs(): CreatedJob[];
  /** When a job was created, on the emulator's clock (benches lay out job timelines with it); undefined for an unknown id. */
  createdAtMs(jobId: string): number | undefined;
  /** Requests answered on the service's routes so far, by kind, with the 429s among them (benches count a job's calls). */
  requestCounts(): RequestCount[];
  close(): Promise<void>;
}

export async function startSoraEmulator(options: SoraEmulatorOptions = {}): Promise<SoraEmulator> {
  const resolved = resolveOptions(options);
  const { log } = resolved;
  const ffmpeg = new Ffmpeg();
  const check = await ffmpeg.check();
  if (!check.ok) log(`sora-emulator: ffmpeg cannot run (${ffmpeg.path}): ${check.reason}. Jobs will fail with internal_error instead of rendering.`);
  const fontFile = findFont();
  if (fontFile === undefined) log('sora-emulator: no TrueType font found; videos are rendered without the prompt drawn on them.');
  const renderer = new Renderer(ffmpeg, join(resolved.cacheDir, 'renders'), fontFile);
  const retired = new RetiredDeployments([resolved.jobsDeployment, resolved.videosDeployment]);
  for (const deployment of resolved.retiredDeployments) retired.add(deployment);
  const ctx: EmulatorContext = {
    options: resolved,
    clock: resolved.clock,
    store: new JobStore(),
    faults: new SoraFaults(),
    retired,
    ffmpeg,
    renderer,
    inputsDir: join(resolved.cacheDir, 'inputs'),
    uploadsDir: join(resolved.cacheDir, 'uploads'),
    log,
  };
  const counts = new RequestCounts();
  const server = createServer(requestListener(ctx, counts));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  const endpoint = `http://${host}:${port}`;
  return {
    endpoint,
    openAiBaseUrl: `${endpoint}/v1`,
    apiKey: resolved.apiKey,
    deployments: { jobs: resolved.jobsDeployment, videos: resolved.videosDeployment },
    faults: ctx.faults,
    retired,
    createdJobs: () => ctx.store.created().map((job) => ({ api: job.api, surface: job.surface, id: job.id, prompt: job.prompt })),
    createdAtMs: (jobId) => ctx.store.created().find((job) => job.id === jobId)?.createdAtMs,
    requestCounts: () => counts.all(),
    close: async () => {
      await renderer.close();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
      });
    },
  };
}
