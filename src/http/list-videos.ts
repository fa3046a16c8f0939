/** GET /api/videos?status=&limit=&cursor= — recent requests, newest first, from the request index (list-video-requests.ts). */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { PUBLIC_STATUSES } from '../contracts/public-status';
import { checkRules } from '../contracts/validation';
import type { Dependencies } from '../dependencies';
import { listVideoRequests } from '../requests/list-video-requests';
import { validationProblem } from './problem';

/** Exported for the OpenAPI document (src/openapi/), which is generated from it. */
export const listVideosQuery = z.object({
  status: z.enum(PUBLIC_STATUSES, `must be one of ${PUBLIC_STATUSES.join(', ')}`).optional(),
  limit: z.coerce.number<string>('must be a number').int('must be a whole number').min(1, 'must be between 1 and 100').max(100, 'must be between 1 and 100').default(20),
  cursor: z.string().optional(),
});

export function createListVideos(deps: () => Dependencies) {
  return async (request: HttpRequest): Promise<HttpResponseInit> => {
    const parsed = checkRules(listVideosQuery, Object.fromEntries(request.query.entries()));
    if (!parsed.ok) return validationProblem(parsed.violations);
    const outcome = await listVideoRequests(deps().requestIndex, parsed.value);
    if (outcome.kind === 'bad_cursor') return validationProblem([{ field: 'cursor', message: 'is not a cursor this API returned' }]);
    return { status: 200, headers: { 'cache-control': 'no-store' }, jsonBody: { items: outcome.items, nextCursor: outcome.nextCursor } };
  };
}
