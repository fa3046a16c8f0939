/**
 * The studio's browser modules: web/ compiled by web/tsconfig.json into
 * dist/web, beside this app's dist/src (the packager builds both into the
 * deployment package). Read once, on the first request that needs them.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { staticAsset, type StaticAsset } from './static-asset';

/** From dist/src/studio to dist/web. */
const BROWSER_MODULES_DIR = path.resolve(__dirname, '..', '..', 'web');

/** The entry module the page loads; it imports the others. */
export const ENTRY_MODULE = 'main.js';

let loaded: Promise<Map<string, StaticAsset>> | undefined;

/** Every `.js` file of the build by its file name. Fails (and tries again next time) when the build is missing. */
export function browserModules(): Promise<Map<string, StaticAsset>> {
  loaded ??= readModules(BROWSER_MODULES_DIR).catch((error: unknown) => {
    loaded = undefined;
    throw error;
  });
  return loaded;
}

async function readModules(dir: string): Promise<Map<string, StaticAsset>> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.js')).sort();
  if (!names.includes(ENTRY_MODULE)) throw new Error(`The studio's browser build has no ${ENTRY_MODULE} in ${dir}: run the build (npm run build).`);
  const modules = new Map<string, StaticAsset>();
  for (const name of names) modules.set(name, staticAsset(await readFile(path.join(dir, name)), 'text/javascript; charset=utf-8'));
  return modules;
}
