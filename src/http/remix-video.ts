/**
 * POST /api/videos/{id}/remix — Sora 2 only: a new request that remixes the
 * finished video of `{id}` with a new prompt (remix-video-request.ts).
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { checkRules } from '../contracts/validation';
import { requestIdField, requestIdFor } from '../contracts/video-request';
import type { Dependencies } from '../dependencies';
import { remixVideoRequest } from '../requests/remix-video-request';
import { videosRemixSchema } from '../sora/rules';
import { bodyTypeOf, unsupportedMediaType } from './body-type';
import { bodyProblem, readJson } from './json-body';
import { requestIdOfPath } from './path-id';
import { notFound, problem, validationProblem } from './problem';
import { startResponse } from './start-response';

/** Exported for the OpenAPI document (src/openapi/), which is generated from it. */
export const remixBody = videosRemixSchema.extend({ id: requestIdField });

export function createRemixVideo(deps: () => Dependencies) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const sourceId = requestIdOfPath(request);
    if (sourceId === undefined) return notFound(sourceId);
    if (bodyTypeOf(request, ['json']) === undefined) return unsupportedMediaType(request, ['json']);
    const body = await readJson(request);
    if (!body.ok) return bodyProblem(body);
    const parsed = checkRules(remixBody.strict(), body.value);
    if (!parsed.ok) return validationProblem(parsed.violations);

    const remix = { sourceId, prompt: parsed.value.prompt, ...requestIdFor(parsed.value.id) };
    const outcome = await remixVideoRequest(deps(), df.getClient(context), remix, (message) => { context.log(message); });
    switch (outcome.kind) {
      case 'not_found':
        return notFound(sourceId);
      case 'not_remixable':
        return outcome.reason === 'jobs_api'
          ? problem(409, 'Only Sora 2 videos can be remixed', `Video request '${sourceId}' used the jobs API (Sora); remix is a videos API (Sora 2) feature.`)
          : problem(409, 'The video is not ready to remix', `Video request '${sourceId}' is ${outcome.status}; only a succeeded video can be remixed.`, { requestStatus: outcome.status });
      case 'started':
      case 'existing':
      case 'conflict':
        return startResponse(deps(), outcome);
    }
  };
}
