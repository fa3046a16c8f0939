/**
 * Starts a video request once its spec is settled — shared by the create and
 * remix routes. A client-chosen id that already exists returns that request
 * (same parameters) or a 409 (different ones) instead of a second start.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import type { DurableClient } from 'durable-functions';
import type { VideoGenerationInput, VideoSpec } from '../contracts/orchestration';
import type { Dependencies } from '../dependencies';
import { FUNCTIONS } from '../names';
import { buildGenerationInput } from '../orchestrations/generation-input';
import { findVideoRequest } from './instances';
import { problem } from './problem';
import { linksOf, viewOf } from './video-view';

export interface StartOutcome {
  response: HttpResponseInit;
  /** False when nothing new was started (an existing request answered, or a clash). */
  started: boolean;
}

export async function startGeneration(
  deps: Dependencies,
  client: DurableClient,
  context: InvocationContext,
  request: { clientId: string | undefined; id?: string; spec: VideoSpec },
): Promise<StartOutcome> {
  if (request.clientId !== undefined) {
    const existing = await findVideoRequest(client, request.clientId);
    if (existing) {
      if (!isDeepStrictEqual((existing.input as VideoGenerationInput).spec, request.spec)) {
        return { started: false, response: problem(409, 'The id is already taken', `Video request '${request.clientId}' exists with different parameters; use another id.`) };
      }
      return { started: false, response: { status: 200, headers: { location: linksOf(request.clientId).self }, jsonBody: await viewOf(existing, deps.readLink) } };
    }
  }

  const id = request.clientId ?? request.id ?? randomUUID();
  const { spec } = request;
  await client.startNew(FUNCTIONS.videoGeneration, { instanceId: id, input: buildGenerationInput(id, spec, deps.config, new Date()) });
  context.log(`Started video request ${id} (${spec.api} API, ${spec.width}x${spec.height}, ${spec.nSeconds}s, ${spec.nVariants} variant(s), ${spec.inputs?.length ?? 0} input(s))`);
  return {
    started: true,
    response: {
      status: 202,
      headers: { location: linksOf(id).self, 'retry-after': String(Math.ceil(deps.config.poll.minDelayMs / 1000)) },
      jsonBody: { id, status: 'pending', links: linksOf(id) },
    },
  };
}
