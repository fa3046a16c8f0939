/**
 * Stages what deploys to Azure, in one folder that azd zips as it is
 * (azure.yaml: `dist`, `remoteBuild: false`): the project files `.funcignore`
 * keeps (host.json, package.json, package-lock.json), host.json for the chosen
 * Durable Functions backend, the app-only build (tsconfig.build.json, without
 * src/local and src/cli) and the production dependencies (`npm ci --omit=dev`).
 *
 * Building here rather than in Azure keeps the package to the app: a remote
 * build (Oryx) runs a plain `npm install`, devDependencies included, and ships
 * them. The production dependencies are plain JavaScript (none has an install
 * script or a platform-specific build), so a package staged on any machine
 * runs on Flex Consumption's Linux workers.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseFuncignore, type IsIgnored } from './funcignore';

/** Where `npm run package:azure` stages the package: azure.yaml's `dist` (dist/ is build output, ignored by git and .funcignore). */
export const DEPLOY_PACKAGE_DIR = 'dist/deploy-package';

/** host.json for each Durable Functions backend, the values main.bicep's durableTaskBackend allows. */
export const HOST_JSON_FOR_BACKEND = {
  AzureStorage: 'host.json',
  DurableTaskScheduler: 'infra/host.durable-task-scheduler.json',
} as const;

export type DurableBackend = keyof typeof HOST_JSON_FOR_BACKEND;

/** The azd environment value that names the backend (main.parameters.json maps it to durableTaskBackend). */
export const BACKEND_SETTING = 'DURABLE_TASK_BACKEND';

/** tsconfig.json's outDir, which package.json `main` points into. */
const BUILD_OUT_DIR = 'dist';
/** The studio page's browser modules (web/tsconfig.json), built into dist/web. */
const WEB_PROJECT = 'web';
/** A cold npm cache can take a while; a warm one takes seconds. */
const COMMAND_TIMEOUT_MS = 300_000;

export function durableBackendOf(value: string | undefined): DurableBackend {
  if (value === undefined || value === '') return 'AzureStorage';
  if (Object.hasOwn(HOST_JSON_FOR_BACKEND, value)) return value as DurableBackend;
  throw new Error(`${BACKEND_SETTING} is '${value}'; expected one of ${Object.keys(HOST_JSON_FOR_BACKEND).join(', ')}`);
}

export interface StageOptions {
  projectDir: string;
  outDir: string;
  backend: DurableBackend;
}

/** Empties `outDir` and stages the package there; returns the project files copied (relative, `/`-separated). */
export async function stageDeployPackage(options: StageOptions): Promise<string[]> {
  const files = await copyAppFiles(options);
  await buildApp(options.projectDir, options.outDir);
  await installProductionDependencies(options.outDir);
  return files;
}

/**
 * Copies the project files `.funcignore` keeps into an emptied `outDir`, then
 * host.json for the backend. The project's node_modules never comes along:
 * it holds the development dependencies, and the package gets its own
 * production install.
 */
export async function copyAppFiles({ projectDir, outDir, backend }: StageOptions): Promise<string[]> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const isIgnored = parseFuncignore(await readFile(path.join(projectDir, '.funcignore'), 'utf8'));
  const skip = (relative: string, isDirectory: boolean) =>
    relative === 'node_modules' || path.resolve(projectDir, relative) === path.resolve(outDir) || isIgnored(relative, isDirectory);
  const copied = await copyKept(projectDir, outDir, skip);
  if (!copied.includes('host.json')) throw new Error('.funcignore leaves host.json out of the package; the Functions host needs it');
  await cp(path.join(projectDir, HOST_JSON_FOR_BACKEND[backend]), path.join(outDir, 'host.json'));
  return copied;
}

/**
 * The app-only build, with the project's own TypeScript, into the package's
 * dist/ (no source maps: nothing reads them there), and the studio page's
 * browser modules into dist/web beside it, where the studio function reads them.
 */
export async function buildApp(projectDir: string, outDir: string): Promise<void> {
  const tsc = createRequire(path.join(projectDir, 'package.json')).resolve('typescript/bin/tsc');
  const args = [tsc, '-p', path.join(projectDir, 'tsconfig.build.json'), '--outDir', path.join(outDir, BUILD_OUT_DIR), '--sourceMap', 'false'];
  await run('the app build (tsc -p tsconfig.build.json)', process.execPath, args, projectDir);
  const web = [tsc, '-p', path.join(projectDir, WEB_PROJECT), '--outDir', path.join(outDir, BUILD_OUT_DIR, WEB_PROJECT)];
  await run(`the studio page build (tsc -p ${WEB_PROJECT})`, process.execPath, web, projectDir);
}

/**
 * `npm ci --omit=dev` in the package, from its copy of package-lock.json.
 * --ignore-scripts: no package code runs while packaging (none of the
 * production dependencies has an install script). --prefix pins the install to
 * the package whatever npm settings the caller's environment passes down.
 */
export async function installProductionDependencies(outDir: string): Promise<void> {
  const args = ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--prefix', outDir];
  const npm = npmCommand();
  await run('npm ci --omit=dev (it needs the npm registry or a warm npm cache)', npm.command, [...npm.args, ...args], outDir);
}

export interface PackageSummary {
  /** Packages npm installed (node_modules/.package-lock.json), nested copies included. */
  packages: number;
  bytes: number;
}

export async function summarizePackage(outDir: string): Promise<PackageSummary> {
  const installed = JSON.parse(await readFile(path.join(outDir, 'node_modules', '.package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
  return { packages: Object.keys(installed.packages).length, bytes: await sizeOf(outDir) };
}

async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await sizeOf(full);
    else if (entry.isFile()) total += (await stat(full)).size;
  }
  return total;
}

/** Copies every file under `from` that `skip` lets through, preserving the layout; a skipped folder is not entered. */
async function copyKept(from: string, to: string, skip: IsIgnored): Promise<string[]> {
  const copied: string[] = [];
  const visit = async (relativeDir: string): Promise<void> => {
    for (const entry of await readdir(path.join(from, relativeDir), { withFileTypes: true })) {
      const relative = path.posix.join(relativeDir, entry.name);
      if (skip(relative, entry.isDirectory())) continue;
      if (entry.isDirectory()) {
        await visit(relative);
      } else if (entry.isFile()) {
        await cp(path.join(from, relative), path.join(to, relative));
        copied.push(relative);
      }
    }
  };
  await visit('');
  return copied.sort();
}

/** npm as Node runs it: through npm's own CLI script when npm started us (works on Windows too), else `npm` from PATH. */
function npmCommand(): { command: string; args: string[] } {
  const cli = process.env.npm_execpath;
  return cli?.endsWith('npm-cli.js') === true ? { command: process.execPath, args: [cli] } : { command: 'npm', args: [] };
}

async function run(what: string, command: string, args: string[], cwd: string): Promise<void> {
  try {
    await promisify(execFile)(command, args, { cwd, timeout: COMMAND_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '', message } = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`Staging the deployment package failed at ${what}: ${message}\n${stdout}\n${stderr}`, { cause: error });
  }
}
