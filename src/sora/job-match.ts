/**
 * Which listed jobs a create may have made, when its answer was lost. Neither
 * API takes an idempotency key, so a job is recognised by what it reports of
 * its request: the prompt and every parameter the service echoes back.
 * Pure, so the rules are tested on their own.
 */
import type { DescribedRequest, ListedJob } from './listed-jobs';
import type { SoraInpaintItem, SoraJob, SoraVideoRequest } from './types';

/** The parts of a request a listed job can be compared with (media bytes are never echoed). */
export type RequestedVideo = Pick<SoraVideoRequest, 'prompt' | 'width' | 'height' | 'nSeconds' | 'nVariants' | 'inpaintItems' | 'remixOf'>;

/**
 * Whether a listed job may be the one this request created: the prompt must
 * be reported and equal (the client sends it trimmed); every other field
 * must be equal when reported. A field the service leaves out cannot tell
 * two jobs apart, so it cannot rule one out either.
 */
export function describesRequest(described: DescribedRequest, requested: RequestedVideo): boolean {
  if (described.prompt === null || described.prompt.trim() !== requested.prompt.trim()) return false;
  const reportedEqual = <T>(reported: T | null, wanted: T): boolean => reported === null || reported === wanted;
  return (
    reportedEqual(described.width, requested.width) &&
    reportedEqual(described.height, requested.height) &&
    reportedEqual(described.nSeconds, requested.nSeconds) &&
    reportedEqual(described.nVariants, requested.nVariants) &&
    (described.inpaintItems === null || sameItems(described.inpaintItems, requested.inpaintItems ?? [])) &&
    described.remixOf === (requested.remixOf ?? null)
  );
}

/**
 * The listed jobs this request may have created at or after `sinceSeconds`
 * (unix seconds), oldest first — the one made closest after the intent comes
 * first. A cancelled job is never adopted: something deliberately stopped it.
 */
export function adoptionCandidates(listed: readonly ListedJob[], requested: RequestedVideo, sinceSeconds: number): SoraJob[] {
  return listed
    .filter(({ job, request }) => job.createdAt >= sinceSeconds && job.status !== 'cancelled' && describesRequest(request, requested))
    .map(({ job }) => job)
    .sort((a, b) => a.createdAt - b.createdAt);
}

function sameItems(reported: readonly SoraInpaintItem[], sent: readonly SoraInpaintItem[]): boolean {
  return reported.length === sent.length && reported.every((item, i) => sent[i] !== undefined && itemKey(item) === itemKey(sent[i]));
}

/** Crop bounds left out mean the whole frame, as the service defaults them. */
function itemKey(item: SoraInpaintItem): string {
  const crop = item.cropBounds ?? { left_fraction: 0, top_fraction: 0, right_fraction: 1, bottom_fraction: 1 };
  return JSON.stringify([item.type, item.fileName, item.frameIndex, crop.left_fraction, crop.top_fraction, crop.right_fraction, crop.bottom_fraction]);
}
