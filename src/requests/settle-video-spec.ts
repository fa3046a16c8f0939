/**
 * What a starter needs before it calls `startVideoRequest`: which Sora APIs a
 * request may choose, where inputs live and how big they may be — and the
 * spec itself, settled once every input a checked request names is found in
 * the inputs container and checked by its bytes.
 */
import type { ContainerClient } from '@azure/storage-blob';
import { configuredDeployments, type AppConfig } from '../config';
import type { VideoSpec } from '../contracts/orchestration';
import type { RuleResult } from '../contracts/validation';
import type { ApiChoice, CreateVideoRequest } from '../contracts/video-request';
import type { Dependencies } from '../dependencies';
import type { MediaLimits } from '../inputs/media-rules';
import type { ReceivedFile } from '../inputs/receive-multipart';
import { resolveMedia } from '../inputs/resolve-media';

/** The APIs with a deployment; a request gets the configured default unless it names another. */
export function apiChoiceOf(config: AppConfig): ApiChoice {
  return { default: config.sora.api, available: configuredDeployments(config).map(({ api }) => api) };
}

export function mediaLimitsOf(config: AppConfig): MediaLimits {
  return { maxImageBytes: config.storage.maxImageBytes, maxVideoBytes: config.storage.maxVideoBytes };
}

/** The container uploads are parked in and blob references name. */
export function inputsContainerOf({ config, blobService }: Pick<Dependencies, 'config' | 'blobService'>): ContainerClient {
  return blobService.getContainerClient(config.storage.inputsContainer);
}

/** The request's spec with its inputs; `files` are the parts a multipart body already stored. */
export async function settleVideoSpec(deps: Pick<Dependencies, 'config' | 'blobService'>, request: CreateVideoRequest, files?: ReceivedFile[]): Promise<RuleResult<VideoSpec>> {
  const media = await resolveMedia(request.spec, request.media, { container: inputsContainerOf(deps), files, limits: mediaLimitsOf(deps.config) });
  if (!media.ok) return media;
  return { ok: true, value: { ...request.spec, ...(media.value.length > 0 ? { inputs: media.value } : {}) } };
}
