import { describe, expect, it } from 'vitest';
import { parseErrorBody, retryAfterMs, SoraError } from '../../src/sora/errors';

const NOW = Date.parse('2026-11-25T20:00:00Z');

function answer(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers });
}

describe('SoraError.fromResponse', () => {
  it('reads the wrapped body shape {"error": {…}} and the request id', async () => {
    const error = await SoraError.fromResponse(
      answer(400, JSON.stringify({ error: { code: 'invalid_request', message: 'width is bad', param: 'width', type: 'invalid_request_error' } }), {
        'apim-request-id': 'req-1',
        'x-ms-region': 'East US 2',
      }),
    );
    expect(error).toBeInstanceOf(SoraError);
    expect(error).toMatchObject({
      status: 400,
      code: 'invalid_request',
      serviceMessage: 'width is bad',
      param: 'width',
      requestId: 'req-1',
      region: 'East US 2',
      retryAfterMs: null,
      retryable: false,
    });
    expect(error.message).toContain('width is bad');
    expect(error.message).toContain('req-1');
    expect(error.message).toContain('400');
  });

  it('reads the flat body shape of the jobs spec, with inner_error', async () => {
    const error = await SoraError.fromResponse(
      answer(
        400,
        JSON.stringify({
          code: 'content_policy_violation',
          message: 'prompt was blocked',
          param: 'prompt',
          type: 'invalid_request_error',
          inner_error: { code: 'ResponsibleAIPolicyViolation' },
        }),
        { 'x-request-id': 'req-2' },
      ),
    );
    expect(error).toMatchObject({ status: 400, code: 'content_policy_violation', serviceMessage: 'prompt was blocked', param: 'prompt', requestId: 'req-2' });
  });

  it('falls back to the inner code when the outer one is missing', () => {
    expect(parseErrorBody(JSON.stringify({ message: 'blocked', inner_error: { code: 'ResponsibleAIPolicyViolation' } }))).toEqual({
      code: 'ResponsibleAIPolicyViolation',
      message: 'blocked',
      param: undefined,
    });
  });

  it('keeps a non-JSON body as the message and names the code by status', async () => {
    const error = await SoraError.fromResponse(answer(502, '<html>Bad Gateway</html>'));
    expect(error).toMatchObject({ status: 502, code: 'http_502', serviceMessage: '<html>Bad Gateway</html>', param: null, requestId: null, retryable: true });
  });

  it('copes with an empty body', async () => {
    const error = await SoraError.fromResponse(new Response(null, { status: 503, statusText: 'Service Unavailable' }));
    expect(error).toMatchObject({ status: 503, code: 'http_503', serviceMessage: 'Service Unavailable', retryable: true });
  });

  it.each([
    [408, true],
    [429, true],
    [500, true],
    [503, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [409, false],
  ])('status %i is retryable: %s', async (status, retryable) => {
    expect((await SoraError.fromResponse(answer(status, '{}'))).retryable).toBe(retryable);
  });
});

describe('retry-after', () => {
  it('reads retry-after-ms', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '1500' }), NOW)).toBe(1500);
  });

  it('prefers retry-after-ms over retry-after', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '10' }), NOW)).toBe(250);
  });

  it('reads retry-after in seconds', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '7' }), NOW)).toBe(7000);
  });

  it('reads retry-after as an HTTP date, relative to now', () => {
    const date = new Date(NOW + 30_000).toUTCString();
    expect(retryAfterMs(new Headers({ 'retry-after': date }), NOW)).toBe(30_000);
  });

  it('never answers a negative wait for a date in the past', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(NOW - 5000).toUTCString() }), NOW)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), NOW)).toBeNull();
    expect(retryAfterMs(new Headers(), NOW)).toBeNull();
  });

  it('is carried by a 429 error', async () => {
    const error = await SoraError.fromResponse(answer(429, JSON.stringify({ error: { code: 'too_many_requests', message: 'slow down' } }), { 'retry-after': '3' }), NOW);
    expect(error).toMatchObject({ status: 429, code: 'too_many_requests', retryAfterMs: 3000, retryable: true });
  });
});

describe('SoraError as data', () => {
  it('round-trips through JSON with every field and nothing else', async () => {
    const error = await SoraError.fromResponse(
      answer(429, JSON.stringify({ error: { code: 'too_many_requests', message: 'slow down' } }), { 'retry-after-ms': '900', 'apim-request-id': 'r9' }),
    );
    const json: unknown = JSON.parse(JSON.stringify(error));
    expect(Object.keys(json as object).sort()).toEqual(
      ['code', 'message', 'name', 'param', 'region', 'requestId', 'retryAfterMs', 'retryable', 'serviceMessage', 'status'].sort(),
    );
    const back = SoraError.fromJSON(error.toJSON());
    expect(back).toBeInstanceOf(SoraError);
    expect(back.toJSON()).toEqual(error.toJSON());
  });

  it('names every broken rule of a request rejected before any call', () => {
    const error = SoraError.fromViolations([
      { field: 'width', message: '10x10 is not a supported size' },
      { field: 'n_seconds', message: 'must be between 1 and 20' },
    ]);
    expect(error).toMatchObject({ status: 400, code: 'invalid_request', param: 'width', retryable: false });
    expect(error.message).toContain('width 10x10 is not a supported size');
    expect(error.message).toContain('n_seconds must be between 1 and 20');
    expect(error.toJSON().violations).toHaveLength(2);
  });
});
