import { fileURLToPath } from 'node:url';
import { startLocalHost, type LocalHost, type LocalHostOptions } from '../../../src/local/host';

/** Name of a plain CommonJS app under test/conformance/apps/. */
export type ConformanceApp = 'orchestration.js' | 'events.js' | 'timers.js' | 'management.js' | 'entities.js';

/**
 * Starts the local host on a free port for one of the conformance apps. Its
 * log stays quiet: the tests assert on statuses, not on log lines.
 */
export function startConformanceHost(
  app: ConformanceApp,
  options: Omit<LocalHostOptions, 'entry' | 'appDir' | 'port' | 'log'> = {},
): Promise<LocalHost> {
  return startLocalHost({
    entry: fileURLToPath(new URL(`../apps/${app}`, import.meta.url)),
    port: 0,
    log: () => undefined,
    ...options,
  });
}
