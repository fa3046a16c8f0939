/**
 * Activities that write to Blob Storage: one variant's video and thumbnail,
 * and the request's manifest. Both are idempotent — a retry writes the same
 * blob names again and replaces what an earlier attempt left.
 */
import type { InvocationContext } from '@azure/functions';
import type { StoreOutcome, StoreVideoInput } from '../contracts/activities';
import type { StoredVideo, VideoManifest } from '../contracts/orchestration';
import { copyToBlockBlob } from '../storage/copy-to-block-blob';
import { blobNames } from '../storage/blob-names';
import { ensureContainer } from '../storage/blob-service';
import type { Dependencies } from '../dependencies';
import { SoraError } from '../sora/errors';
import { callErrorInfo, isDeploymentFailure } from './service-error';
import { thumbnailSource, videoSource } from './sora-copy-sources';

export function createStoreActivities(deps: () => Dependencies) {
  return {
    storeVideo: refusedWhenDeploymentGone(deps, async (input: StoreVideoInput, context: InvocationContext): Promise<StoredVideo> => {
      const app = deps();
      const sora = app.soraFor(input.api);
      const names = blobNames(input.requestId);
      const container = app.blobService.getContainerClient(input.container);
      await ensureContainer(container);
      const metadata = { requestId: input.requestId, soraJobId: input.soraJobId, generationId: input.generationId, variant: String(input.variant) };

      const copy = { pool: app.blockPool, ranges: app.config.storage.concurrency, metadata };
      const video = await copyToBlockBlob(videoSource(sora, input.generationId), container.getBlockBlobClient(names.video(input.variant)), {
        ...copy,
        contentType: 'video/mp4',
      });
      await copyToBlockBlob(thumbnailSource(sora, input.generationId), container.getBlockBlobClient(names.thumbnail(input.variant)), {
        ...copy,
        contentType: 'image/jpeg',
      });

      context.log(`Request ${input.requestId}: stored variant ${input.variant} (${video.bytes} bytes)`);
      return {
        variant: input.variant,
        generationId: input.generationId,
        blobName: names.video(input.variant),
        thumbnailBlobName: names.thumbnail(input.variant),
        contentType: 'video/mp4',
        bytes: video.bytes,
        sha256: video.sha256,
      };
    }),

    writeManifest: async (manifest: VideoManifest): Promise<string> => {
      const name = blobNames(manifest.requestId).manifest;
      const body = JSON.stringify(manifest, null, 2);
      await deps()
        .blobService.getContainerClient(manifest.container)
        .getBlockBlobClient(name)
        .upload(body, Buffer.byteLength(body), { blobHTTPHeaders: { blobContentType: 'application/json' }, metadata: { requestId: manifest.requestId, soraJobId: manifest.soraJobId } });
      return name;
    },
  };
}

/**
 * A deployment that answers 410 (model retired) or 404 DeploymentNotFound
 * will answer so to every retry: the store says so as its result instead of
 * throwing, which would run the durable retries meant for brief failures.
 */
function refusedWhenDeploymentGone(
  deps: () => Dependencies,
  store: (input: StoreVideoInput, context: InvocationContext) => Promise<StoredVideo>,
): (input: StoreVideoInput, context: InvocationContext) => Promise<StoreOutcome> {
  return async (input, context) => {
    try {
      return await store(input, context);
    } catch (error) {
      if (!(error instanceof SoraError && isDeploymentFailure(error))) throw error;
      context.warn(`Request ${input.requestId}: variant ${input.variant} cannot be copied: ${error.message}`);
      return { kind: 'deployment_gone', error: callErrorInfo(error, deps().targetOf(input.api)) };
    }
  };
}
