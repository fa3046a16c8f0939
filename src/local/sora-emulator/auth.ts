/**
 * Key auth like Azure OpenAI: `api-key: KEY`, or `Authorization: Bearer KEY`
 * (how the openai SDK sends its apiKey). Entra ID tokens are not emulated.
 * The OpenAI-compatible front takes the bearer form only, as OpenAI does.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { ApiError } from './errors';

function sameKey(given: string, key: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(key);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const apiKey = headers['api-key'];
  if (typeof apiKey === 'string') return apiKey;
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '');
  return bearer?.[1]?.trim();
}

export function checkAuth(headers: IncomingHttpHeaders, key: string): void {
  const given = presentedKey(headers);
  if (given === undefined || !sameKey(given, key)) {
    throw new ApiError(401, {
      code: '401',
      message:
        'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
    });
  }
}

/** OpenAI's own auth: the key as a bearer token, and OpenAI's 401 body when it is missing or wrong. */
export function checkBearerAuth(headers: IncomingHttpHeaders, key: string): void {
  const given = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1]?.trim();
  if (given === undefined || !sameKey(given, key)) {
    throw new ApiError(401, {
      code: 'invalid_api_key',
      message: 'Incorrect API key provided. Send the key as Authorization: Bearer <key>.',
      param: null,
      type: 'invalid_request_error',
    });
  }
}
