/**
 * Which body a route reads, by the request's `Content-Type`, and the 415 for
 * any other. A body without a `Content-Type` is refused too: the API never
 * guesses what a body is (a JSON string sent as `text/plain` is not run).
 */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { problem } from './problem';

export const MEDIA_TYPES = { json: 'application/json', multipart: 'multipart/form-data' } as const;

export type BodyType = keyof typeof MEDIA_TYPES;

/** Long enough for any real media type; a longer header is not echoed whole. */
const ECHOED_TYPE_CHARS = 100;

/** The accepted body type the request declares (parameters such as `charset` or `boundary` aside), if any. */
export function bodyTypeOf(request: HttpRequest, accepted: readonly BodyType[]): BodyType | undefined {
  const mediaType = mediaTypeOf(request);
  return accepted.find((type) => MEDIA_TYPES[type] === mediaType);
}

export function unsupportedMediaType(request: HttpRequest, accepted: readonly BodyType[]): HttpResponseInit {
  const types = accepted.map((type) => MEDIA_TYPES[type]);
  const sent = mediaTypeOf(request);
  const got = sent === undefined ? 'no Content-Type' : `'${sent.slice(0, ECHOED_TYPE_CHARS)}'`;
  const message = `must be ${types.join(' or ')} (got ${got})`;
  return problem(415, 'Unsupported media type', `Content-Type: ${message}.`, {
    acceptedTypes: types,
    invalidFields: ['(content-type)'],
    errors: [{ field: '(content-type)', message }],
  });
}

function mediaTypeOf(request: HttpRequest): string | undefined {
  const header = request.headers.get('content-type');
  const mediaType = header?.split(';')[0]?.trim().toLowerCase();
  return mediaType === undefined || mediaType === '' ? undefined : mediaType;
}
