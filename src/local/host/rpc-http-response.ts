import type { ServerResponse } from 'node:http';
import type { RpcHttpData } from './core-types';

interface Nullable<T> {
  value?: T;
}

/** The RPC cookie @azure/functions' toRpcHttpCookie produces. */
interface RpcCookie {
  name?: string;
  value?: string;
  domain?: Nullable<string>;
  path?: Nullable<string>;
  expires?: Nullable<{ seconds?: number }>;
  secure?: Nullable<boolean>;
  httpOnly?: Nullable<boolean>;
  sameSite?: 'none' | 'lax' | 'strict' | 'explicitNone';
  maxAge?: Nullable<number>;
}

/** Writes the HTTP response a function returned in the classic RPC form (body as one buffer). */
export function writeRpcHttpResponse(response: ServerResponse, http: RpcHttpData): void {
  response.statusCode = Number.parseInt(http.statusCode ?? '200', 10) || 200;
  for (const [name, value] of Object.entries(http.headers ?? {})) response.setHeader(name, value);
  const cookies = (http.cookies ?? []) as RpcCookie[];
  if (cookies.length > 0) response.setHeader('set-cookie', cookies.map(setCookieLine));
  const body = http.body;
  if (body?.bytes !== undefined) response.end(Buffer.from(body.bytes));
  else if (body?.string !== undefined) response.end(body.string);
  else response.end();
}

/** One Set-Cookie line (RFC 6265) from an RPC cookie. */
function setCookieLine(cookie: RpcCookie): string {
  const parts = [`${cookie.name ?? ''}=${cookie.value ?? ''}`];
  if (cookie.domain?.value !== undefined) parts.push(`Domain=${cookie.domain.value}`);
  if (cookie.path?.value !== undefined) parts.push(`Path=${cookie.path.value}`);
  const expires = cookie.expires?.value?.seconds;
  if (expires !== undefined) parts.push(`Expires=${new Date(expires * 1000).toUTCString()}`);
  if (cookie.maxAge?.value !== undefined) parts.push(`Max-Age=${cookie.maxAge.value}`);
  if (cookie.secure?.value === true) parts.push('Secure');
  if (cookie.httpOnly?.value === true) parts.push('HttpOnly');
  const sameSite = { lax: 'Lax', strict: 'Strict', explicitNone: 'None', none: undefined }[cookie.sameSite ?? 'none'];
  if (sameSite !== undefined) parts.push(`SameSite=${sameSite}`);
  return parts.join('; ');
}
