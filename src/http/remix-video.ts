/**
 * POST /api/videos/{id}/remix — Sora 2 only: a new request that remixes the
 * finished video of an earlier one, with a new prompt. The two are linked
 * both ways in the status views (`remixOf`, `remixes`).
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import type { VideoGenerationInput, VideoResult } from '../contracts/orchestration';
import { REQUEST_ID_PATTERN } from '../contracts/video-request';
import type { Dependencies } from '../dependencies';
import { videosRemixSchema } from '../sora/rules';
import { checkRules } from '../contracts/validation';
import { bodyViolation, readJson } from './json-body';
import { findVideoRequest } from './instances';
import { notFound, problem, validationProblem } from './problem';
import { startGeneration } from './start-generation';
import { publicStatusOf } from './video-view';

const remixBody = videosRemixSchema.extend({
  id: z.string('must be a string').regex(REQUEST_ID_PATTERN, "must be 1–64 letters, digits, '-' or '_', starting with a letter or digit").optional(),
});

export function createRemixVideo(deps: () => Dependencies) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const sourceId = request.params.id ?? '';
    const body = await readJson(request);
    const parsed = body.ok ? checkRules(remixBody.strict(), body.value) : { ok: false as const, violations: [bodyViolation(body)] };
    if (!parsed.ok) return validationProblem(parsed.violations);

    const client = df.getClient(context);
    const source = await findVideoRequest(client, sourceId);
    if (!source) return notFound(sourceId);
    const { spec } = source.input as VideoGenerationInput;
    if (spec.api !== 'videos') return problem(409, 'Only Sora 2 videos can be remixed', `Video request '${sourceId}' used the jobs API (Sora); remix is a videos API (Sora 2) feature.`);
    const status = publicStatusOf(source);
    const result = source.output as VideoResult | null;
    if (status !== 'succeeded' || result?.outcome !== 'succeeded') {
      return problem(409, 'The video is not ready to remix', `Video request '${sourceId}' is ${status}; only a succeeded video can be remixed.`, { status });
    }

    const { response } = await startGeneration(deps(), client, context, {
      clientId: parsed.value.id,
      spec: { api: 'videos', prompt: parsed.value.prompt, width: spec.width, height: spec.height, nSeconds: spec.nSeconds, nVariants: 1, remixOf: { requestId: sourceId, soraVideoId: result.soraJobId } },
    });
    return response;
  };
}
