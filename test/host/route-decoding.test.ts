// Route values are percent-decoded once, as ASP.NET Core does for the
// Functions host: every escape but an encoded slash, which stays `%2F` so it
// can never act as a path separator inside a value.
import { describe, expect, it } from 'vitest';
import { compileRoute } from '../../src/local/host/routes';

describe('route value decoding', () => {
  const route = compileRoute('api/videos/{id}');

  it('keeps an encoded slash encoded, in either case', () => {
    expect(route.match('/api/videos/..%2F..%2Fruntime%2Fwebhooks')).toEqual({ id: '..%2F..%2Fruntime%2Fwebhooks' });
    expect(route.match('/api/videos/a%2fb')).toEqual({ id: 'a%2fb' });
  });

  it('decodes every other escape exactly once', () => {
    expect(route.match('/api/videos/a%20b%2Ec')).toEqual({ id: 'a b.c' });
    expect(route.match('/api/videos/a%252Fb')).toEqual({ id: 'a%2Fb' });
    expect(route.match('/api/videos/caf%C3%A9%2F%C3%A9')).toEqual({ id: 'café%2Fé' });
  });

  it('leaves a value with an invalid escape as it came', () => {
    expect(route.match('/api/videos/100%zz')).toEqual({ id: '100%zz' });
  });
});
