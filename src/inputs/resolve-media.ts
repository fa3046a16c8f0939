/**
 * Finds each input a request names — a file part it uploaded, or a blob it
 * referenced in the inputs container — and checks it by its bytes. Only then
 * does the request carry them, as blob names, into the orchestration.
 */
import type { ContainerClient } from '@azure/storage-blob';
import type { InputMedia, VideoSpec } from '../contracts/orchestration';
import type { MediaRequest } from '../contracts/video-request';
import type { MediaFacts } from '../media';
import type { RuleResult, RuleViolation } from '../contracts/validation';
import { usesVideosSchema } from '../sora/types';
import { inspectBlob } from './inspect-blob';
import { mediaViolations, type MediaLimits } from './media-rules';
import type { ReceivedFile } from './receive-multipart';

export interface MediaSources {
  container: ContainerClient;
  /** The parts of a multipart request (already stored and inspected). */
  files?: ReceivedFile[];
  limits: MediaLimits;
}

export async function resolveMedia(spec: VideoSpec, media: MediaRequest[], sources: MediaSources): Promise<RuleResult<InputMedia[]>> {
  const violations: RuleViolation[] = [];
  const inputs: InputMedia[] = [];
  // Sora 2 (the videos schema) wants the reference image at exactly the requested size.
  const exactSize = usesVideosSchema(spec.api) ? { width: spec.width, height: spec.height } : undefined;

  for (const m of media) {
    const found = await find(m, sources);
    if ('violation' in found) {
      violations.push(found.violation);
      continue;
    }
    const problems = mediaViolations(found.field, m.type, found.facts, sources.limits, exactSize);
    violations.push(...problems);
    if (problems.length > 0 || !found.facts.signature) continue;
    inputs.push({
      type: m.type,
      fileName: m.fileName,
      container: sources.container.containerName,
      blobName: found.blobName,
      contentType: found.facts.signature.contentType,
      bytes: found.facts.bytes,
      frameIndex: m.frameIndex,
      ...(m.cropBounds ? { cropBounds: m.cropBounds } : {}),
      origin: m.blob === undefined ? 'upload' : 'reference',
    });
  }
  return violations.length > 0 ? { ok: false, violations } : { ok: true, value: inputs };
}

type Found = { field: string; blobName: string; facts: MediaFacts } | { violation: RuleViolation };

async function find(m: MediaRequest, sources: MediaSources): Promise<Found> {
  if (m.blob !== undefined) {
    const field = `${m.field}.blob`;
    const limit = m.type === 'image' ? sources.limits.maxImageBytes : sources.limits.maxVideoBytes;
    const facts = await inspectBlob(sources.container, m.blob, limit);
    if (!facts) return { violation: { field, message: `names '${m.blob}', which is not in the '${sources.container.containerName}' container` } };
    return { field, blobName: m.blob, facts };
  }
  const file = sources.files?.find((f) => f.fileName === m.fileName);
  if (!file) return { violation: { field: m.field, message: `names '${m.fileName}', but no file part has that name` } };
  return { field: `${file.field}[${file.fileName}]`, blobName: file.blobName, facts: file.facts };
}
