/**
 * A generation's video and thumbnail as sources for the streamed copy, and
 * which of Sora's failures are worth another try, and when.
 */
import { SoraError } from '../sora/errors';
import type { VideoService } from '../sora/types';
import type { CopySource } from '../storage/copy-to-block-blob';
import type { SourceFailure } from '../storage/source-retry';

export function videoSource(sora: VideoService, generationId: string): CopySource {
  return {
    // Everything from byte 0 first: the answer's size lets the copy split the video into ranges and check it got
    // every byte, and its bytes are the first range — a HEAD would cost the service's request rate one more call.
    openStart: () => sora.readContentStart(generationId),
    // Ranges are read straight into the copy's blocks; the whole body only when ranges cannot be used.
    openRange: async (range) => (await sora.readContentRange(generationId, range)).reader,
    openWhole: async () => (await sora.openContent(generationId)).body,
    failure: soraFailure,
  };
}

/** A thumbnail is small: one GET, read start to end (a source that says nothing of itself is read so). */
export function thumbnailSource(sora: VideoService, generationId: string): CopySource {
  return {
    openWhole: async () => (await sora.openThumbnail(generationId)).body,
    failure: soraFailure,
  };
}

/** 429 and 503 say "later" (and often when); other retryable failures say "again"; the rest say "no". */
export function soraFailure(error: unknown): SourceFailure {
  if (!(error instanceof SoraError)) return { kind: 'fatal' };
  if (error.status === 429 || error.status === 503) return { kind: 'throttled', retryAfterMs: error.retryAfterMs };
  return error.retryable ? { kind: 'transient' } : { kind: 'fatal' };
}
