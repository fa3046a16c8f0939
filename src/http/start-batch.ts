/**
 * POST /api/batches — `{id?, items: [...], callback?}`: every item is the JSON
 * body of POST /api/videos, checked by that route's own rules (referenced
 * blobs by their bytes). Any bad item refuses the whole batch with a 400 that
 * names each bad field as `items[i].field`, and nothing starts. A client `id`
 * makes the call idempotent, as for videos; a `callback` is checked by the
 * same rules as a request's.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { itemViolation, parseCreateBatchBody } from '../contracts/batch';
import { requestIdFor } from '../contracts/video-request';
import type { Dependencies } from '../dependencies';
import { checkPipelineFields } from '../events/pipeline-fields';
import { settleBatchItems } from '../requests/settle-batch-items';
import { existingBatch, fingerprintOf, startBatchRequest } from '../requests/start-batch-request';
import { bodyTypeOf, unsupportedMediaType, type BodyType } from './body-type';
import { batchStartResponse } from './batch-start-response';
import { bodyProblem, readJson } from './json-body';
import { validationProblem } from './problem';

const BODY_TYPES: readonly BodyType[] = ['json'];

export function createStartBatch(deps: () => Dependencies) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    if (bodyTypeOf(request, BODY_TYPES) === undefined) return unsupportedMediaType(request, BODY_TYPES);
    const body = await readJson(request);
    if (!body.ok) return bodyProblem(body);
    const parsed = parseCreateBatchBody(body.value);
    if (!parsed.ok) return validationProblem(parsed.violations);

    const dependencies = deps();
    const client = df.getClient(context);
    const { items, callback } = parsed.value;
    // The callback URL is held to the same rules as a request's (https, public addresses): a refusal names `callback.url`.
    const notify = await checkPipelineFields(dependencies.config, { callback });
    if (!notify.ok) return validationProblem(notify.violations);
    const callbackUrl = notify.value?.callbackUrl ?? null;
    const { id: batchId, idChosenByClient } = requestIdFor(parsed.value.id);
    const fingerprint = fingerprintOf(JSON.stringify({ items, callback }));
    // A repeat is answered before any blob is read again.
    const found = idChosenByClient ? await existingBatch(client, batchId, fingerprint) : undefined;
    if (found) return batchStartResponse(client, found);

    const acceptedAt = new Date();
    const settled = await settleBatchItems(dependencies, batchId, items.map((item, index) => ({ item: index, body: item })), acceptedAt);
    const violations = settled.flatMap((item) => ('rejected' in item ? item.rejected.map((v) => itemViolation(item.item, v)) : []));
    if (violations.length > 0) return validationProblem(violations);

    const source = { kind: 'api' } as const;
    const checked = callbackUrl === null ? {} : { callback: { url: callbackUrl } };
    const outcome = await startBatchRequest(dependencies, client, { batchId, source, fingerprint, ...checked, problems: [], items: settled, acceptedAt }, (message) => {
      context.log(message);
    });
    return batchStartResponse(client, outcome);
  };
}
