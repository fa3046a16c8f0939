/**
 * Stages what deploys, the way Azure's remote build makes it, in a temporary
 * folder: the project's files that `.funcignore` lets through, the app-only
 * build (`tsc -p tsconfig.build.json`, with the project's own TypeScript) and
 * `npm ci --omit=dev`. The folder is outside the repository on purpose: Node
 * looks for packages in every parent folder, so inside it the app could still
 * reach the project's development dependencies.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseFuncignore, type IsIgnored } from './funcignore';

/** tsconfig.json's outDir, which package.json `main` points into. */
const BUILD_OUT_DIR = 'dist';
/** A cold npm cache can take a while; a warm one takes seconds. */
const COMMAND_TIMEOUT_MS = 180_000;

export interface DeployPackage {
  dir: string;
  /** The project files copied into it (relative, `/`-separated), before the build and the install. */
  sources: string[];
  remove(): Promise<void>;
}

export async function stageDeployPackage(projectDir: string): Promise<DeployPackage> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sora-deploy-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const isIgnored = parseFuncignore(await readFile(path.join(projectDir, '.funcignore'), 'utf8'));
    const sources = await copyKept(projectDir, dir, isIgnored);
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    await run('the app build', process.execPath, [tsc, '-p', path.join(projectDir, 'tsconfig.build.json'), '--outDir', path.join(dir, BUILD_OUT_DIR)], projectDir);
    // --prefix pins the install to the staged folder whatever npm settings `npm test` passes down in the environment.
    await run('npm ci --omit=dev (it needs the npm registry or a warm npm cache)', 'npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', '--prefix', dir], dir);
    return { dir, sources, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

/** Copies every file under `from` that `.funcignore` keeps, preserving the layout. */
async function copyKept(from: string, to: string, isIgnored: IsIgnored): Promise<string[]> {
  const copied: string[] = [];
  const visit = async (relativeDir: string): Promise<void> => {
    for (const entry of await readdir(path.join(from, relativeDir), { withFileTypes: true })) {
      const relative = path.posix.join(relativeDir, entry.name);
      if (isIgnored(relative, entry.isDirectory())) continue;
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

async function run(what: string, command: string, args: string[], cwd: string): Promise<void> {
  try {
    await promisify(execFile)(command, args, { cwd, timeout: COMMAND_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '', message } = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`Staging the deployment package failed at ${what}: ${message}\n${stdout}\n${stderr}`, { cause: error });
  }
}
