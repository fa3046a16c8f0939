/**
 * The outside world the app talks to, built once from the settings on first
 * use — so a bad setting fails the first request with the setting's name
 * instead of keeping every function from loading.
 */
import type { BlobServiceClient } from '@azure/storage-blob';
import { ConfigError, getConfig, SETTINGS, type AppConfig } from './config';
import { azureCredential } from './azure-credential';
import { createVideoService } from './sora';
import type { SoraApi, VideoService } from './sora/types';
import { createBlobServiceClient } from './storage/blob-service';
import { createReadLinkSigner, type ReadLinkSigner } from './storage/read-links';

export interface Dependencies {
  config: AppConfig;
  soraFor(api: SoraApi): VideoService;
  blobService: BlobServiceClient;
  readLink: ReadLinkSigner;
}

export function createDependencies(config: AppConfig): Dependencies {
  const { sora } = config;
  const services = new Map<SoraApi, VideoService>();
  const blobService = createBlobServiceClient(config.storage.connection);
  return {
    config,
    soraFor(api) {
      let service = services.get(api);
      if (!service) {
        const deployment = sora.deployments[api];
        if (deployment === undefined) throw new ConfigError(`The ${api} API has no deployment: set ${api === 'jobs' ? SETTINGS.openAiJobsDeployment : SETTINGS.openAiVideosDeployment}`);
        service = createVideoService({
          api,
          endpoint: sora.endpoint,
          deployment,
          apiVersion: sora.apiVersion,
          timeoutMs: sora.requestTimeoutMs,
          ...(sora.auth.kind === 'apiKey' ? { apiKey: sora.auth.apiKey } : { credential: azureCredential(sora.auth.clientId), scope: sora.auth.scope }),
        });
        services.set(api, service);
      }
      return service;
    },
    blobService,
    readLink: createReadLinkSigner(blobService, config.linkTtlMs),
  };
}

let shared: Dependencies | undefined;

export function dependencies(): Dependencies {
  shared ??= createDependencies(getConfig());
  return shared;
}
