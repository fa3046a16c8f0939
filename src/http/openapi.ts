/**
 * GET /api/openapi.json — the API's OpenAPI 3.1 document (src/openapi/).
 * Anonymous on purpose, like /api/health: the contract holds routes and
 * schemas only — no endpoint, deployment, key or setting value — and tools
 * (client generators, API Management) read it before they have a key.
 */
import type { HttpResponseInit } from '@azure/functions';
import { buildOpenApiDocument } from '../openapi/document';

export function createOpenApi() {
  let document: string | undefined;
  return (): Promise<HttpResponseInit> => {
    // Built on first use: it depends on the code alone, so once per process is enough.
    document ??= JSON.stringify(buildOpenApiDocument());
    return Promise.resolve({ status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' }, body: document });
  };
}
