/**
 * The Sora client: one VideoService over either Azure OpenAI video API.
 *
 *   const sora = createVideoService({ api: 'jobs', endpoint, deployment: 'sora', credential: new DefaultAzureCredential() });
 *   const job = await sora.submit({ prompt, width: 480, height: 480, nSeconds: 5, nVariants: 1 });
 */
import type { TokenCredential } from '@azure/identity';
import { createSoraAuth } from './auth';
import { SoraHttp } from './http';
import { JobsClient } from './jobs-client';
import type { SoraApi } from './types';
import { VideosClient } from './videos-client';

export const DEFAULT_JOBS_API_VERSION = 'preview';
export const DEFAULT_SORA_TIMEOUT_MS = 60_000;

export interface VideoServiceOptions<A extends SoraApi = SoraApi> {
  api: A;
  /** The Azure OpenAI resource endpoint, e.g. `https://my-aoai.openai.azure.com` (the `/openai/v1` root is added). */
  endpoint: string;
  deployment: string;
  /** Give either an API key or an Entra ID credential. */
  apiKey?: string;
  credential?: TokenCredential;
  /** Entra ID scope; defaults to `https://cognitiveservices.azure.com/.default`. */
  scope?: string;
  /** Jobs API only: the `api-version` query, default `preview`. */
  apiVersion?: string;
  /** The longest wait without progress in a call (for the answer, for each chunk sent or received). Default 60 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function createVideoService(options: VideoServiceOptions<'jobs'>): JobsClient;
export function createVideoService(options: VideoServiceOptions<'videos'>): VideosClient;
export function createVideoService(options: VideoServiceOptions): JobsClient | VideosClient;
export function createVideoService(options: VideoServiceOptions): JobsClient | VideosClient {
  const common = {
    endpoint: options.endpoint,
    auth: createSoraAuth(options),
    timeoutMs: options.timeoutMs ?? DEFAULT_SORA_TIMEOUT_MS,
    fetch: options.fetch ?? fetch,
  };
  if (options.api === 'jobs') {
    return new JobsClient(new SoraHttp({ ...common, query: { 'api-version': options.apiVersion ?? DEFAULT_JOBS_API_VERSION } }), options.deployment);
  }
  return new VideosClient(new SoraHttp(common), options.deployment);
}

export { createSoraAuth, DEFAULT_SORA_SCOPE, type SoraAuth, type SoraAuthOptions } from './auth';
export { isRetryableStatus, isSoraError, parseErrorBody, retryAfterMs, SoraError, type SoraErrorFields, type SoraErrorJson } from './errors';
export { collectCreatedSince, type DescribedRequest, type JobsCreatedSince, type ListedJob, type ListedJobsPage } from './listed-jobs';
export { JobsClient, type JobsContentQuality, type JobsListQuery, type SoraJobPage } from './jobs-client';
export type { JobsGeneration, JobsJob } from './jobs-wire';
export { VideosClient, type SoraVideoPage, type VideosContentVariant, type VideosListQuery } from './videos-client';
export type { VideosVideo } from './videos-wire';
export * from './types';
