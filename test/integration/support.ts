/**
 * The whole pipeline for a test file: Azurite + Sora emulator + local host
 * with time skipping, reached through the public HTTP API like a client.
 */
import { createHash } from 'node:crypto';
import { createApiClient } from '../../src/cli/api-client';
import type { VideoView } from '../../src/requests/video-view';
import { FINISHED_STATUSES } from '../../src/contracts/public-status';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../src/local/stack';
import { createVideoService } from '../../src/sora';
import type { VideoService } from '../../src/sora/types';

export interface Pipeline {
  stack: LocalStack;
  api: ReturnType<typeof createApiClient>;
  /** A Sora client straight to the emulator, to compare with what the pipeline stored. */
  sora: VideoService;
  baseUrl: string;
  waitUntilFinished(id: string): Promise<VideoView>;
  post(body: unknown, contentType?: string): Promise<Response>;
  close(): Promise<void>;
}

export async function startPipeline(options: Pick<LocalStackOptions, 'appDir' | 'emulator' | 'settings' | 'chaos' | 'queues'> = {}): Promise<Pipeline> {
  const stack = await startLocalStack({
    appDir: options.appDir,
    port: 0,
    timeSkipping: true,
    standalone: true,
    emulator: { log: () => undefined, ...options.emulator },
    settings: options.settings,
    chaos: options.chaos,
    queues: options.queues,
  });
  const emulator = stack.emulator;
  if (!emulator) throw new Error('standalone stack has no emulator');
  const api = createApiClient(stack.baseUrl);
  return {
    stack,
    api,
    baseUrl: stack.baseUrl,
    sora: createVideoService({ api: 'jobs', endpoint: emulator.endpoint, deployment: emulator.deployments.jobs, apiKey: emulator.apiKey }),
    async waitUntilFinished(id) {
      // Durable timers are skipped by the host; this only waits for real work (renders, copies).
      const deadline = Date.now() + 120_000;
      for (;;) {
        const view = await api.get(id);
        if (FINISHED_STATUSES.includes(view.status)) return consistent(view);
        if (Date.now() > deadline) throw new Error(`request ${id} still ${view.status}: ${JSON.stringify(view)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    post: (body, contentType = 'application/json') =>
      fetch(`${stack.baseUrl}/api/videos`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) }),
    close: () => stack.close(),
  };
}

export async function sha256OfUrl(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`GET ${url}: HTTP ${response.status}`);
  const hash = createHash('sha256');
  for await (const chunk of response.body) hash.update(chunk as Uint8Array);
  return hash.digest('hex');
}

export async function sha256OfSoraContent(sora: VideoService, generationId: string): Promise<string> {
  const content = await sora.openContent(generationId);
  const hash = createHash('sha256');
  for await (const chunk of content.body) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** What a client may rely on once a request is finished: the videos, or the reason. */
function consistent(view: VideoView): VideoView {
  const problem =
    view.status === 'succeeded' && view.videos.length !== view.n_variants
      ? `succeeded with ${view.videos.length} of ${view.n_variants} videos`
      : (view.status === 'failed' || view.status === 'timed_out') && !view.error
        ? `${view.status} without an error`
        : undefined;
  if (problem) throw new Error(`request ${view.id} reads as ${problem}: ${JSON.stringify(view)}`);
  return view;
}
