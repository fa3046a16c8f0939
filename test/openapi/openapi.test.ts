/**
 * GET /api/openapi.json on the running app: the document is valid OpenAPI
 * 3.1 (checked with @seriousme/openapi-schema-validator), lists every HTTP
 * function the host registered with its methods and nothing else, and what
 * the routes really answer has the documented shapes.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../src/names';
import { batchStartedSchema, batchViewSchema, capacitySchema, healthSchema, problemSchema, startedSchema, videoPageSchema, videoViewSchema } from '../../src/openapi/response-schemas';
import { startPipeline, type Pipeline } from '../integration/support';

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { operationId: string; security?: unknown[]; responses: Record<string, { content?: Record<string, { schema: unknown }> }>; requestBody?: { content: Record<string, { schema: unknown }> }; parameters?: { name: string; in: string; schema: unknown }[] }>>;
}

let p: Pipeline;
let document: OpenApiDocument;

beforeAll(async () => {
  p = await startPipeline();
  const response = await fetch(`${p.baseUrl}/api/openapi.json`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/json');
  document = (await response.json()) as OpenApiDocument;
});
afterAll(async () => {
  await p.close();
});

/** Where the host serves a registered route (the routes carry their `api/` prefix themselves). */
function pathOf(f: { name: string; route?: string }): string {
  return `/${f.route ?? f.name}`;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

describe('the document', () => {
  it('is valid OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(document as unknown as Record<string, unknown>);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('lists every HTTP route the app registers, with its methods, and none it does not', () => {
    // The studio page (every other GET path) is not part of the API.
    const registered = p.stack.host.functions.filter((f) => f.trigger === 'httpTrigger' && f.name !== FUNCTIONS.studio);
    expect(registered.length).toBeGreaterThanOrEqual(8);
    const missing = registered.flatMap((f) =>
      (f.methods ?? HTTP_METHODS.map((m) => m.toUpperCase()))
        .filter((method) => document.paths[pathOf(f)]?.[method.toLowerCase()]?.operationId !== f.name)
        .map((method) => `${method} ${pathOf(f)} (${f.name})`),
    );
    expect(missing).toEqual([]);

    const documented = Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, name: op.operationId })));
    const unregistered = documented.filter((d) => !registered.some((f) => f.name === d.name && pathOf(f) === d.path && (f.methods ?? []).includes(d.method.toUpperCase())));
    expect(unregistered).toEqual([]);
  });

  it('says which routes need the function key; every 4xx with a body and every 500 is problem+json', () => {
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const anonymous = path === '/api/health' || path === '/api/openapi.json';
        expect({ path, method, security: op.security }).toEqual({ path, method, security: anonymous ? [] : undefined });
        expect(Object.keys(op.responses)).toContain('500');
        if (!anonymous) expect(Object.keys(op.responses)).toContain('401');
        for (const [status, response] of Object.entries(op.responses)) {
          const refusedOrFailed = (Number(status) >= 400 && Number(status) < 500) || status === '500';
          if (refusedOrFailed && response.content) expect({ status, content: response.content }).toEqual({ status, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
        }
      }
    }
  });

  it('takes its request rules from the validators: sizes, ranges, defaults, the id pattern, the list query', () => {
    const start = document.paths['/api/videos']?.post;
    const [jobsBody] = (start?.requestBody?.content['application/json']?.schema as { anyOf: { properties: Record<string, unknown>; required: string[] }[] }).anyOf;
    expect(jobsBody?.required).toEqual(['prompt']);
    expect(jobsBody?.properties.n_seconds).toEqual({ default: 5, type: 'integer', minimum: 1, maximum: 20 });
    expect(jobsBody?.properties.id).toMatchObject({ type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$' });
    expect(jobsBody?.properties.width).toMatchObject({ default: 480, description: expect.stringContaining('1080x1920 (up to 1 variant)') as unknown });
    expect(Object.keys(start?.requestBody?.content ?? {})).toEqual(['application/json', 'multipart/form-data']);

    const list = document.paths['/api/videos']?.get;
    expect(list?.parameters?.find((q) => q.name === 'limit')).toEqual({ name: 'limit', in: 'query', required: false, schema: { default: 20, type: 'integer', minimum: 1, maximum: 100 } });
    expect(document.paths['/api/videos/{id}/remix']?.post?.requestBody?.content['application/json']?.schema).toMatchObject({ required: ['prompt'], additionalProperties: false });
    expect(jobsBody?.properties.callback).toMatchObject({ type: 'object', required: ['url'], additionalProperties: false });

    const batch = document.paths['/api/batches']?.post;
    expect(batch?.requestBody?.content['application/json']?.schema).toMatchObject({ required: ['items'], additionalProperties: false, properties: { items: { type: 'array', minItems: 1, maxItems: 1000 } } });
    expect(Object.keys(batch?.responses ?? {})).toEqual(['200', '202', '400', '401', '409', '413', '415', '500']);
    expect(document.paths['/api/batches/{id}']?.get?.parameters?.map((q) => q.name)).toEqual(['id', 'limit', 'cursor']);
    expect(Object.keys(document.paths['/api/batches/{id}/cancel']?.post?.responses ?? {})).toEqual(['202', '401', '404', '409', '500']);
  });
});

describe('what the routes answer has the documented shapes', () => {
  it('start, view, list, capacity, health, and the problems of bad input and of a finished cancel', async () => {
    const accepted = await p.post({ prompt: 'A documented boat' });
    const started = startedSchema.parse(await accepted.json());
    const view = await p.waitUntilFinished(started.id);
    expect(view.status).toBe('succeeded');
    expect(videoViewSchema.parse(view).videos).toHaveLength(1);
    expect(videoPageSchema.parse(await p.api.list()).items.map((i) => i.id)).toContain(started.id);
    expect(capacitySchema.parse(await (await fetch(`${p.baseUrl}/api/capacity`)).json()).deployments.length).toBeGreaterThan(0);
    expect(healthSchema.parse(await (await fetch(`${p.baseUrl}/api/health`)).json()).status).toBe('ok');

    const bad = await p.post({ prompt: 'x', width: 500, height: 500 });
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    expect(problemSchema.parse(await bad.json()).errors?.[0]?.field).toBe('width');
    const finished = await fetch(`${p.baseUrl}/api/videos/${started.id}/cancel`, { method: 'POST' });
    expect(problemSchema.parse(await finished.json()).requestStatus).toBe('succeeded');
  });

  it('batch start and view, and the problem of an unknown batch', async () => {
    const started = await fetch(`${p.baseUrl}/api/batches`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [{ prompt: 'A documented fleet', n_seconds: 1 }] }) });
    expect(started.status).toBe(202);
    const { id, total } = batchStartedSchema.parse(await started.json());
    expect(total).toBe(1);
    const view = batchViewSchema.parse(await (await fetch(`${p.baseUrl}/api/batches/${id}`)).json());
    expect(view.items.map((i) => i.id)).toEqual([`${id}-0`]);
    const unknown = await fetch(`${p.baseUrl}/api/batches/no-such-batch/cancel`, { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(problemSchema.parse(await unknown.json()).title).toBe('No such batch');
  });
});
