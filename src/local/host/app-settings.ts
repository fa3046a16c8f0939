import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readLocalSettings } from './loader';

/**
 * Puts app settings into process.env the way `func start` does: values from
 * local.settings.json do not override variables already in the environment;
 * explicit settings override both.
 */
export function applyAppSettings(appDir: string | undefined, settings: Record<string, string>): void {
  const local = appDir === undefined ? {} : readLocalSettings(appDir);
  for (const [key, value] of Object.entries(local)) {
    if (process.env[key] === undefined) process.env[key] = value;
  }
  for (const [key, value] of Object.entries(settings)) process.env[key] = value;
}

/** What the host reads from host.json: the task hub name and the HTTP route prefix. */
interface HostJson {
  hubName: string | undefined;
  routePrefix: string;
}

export function readHostJson(appDir: string | undefined): HostJson {
  const file = appDir === undefined ? undefined : path.join(appDir, 'host.json');
  if (file === undefined || !existsSync(file)) return { hubName: undefined, routePrefix: 'api' };
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as {
    extensions?: { durableTask?: { hubName?: unknown }; http?: { routePrefix?: unknown } };
  };
  const hubName = parsed.extensions?.durableTask?.hubName;
  const routePrefix = parsed.extensions?.http?.routePrefix;
  return {
    hubName: typeof hubName === 'string' && hubName !== '' ? hubName : undefined,
    routePrefix: typeof routePrefix === 'string' ? routePrefix : 'api',
  };
}
