/** The `{id}` of a route, read once and checked by the one id rule before anything uses it. */
import type { HttpRequest } from '@azure/functions';
import { isRequestId } from '../contracts/video-request';

/** `undefined` when the path's id breaks the rule: no request can have it, so the route answers 404. */
export function requestIdOfPath(request: HttpRequest): string | undefined {
  const id = request.params.id;
  return id !== undefined && isRequestId(id) ? id : undefined;
}
