import { fileURLToPath } from 'node:url';
import { startLocalHost, type LocalHost, type LocalHostOptions } from '../../../src/local/host';

/** Name of a plain CommonJS app under test/conformance/apps/. */
export type ConformanceApp = 'orchestration.js' | 'events.js' | 'timers.js' | 'management.js';

export interface ConformanceHost {
  host: LocalHost;
  /** Every line the host logged, so tests can read them without flooding the output. */
  logs: string[];
}

/** Starts the local host on a free port for one of the conformance apps. */
export async function startConformanceHost(
  app: ConformanceApp,
  options: Omit<LocalHostOptions, 'entry' | 'appDir' | 'port' | 'log'> = {},
): Promise<ConformanceHost> {
  const logs: string[] = [];
  const host = await startLocalHost({
    entry: fileURLToPath(new URL(`../apps/${app}`, import.meta.url)),
    port: 0,
    log: (line) => logs.push(line),
    ...options,
  });
  return { host, logs };
}
