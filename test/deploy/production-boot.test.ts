/**
 * What deploys runs on production dependencies alone. The package is staged
 * by the packager azd runs (see deploy-package.ts), its package.json `main` is
 * loaded by the local host from this repository, and a request goes through
 * the public API to Azurite and the Sora emulator. An app file that imported
 * a development dependency, or the local stand-ins, would fail here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../src/activities';
import { SETTINGS } from '../../src/config';
import { DEPLOYMENT_LIMITER } from '../../src/entities/deployment-limiter';
import { JOB_DURATIONS } from '../../src/entities/job-durations';
import { PROJECT_DIR } from '../../src/local/stack';
import { FUNCTIONS } from '../../src/names';
import { blobNames } from '../../src/storage/blob-names';
import { startPipeline, type Pipeline } from '../integration/support';
import { stageDeployPackageForTest, type DeployPackage } from './deploy-package';

const CONTAINER = 'deployed-videos';

interface PackageJson {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}
interface Lockfile {
  packages: Record<string, { dev?: boolean }>;
}
const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));
const packageJson = readJson(path.join(PROJECT_DIR, 'package.json')) as PackageJson;

let staged: DeployPackage;
let p: Pipeline;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  staged = await stageDeployPackageForTest(PROJECT_DIR);
  cleanups.push(() => staged.remove());
  p = await startPipeline({ appDir: staged.dir, settings: { [SETTINGS.videosContainer]: CONTAINER } });
  cleanups.push(() => p.close());
}, 300_000);
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Files under a folder of the package, relative to the package, `/`-separated. */
function filesUnder(folder: string): string[] {
  const root = path.join(staged.dir, folder);
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(staged.dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/** Whether Node, resolving from the package's own files, finds the package (any folder it would look in). */
function reachableFromPackage(name: string): boolean {
  const lookIn = createRequire(path.join(staged.dir, 'package.json')).resolve.paths(name) ?? [];
  return lookIn.some((dir) => existsSync(path.join(dir, name, 'package.json')));
}

describe('the staged deployment package', () => {
  it('holds the app alone: host.json, package.json and its lockfile from the project, the app build, production node_modules', () => {
    expect(staged.sources).toEqual(['host.json', 'package-lock.json', 'package.json']);
    expect(readdirSync(staged.dir).sort()).toEqual(['dist', 'host.json', 'node_modules', 'package-lock.json', 'package.json']);
    expect(readFileSync(path.join(staged.dir, 'host.json'), 'utf8')).toBe(readFileSync(path.join(PROJECT_DIR, 'host.json'), 'utf8'));
  });

  it('has the app-only build: the entry package.json names, nothing from src/local or src/cli', () => {
    const built = filesUnder('dist');
    expect(built).toContain('dist/src/index.js');
    const app = built.filter((file) => !file.startsWith('dist/web/'));
    expect(app.filter((file) => !file.startsWith('dist/src/') || /^dist\/src\/(local|cli)\//.test(file))).toEqual([]);
  });

  it("has the studio page's browser modules beside the app build, where the studio function reads them", () => {
    const web = filesUnder('dist/web');
    expect(web).toContain('dist/web/main.js');
    expect(web.filter((file) => !file.endsWith('.js'))).toEqual([]);
  });

  it('has every production dependency and no development dependency within reach', () => {
    const dependencies = Object.keys(packageJson.dependencies);
    expect(dependencies.filter(reachableFromPackage)).toEqual(dependencies);
    expect(Object.keys(packageJson.devDependencies).filter(reachableFromPackage)).toEqual([]);
  });

  it('installs exactly the packages the lockfile marks as production ones', () => {
    const locked = (readJson(path.join(PROJECT_DIR, 'package-lock.json')) as Lockfile).packages;
    const production = Object.keys(locked).filter((key) => key !== '' && locked[key]?.dev !== true);
    const installed = Object.keys((readJson(path.join(staged.dir, 'node_modules', '.package-lock.json')) as Lockfile).packages);
    expect(installed.sort()).toEqual(production.sort());
  });
});

describe('the local host running the staged package', () => {
  it('loads the app and its SDKs from the package, not from this repository', () => {
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    const fromPackage = (file: string) => loaded.includes(path.join(staged.dir, file));
    expect(fromPackage('dist/src/index.js')).toBe(true);
    expect(fromPackage('node_modules/durable-functions/lib/src/index.js')).toBe(true);
    expect(loaded.filter((file) => file.startsWith(path.join(PROJECT_DIR, 'dist', 'src') + path.sep))).toEqual([]);
  });

  it('registers every function the app declares: the named ones, the limiter and job-durations entities and each activity of the factory', () => {
    const activities = createActivities(() => {
      throw new Error('registering activities must not build the dependencies');
    });
    const declared = [...Object.values(FUNCTIONS), DEPLOYMENT_LIMITER, JOB_DURATIONS, ...Object.keys(activities)].sort();
    expect(p.stack.host.functions.map((f) => f.name).sort()).toEqual(declared);
  });

  it('serves the studio page and its modules from the package at the site root', async () => {
    const page = await fetch(`${p.baseUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<script type="module" src="main.js"></script>');
    const entry = await fetch(`${p.baseUrl}/main.js`);
    expect(entry.status).toBe(200);
    expect(await entry.text()).toBe(readFileSync(path.join(staged.dir, 'dist', 'web', 'main.js'), 'utf8'));
  });

  it('serves a request end to end: accepted, succeeded through skipped durable timers, the video in Blob Storage', async () => {
    const accepted = await p.post({ prompt: 'A lighthouse at dusk', n_seconds: 2 });
    expect(accepted.status).toBe(202);
    const { id } = (await accepted.json()) as { id: string };

    const view = await p.waitUntilFinished(id);
    expect(view).toMatchObject({ id, status: 'succeeded', size: '480x480', n_seconds: 2, n_variants: 1 });
    const blob = BlobServiceClient.fromConnectionString(p.stack.settings[SETTINGS.videoStorage] ?? '')
      .getContainerClient(CONTAINER)
      .getBlobClient(blobNames(id).video(0));
    const properties = await blob.getProperties();
    expect(properties.contentType).toBe('video/mp4');
    expect(properties.contentLength).toBe(view.videos[0]?.bytes);
    expect(properties.metadata).toMatchObject({ requestid: id, sorajobid: view.soraJobId });
  });
});
