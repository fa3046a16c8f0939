/**
 * The outside world the app talks to, built once from the settings on first
 * use — so a bad setting fails the first request with the setting's name
 * instead of keeping every function from loading.
 */
import type { TableClient } from '@azure/data-tables';
import type { BlobServiceClient } from '@azure/storage-blob';
import type { QueueServiceClient } from '@azure/storage-queue';
import { ConfigError, getConfig, SETTINGS, type AppConfig } from './config';
import { azureCredential } from './azure-credential';
import { createVideoService } from './sora';
import type { DeploymentTarget } from './sora/deployment-failure';
import type { SoraApi, VideoService } from './sora/types';
import { createBlobServiceClient } from './storage/blob-service';
import { BlockPool } from './storage/block-pool';
import { createQueueServiceClient } from './storage/queue-service';
import { createReadLinkSigner, type ReadLinkSigner } from './storage/read-links';
import { createTableClient } from './storage/table-client';

export interface Dependencies {
  config: AppConfig;
  soraFor(api: SoraApi): VideoService;
  /** What a call to `api` is meant for and the setting that chose it, for messages about a deployment that is gone. */
  targetOf(api: SoraApi): DeploymentTarget;
  blobService: BlobServiceClient;
  /** Result events (src/events/); built on first use, so an app that sends none needs no queue endpoint. */
  queueService(): QueueServiceClient;
  readLink: ReadLinkSigner;
  /** The memory every copy into Blob Storage on this worker shares. */
  blockPool: BlockPool;
  /** The table listing reads (storage/request-index.ts). */
  requestIndex: TableClient;
}

export function createDependencies(config: AppConfig): Dependencies {
  const services = new Map<SoraApi, VideoService>();
  const blobService = createBlobServiceClient(config.storage.connection);
  let queueService: QueueServiceClient | undefined;
  const targetOf = (api: SoraApi): DeploymentTarget => {
    const deployment = config.sora.deployments[api];
    const setting = config.sora.deploymentSettings[api];
    if (deployment === undefined || setting === undefined) throw new ConfigError(`The ${api} API is not configured: ${notConfiguredHint(api)}`);
    return { api, deployment, setting };
  };
  return {
    config,
    soraFor(api) {
      let service = services.get(api);
      if (!service) {
        service = createService(config.sora, targetOf(api));
        services.set(api, service);
      }
      return service;
    },
    targetOf,
    blobService,
    queueService: () => (queueService ??= createQueueServiceClient(config)),
    readLink: createReadLinkSigner(blobService, config.linkTtlMs),
    blockPool: new BlockPool(config.storage.memoryBudgetBytes, config.storage.blockSizeBytes),
    requestIndex: createTableClient(config.requestIndex.connection, config.requestIndex.table),
  };
}

function createService(sora: AppConfig['sora'], target: DeploymentTarget): VideoService {
  const timeoutMs = sora.requestTimeoutMs;
  if (target.api === 'openai') {
    if (sora.openAi === undefined) throw new ConfigError(`The openai API is not configured: ${notConfiguredHint('openai')}`);
    return createVideoService({ api: 'openai', baseUrl: sora.openAi.baseUrl, apiKey: sora.openAi.apiKey, model: target.deployment, timeoutMs });
  }
  if (sora.endpoint === undefined) throw new ConfigError(`The ${target.api} API needs ${SETTINGS.openAiEndpoint}`);
  return createVideoService({
    api: target.api,
    endpoint: sora.endpoint,
    deployment: target.deployment,
    apiVersion: sora.apiVersion,
    timeoutMs,
    ...(sora.auth.kind === 'apiKey' ? { apiKey: sora.auth.apiKey } : { credential: azureCredential(sora.auth.clientId), scope: sora.auth.scope }),
  });
}

function notConfiguredHint(api: SoraApi): string {
  if (api === 'openai') return `set ${SETTINGS.openAiCompatibleBaseUrl}, ${SETTINGS.openAiCompatibleApiKey} and ${SETTINGS.openAiCompatibleModel}`;
  return `set ${api === 'jobs' ? SETTINGS.openAiJobsDeployment : SETTINGS.openAiVideosDeployment}`;
}

let shared: Dependencies | undefined;

export function dependencies(): Dependencies {
  shared ??= createDependencies(getConfig());
  return shared;
}
