/**
 * The OpenAPI 3.1 document, generated from the operation table and the zod
 * schemas the routes validate with (z.toJSONSchema emits JSON Schema 2020-12,
 * OpenAPI 3.1's own dialect).
 */
import { z } from 'zod';
import { REQUEST_ID_PATTERN, REQUEST_ID_RULE } from '../contracts/video-request';
import { API_ROUTE_PREFIX } from '../names';
import { problemSchema } from './response-schemas';
import { OPERATIONS, type Operation, type ResponseHeader, type ResponseSpec } from './operations';

/** Where the API's routes are registered (host.json's routePrefix is empty: src/names.ts). */
const ROUTE_PREFIX = `/${API_ROUTE_PREFIX}/`;

/** The contract's own version (not the package's): raise it when a change breaks clients. */
const API_VERSION = '1.0.0';

/** The path a route is served at, as the document lists it. */
export function pathOfRoute(route: string): string {
  return `${ROUTE_PREFIX}${route}`;
}

type JsonObject = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  // Refinements (the size table, the crop order) have no JSON Schema form: descriptions carry them.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  return rest;
}

const HEADERS: Record<ResponseHeader, JsonObject> = {
  location: { description: 'The request (/api/videos/{id}) or batch (/api/batches/{id}).', schema: { type: 'string' } },
  'retry-after': { description: 'Seconds to wait before reading the request (or batch) again.', schema: { type: 'integer' } },
};

function response(spec: ResponseSpec): JsonObject {
  if ('problem' in spec) return { description: spec.description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
  if ('document' in spec) return { description: spec.description, content: { 'application/json': { schema: { type: 'object' } } } };
  const headers = spec.headers?.length ? { headers: Object.fromEntries(spec.headers.map((h) => [h, HEADERS[h]])) } : {};
  return { description: spec.description, ...headers, content: { 'application/json': { schema: jsonSchema(spec.body, 'output') } } };
}

/** What every route may answer besides its own responses: a missing key (Azure) and failures on our side. */
function commonResponses(operation: Operation): Record<string, JsonObject> {
  const internal = response({ description: 'Something failed on our side, or a setting is wrong (the detail names it).', problem: true });
  if (operation.anonymous) return { 500: internal };
  return { 401: { description: 'No or a wrong function key (Azure; the Functions host answers without a body).' }, 500: internal };
}

function parameters(operation: Operation): JsonObject[] {
  const path = operation.route.includes('{id}')
    ? [{ name: 'id', in: 'path', required: true, description: `The request (or batch) id: ${REQUEST_ID_RULE}.`, schema: { type: 'string', pattern: REQUEST_ID_PATTERN.source } }]
    : [];
  const shape = operation.query?.shape ?? {};
  const query = Object.entries(shape).map(([name, field]) => ({ name, in: 'query', required: false, schema: jsonSchema(field, 'input') }));
  return [...path, ...query];
}

function requestBody(operation: Operation): JsonObject | undefined {
  if (!operation.body) return undefined;
  const content: JsonObject = {};
  if (operation.body.json) content['application/json'] = { schema: jsonSchema(operation.body.json, 'input') };
  if (operation.body.multipart) content['multipart/form-data'] = { schema: jsonSchema(operation.body.multipart, 'input') };
  return { required: true, content };
}

function operationObject(operation: Operation): JsonObject {
  const params = parameters(operation);
  const body = requestBody(operation);
  const own = Object.fromEntries(Object.entries(operation.responses).map(([status, spec]) => [status, response(spec)]));
  return {
    operationId: operation.name,
    summary: operation.summary,
    ...(operation.anonymous ? { security: [] } : {}),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: { ...own, ...commonResponses(operation) },
  };
}

export function buildOpenApiDocument(): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const operation of OPERATIONS) {
    const path = pathOfRoute(operation.route);
    paths[path] = { ...paths[path], [operation.method.toLowerCase()]: operationObject(operation) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'sora-orchestrator',
      version: API_VERSION,
      description: 'Prompts in, videos in Blob Storage out: Azure OpenAI Sora under Durable Functions. Errors are RFC 9457 problem details.',
    },
    // In Azure every route but the anonymous ones takes the function key, as a header or as `?code=`.
    security: [{ functionKey: [] }, { functionKeyQuery: [] }],
    paths,
    components: {
      schemas: { Problem: jsonSchema(problemSchema, 'output') },
      securitySchemes: {
        functionKey: { type: 'apiKey', in: 'header', name: 'x-functions-key' },
        functionKeyQuery: { type: 'apiKey', in: 'query', name: 'code' },
      },
    },
  };
}
