/**
 * POST /api/videos — validate, then start the orchestration whose instance id
 * is the request id. A client-supplied id makes the call idempotent.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { parseCreateVideoRequest } from '../contracts/video-request';
import type { VideoGenerationInput } from '../contracts/orchestration';
import type { Dependencies } from '../dependencies';
import { FUNCTIONS } from '../names';
import { buildGenerationInput } from '../orchestrations/generation-input';
import { readJson } from './handler';
import { findVideoRequest } from './instances';
import { problem, validationProblem } from './problem';
import { linksOf, viewOf } from './video-view';

export function createStartVideo(deps: () => Dependencies) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const { config, readLink } = deps();
    const body = await readJson(request);
    if (!body.ok) return validationProblem([{ field: '(body)', message: 'must be a JSON object' }]);
    const parsed = parseCreateVideoRequest(body.value, config.sora.api);
    if (!parsed.ok) return validationProblem(parsed.violations);

    const client = df.getClient(context);
    const { id: requestedId, spec } = parsed.value;
    if (requestedId !== undefined) {
      const existing = await findVideoRequest(client, requestedId);
      if (existing) {
        if (!isDeepStrictEqual((existing.input as VideoGenerationInput).spec, spec)) {
          return problem(409, 'The id is already taken', `Video request '${requestedId}' exists with different parameters; use another id.`);
        }
        return { status: 200, headers: { location: linksOf(requestedId).self }, jsonBody: await viewOf(existing, readLink) };
      }
    }

    const id = requestedId ?? randomUUID();
    const input = buildGenerationInput(id, spec, config, new Date());
    await client.startNew(FUNCTIONS.videoGeneration, { instanceId: id, input });
    context.log(`Started video request ${id} (${spec.width}x${spec.height}, ${spec.nSeconds}s, ${spec.nVariants} variant(s))`);
    return {
      status: 202,
      headers: { location: linksOf(id).self, 'retry-after': String(Math.ceil(config.poll.minDelayMs / 1000)) },
      jsonBody: { id, status: 'pending', links: linksOf(id) },
    };
  };
}
