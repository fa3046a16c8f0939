import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { captureRegistrations, installCoreStub } from './core-stub';
import type { Registration } from './core-types';

/** What `loadApp` found: the registrations and where they came from. */
export interface LoadedApp {
  entryFiles: string[];
  registrations: Registration[];
  /** A require that resolves packages the way the app's own files do. */
  appRequire: NodeJS.Require;
}

/**
 * The files the Functions Node worker would load: package.json `main`, a file
 * or a glob relative to the app directory.
 */
export function resolveEntryFiles(appDir: string): string[] {
  const packageJsonPath = path.join(appDir, 'package.json');
  const packageJson = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { main?: unknown };
  if (typeof packageJson.main !== 'string' || packageJson.main === '') {
    throw new Error(`${packageJsonPath} has no "main": the host does not know which files register functions.`);
  }
  const files = globSync(packageJson.main, { cwd: appDir, absolute: true, onlyFiles: true }).sort();
  if (files.length === 0) {
    throw new Error(`"main" of ${packageJsonPath} (${packageJson.main}) matches no file: build the app first?`);
  }
  return files;
}

/** `Values` of local.settings.json in the app directory, as `func start` reads them. */
export function readLocalSettings(appDir: string): Record<string, string> {
  const file = path.join(appDir, 'local.settings.json');
  if (!existsSync(file)) return {};
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { Values?: Record<string, unknown> };
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed.Values ?? {})) {
    values[key] = String(value);
  }
  return values;
}

/** Modules a previous load put in the require cache, so a new load registers again. */
let modulesOfLastLoad: string[] = [];

/**
 * Requires the entry files with the `@azure/functions-core` stand-in in place
 * and captures every registration. Modules loaded by an earlier call are
 * evicted first, so the same app can be hosted again in one process.
 */
export function loadApp(entryFiles: string[]): LoadedApp {
  installCoreStub();
  const firstEntry = entryFiles[0];
  if (firstEntry === undefined) throw new Error('No entry file to load.');
  const appRequire = createRequire(firstEntry);
  const cache = appRequire.cache;
  for (const id of modulesOfLastLoad) {
    // The library packages keep their state (programming model, cached core API).
    if (!id.includes(`${path.sep}node_modules${path.sep}`)) Reflect.deleteProperty(cache, id);
  }
  const before = new Set(Object.keys(cache));
  const registrations = captureRegistrations(() => {
    for (const file of entryFiles) appRequire(file);
  });
  modulesOfLastLoad = Object.keys(cache).filter((id) => !before.has(id));
  return { entryFiles, registrations, appRequire };
}
