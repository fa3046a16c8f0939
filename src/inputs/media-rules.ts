/**
 * What an input must be, judged by its bytes: a JPEG, PNG or WebP image or an
 * MP4 video as its inpaint item says, within the size limits, whole (not cut
 * short, nothing past its format's end, its structure intact), an image of a
 * readable size, a video at most 5 s long, and for Sora 2 an image of exactly
 * the requested size.
 */
import type { MediaFacts } from '../media';
import { MAX_VIDEO_INPUT_SECONDS } from '../sora/rules';
import { type RuleViolation } from '../contracts/validation';

export interface MediaLimits {
  maxImageBytes: number;
  maxVideoBytes: number;
}

const KINDS: Record<'image' | 'video', string> = { image: 'a JPEG, PNG or WebP image', video: 'an MP4 video' };

export function mediaViolations(
  field: string,
  expected: 'image' | 'video',
  facts: MediaFacts,
  limits: MediaLimits,
  exactSize?: { width: number; height: number },
): RuleViolation[] {
  const found = facts.signature;
  if (!found) return [{ field, message: `is not ${KINDS[expected]} (checked by its bytes, not its declared type)` }];
  if (found.type !== expected) return [{ field, message: `is ${KINDS[found.type]}, but ${KINDS[expected]} is expected here` }];

  const limit = expected === 'image' ? limits.maxImageBytes : limits.maxVideoBytes;
  if (facts.bytes > limit) return [{ field, message: `is ${mib(facts.bytes)} MiB; ${expected}s may be at most ${mib(limit)} MiB` }];

  // A file that is not whole would reach Sora damaged: refused before anything read from it counts.
  if (facts.flaw !== undefined) return [{ field, message: facts.flaw }];

  if (expected === 'image' && (facts.width === undefined || facts.height === undefined)) {
    return [{ field, message: facts.problem ?? 'is an image whose size could not be read' }];
  }
  if (expected === 'video') {
    if (facts.durationSeconds === undefined) return [{ field, message: facts.problem ?? 'is an MP4 whose length could not be read' }];
    if (facts.durationSeconds > MAX_VIDEO_INPUT_SECONDS + 0.05) {
      return [{ field, message: `is ${facts.durationSeconds.toFixed(1)} s long; video inputs may be at most ${MAX_VIDEO_INPUT_SECONDS} s` }];
    }
  }
  if (exactSize && (facts.width !== exactSize.width || facts.height !== exactSize.height)) {
    // Only images come with an exact size, and an image without a readable size was refused above.
    const actual = `${facts.width ?? '?'}x${facts.height ?? '?'}`;
    return [{ field, message: `is ${actual}, but Sora 2 needs a reference image of exactly the requested size ${exactSize.width}x${exactSize.height}` }];
  }
  return [];
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '');
}
