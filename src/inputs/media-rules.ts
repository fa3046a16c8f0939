/**
 * What an input must be, judged by its bytes: a JPEG, PNG or WebP image or an
 * MP4 video as its inpaint item says, within the size limits, a video at most
 * 5 s long, and for Sora 2 an image of exactly the requested size.
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

  if (expected === 'video') {
    if (facts.durationSeconds === undefined) return [{ field, message: "is an MP4 whose length could not be read (is the file complete?)" }];
    if (facts.durationSeconds > MAX_VIDEO_INPUT_SECONDS + 0.05) {
      return [{ field, message: `is ${facts.durationSeconds.toFixed(1)} s long; video inputs may be at most ${MAX_VIDEO_INPUT_SECONDS} s` }];
    }
  }
  if (exactSize && (facts.width !== exactSize.width || facts.height !== exactSize.height)) {
    const actual = facts.width === undefined ? 'of a size that could not be read' : `${facts.width}x${facts.height ?? '?'}`;
    return [{ field, message: `is ${actual}, but Sora 2 needs a reference image of exactly the requested size ${exactSize.width}x${exactSize.height}` }];
  }
  return [];
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '');
}
