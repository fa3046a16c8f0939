// Problem details (RFC 9457): the standard members are the app's, never an extension's.
import { describe, expect, it } from 'vitest';
import { problem, type ProblemExtensions } from '../../src/http/problem';

function bodyOf(response: ReturnType<typeof problem>): unknown {
  if (typeof response.body !== 'string') throw new Error('a problem body is JSON text');
  return JSON.parse(response.body);
}

describe('problem()', () => {
  it('puts extension members beside the standard ones', () => {
    const response = problem(409, 'The request has already finished', "Video request 'a' is succeeded.", { requestStatus: 'succeeded' });
    expect(response.status).toBe(409);
    expect(response.headers).toEqual({ 'content-type': 'application/problem+json' });
    expect(bodyOf(response)).toEqual({ type: 'about:blank', title: 'The request has already finished', status: 409, detail: "Video request 'a' is succeeded.", requestStatus: 'succeeded' });
  });

  it('refuses extensions named like a standard member: a type error, and dropped if an untyped caller sends one', () => {
    // @ts-expect-error `status` is the HTTP status code, not an extension
    problem(409, 'Conflict', 'Taken.', { status: 'succeeded' });
    const untyped = { type: 'https://example.test/other', title: 'Other', status: 'succeeded', detail: 'Other.', instance: '/x', requestStatus: 'succeeded' } as unknown as ProblemExtensions;
    expect(bodyOf(problem(409, 'Conflict', 'Taken.', untyped))).toEqual({ type: 'about:blank', title: 'Conflict', status: 409, detail: 'Taken.', requestStatus: 'succeeded' });
  });
});
