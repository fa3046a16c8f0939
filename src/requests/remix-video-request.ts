/**
 * Sora 2 (and OpenAI-compatible endpoints) only: starts a new request that remixes the finished video of an
 * earlier one with a new prompt, keeping its size and length. The two are
 * linked both ways in the views (`remixOf`, `remixes`).
 */
import type { DurableClient } from 'durable-functions';
import type { VideoGenerationInput, VideoResult } from '../contracts/orchestration';
import type { PublicStatus } from '../contracts/public-status';
import type { RequestId } from '../contracts/video-request';
import type { Dependencies } from '../dependencies';
import { usesVideosSchema } from '../sora/types';
import { startVideoRequest, type RequestLog, type StartOutcome } from './start-video-request';
import { findVideoRequest } from './video-instances';
import { publicStatusOf } from './video-view';

export interface RemixVideoRequest extends RequestId {
  /** The request whose video is remixed. */
  sourceId: string;
  prompt: string;
}

export type RemixOutcome =
  | StartOutcome
  | { kind: 'not_found' }
  // The source used the jobs API (Sora), which has no remix.
  | { kind: 'not_remixable'; reason: 'jobs_api' }
  // The source has no finished video (yet, or ever).
  | { kind: 'not_remixable'; reason: 'not_succeeded'; status: PublicStatus };

export async function remixVideoRequest(deps: Pick<Dependencies, 'config'>, client: DurableClient, request: RemixVideoRequest, log: RequestLog): Promise<RemixOutcome> {
  const source = await findVideoRequest(client, request.sourceId);
  if (!source) return { kind: 'not_found' };
  const { spec } = source.input as VideoGenerationInput;
  if (!usesVideosSchema(spec.api)) return { kind: 'not_remixable', reason: 'jobs_api' };
  const status = publicStatusOf(source);
  const result = source.output as VideoResult | null;
  if (status !== 'succeeded' || result?.outcome !== 'succeeded') return { kind: 'not_remixable', reason: 'not_succeeded', status };

  return startVideoRequest(deps, client, {
    id: request.id,
    idChosenByClient: request.idChosenByClient,
    spec: { api: spec.api, prompt: request.prompt, width: spec.width, height: spec.height, nSeconds: spec.nSeconds, nVariants: 1, remixOf: { requestId: request.sourceId, soraVideoId: result.soraJobId } },
  }, log);
}
