/**
 * Starts a video request once its spec is settled — for every trigger that
 * starts one (the create and remix routes today). A client-chosen id that
 * already exists answers with that request (same spec) or a conflict
 * (different spec) instead of a second start.
 */
import { isDeepStrictEqual } from 'node:util';
import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';
import type { RequestNotify, VideoGenerationInput, VideoSpec } from '../contracts/orchestration';
import { isRequestId, type RequestId } from '../contracts/video-request';
import type { Dependencies } from '../dependencies';
import { FUNCTIONS } from '../names';
import { buildGenerationInput } from '../orchestrations/generation-input';
import { findVideoRequest } from './video-instances';

/** Where a start says what it did: the trigger's own log (an HTTP or queue invocation, a test). */
export type RequestLog = (message: string) => void;

export interface StartVideoRequest extends RequestId {
  spec: VideoSpec;
  /** The correlation id and callback the request came with (src/events/pipeline-fields.ts). */
  notify?: RequestNotify;
}

export type StartOutcome =
  | { kind: 'started'; id: string }
  // The client's id names a request with the same spec: that one answers for this call.
  | { kind: 'existing'; id: string; instance: DurableOrchestrationStatus }
  // The client's id names a request with a different spec: nothing is started.
  | { kind: 'conflict'; id: string };

export async function startVideoRequest(deps: Pick<Dependencies, 'config'>, client: DurableClient, request: StartVideoRequest, log: RequestLog): Promise<StartOutcome> {
  const { id, spec } = request;
  // Triggers check client ids as they read them; this keeps any id that slipped past out of the task hub and blob names.
  if (!isRequestId(id)) throw new Error('A video request was started with an id that breaks the id rule.');
  if (request.idChosenByClient) {
    const existing = await findVideoRequest(client, id);
    if (existing) {
      const sameSpec = isDeepStrictEqual((existing.input as VideoGenerationInput).spec, spec);
      return sameSpec ? { kind: 'existing', id, instance: existing } : { kind: 'conflict', id };
    }
  }
  const input: VideoGenerationInput = { ...buildGenerationInput(id, spec, deps.config, new Date()), ...(request.notify ? { notify: request.notify } : {}) };
  await client.startNew(FUNCTIONS.videoGeneration, { instanceId: id, input });
  log(`Started video request ${id} (${spec.api} API, ${spec.width}x${spec.height}, ${spec.nSeconds}s, ${spec.nVariants} variant(s), ${spec.inputs?.length ?? 0} input(s))`);
  return { kind: 'started', id };
}
