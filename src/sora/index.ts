/**
 * The Sora client: one VideoService over Azure OpenAI's video APIs, or over
 * any endpoint that speaks OpenAI's videos schema.
 *
 *   const sora = createVideoService({ api: 'videos', endpoint, deployment: 'my-sora-2', credential: new DefaultAzureCredential() });
 *   const job = await sora.submit({ prompt, width: 720, height: 1280, nSeconds: 4, nVariants: 1 });
 *
 *   const gateway = createVideoService({ api: 'openai', baseUrl: 'https://host/v1', model: 'sora-2', apiKey });
 */
import type { TokenCredential } from '@azure/identity';
import { createSoraAuth } from './auth';
import { SoraHttp } from './http';
import { JobsClient } from './jobs-client';
import type { AzureSoraApi } from './types';
import { VideosClient } from './videos-client';

export const DEFAULT_JOBS_API_VERSION = 'preview';
export const DEFAULT_SORA_TIMEOUT_MS = 60_000;

/** An Azure OpenAI resource and one of its video deployments. */
export interface VideoServiceOptions<A extends AzureSoraApi = AzureSoraApi> {
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

/** Any endpoint that speaks OpenAI's videos schema: OpenAI itself, or a gateway in front of other models. */
export interface OpenAiVideoServiceOptions {
  api: 'openai';
  /** The API root the videos routes hang under, e.g. `https://api.openai.com/v1` (used as given). */
  baseUrl: string;
  /** The model name sent as `model`, where Azure takes a deployment name. */
  model: string;
  /** Sent as `Authorization: Bearer`. */
  apiKey: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function createVideoService(options: VideoServiceOptions<'jobs'>): JobsClient;
export function createVideoService(options: VideoServiceOptions<'videos'> | OpenAiVideoServiceOptions): VideosClient;
export function createVideoService(options: VideoServiceOptions | OpenAiVideoServiceOptions): JobsClient | VideosClient;
export function createVideoService(options: VideoServiceOptions | OpenAiVideoServiceOptions): JobsClient | VideosClient {
  const common = { timeoutMs: options.timeoutMs ?? DEFAULT_SORA_TIMEOUT_MS, fetch: options.fetch ?? fetch };
  if (options.api === 'openai') {
    // The same videos client: only the root of the URL, the auth header and the name in `model` differ.
    const http = new SoraHttp({ ...common, endpoint: options.baseUrl, plainBaseUrl: true, auth: createSoraAuth({ apiKey: options.apiKey, keyAs: 'bearer' }) });
    return new VideosClient(http, options.model, 'openai');
  }
  const azure = { ...common, endpoint: options.endpoint, auth: createSoraAuth(options) };
  if (options.api === 'jobs') {
    return new JobsClient(new SoraHttp({ ...azure, query: { 'api-version': options.apiVersion ?? DEFAULT_JOBS_API_VERSION } }), options.deployment);
  }
  return new VideosClient(new SoraHttp(azure), options.deployment, 'videos');
}

export { createSoraAuth, DEFAULT_SORA_SCOPE, type SoraAuth, type SoraAuthOptions } from './auth';
export { isRetryableStatus, isSoraError, parseErrorBody, retryAfterMs, SoraError, type SoraErrorFields, type SoraErrorJson } from './errors';
export { collectCreatedSince, type DescribedRequest, type JobsCreatedSince, type ListedJob, type ListedJobsPage } from './listed-jobs';
export { JobsClient, type JobsContentQuality, type JobsListQuery, type SoraJobPage } from './jobs-client';
export type { JobsGeneration, JobsJob } from './jobs-wire';
export { VideosClient, type SoraVideoPage, type VideosContentVariant, type VideosListQuery } from './videos-client';
export type { VideosVideo } from './videos-wire';
export * from './types';
