/**
 * GET /api/health — settings, storage and each configured video API (see
 * health-check.ts for what is probed and why nothing secret is in it).
 * 200 when everything is ok, 503 otherwise, so a monitor can read the status
 * alone. Anonymous, so uptime monitors and load balancers need no key.
 */
import type { HttpResponseInit } from '@azure/functions';
import type { HealthCache } from './health-check';

export function createHealth(cache: HealthCache) {
  return async (): Promise<HttpResponseInit> => {
    const report = await cache.report();
    return { status: report.status === 'ok' ? 200 : 503, headers: { 'cache-control': 'no-store' }, jsonBody: report };
  };
}
