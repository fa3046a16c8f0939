import { execFile } from 'node:child_process';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const samplesDir = fileURLToPath(new URL('../samples-ts', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/**
 * Compiles the vendored official samples with their own tsconfig into
 * samples-ts/dist/<label>/ and makes that directory a Functions app
 * (package.json `main` glob + the samples' host.json). Each test file uses its
 * own label, so files running in parallel never read each other's half-written
 * output. The compiled files stay inside the project, so their
 * `require('durable-functions')` resolves to the project's node_modules.
 */
export async function buildSamplesApp(label: string): Promise<string> {
  const appDir = path.join(samplesDir, 'dist', label);
  await rm(appDir, { recursive: true, force: true });
  await mkdir(appDir, { recursive: true });
  await promisify(execFile)(process.execPath, [tsc, '-p', samplesDir, '--outDir', appDir]);
  await writeFile(
    path.join(appDir, 'package.json'),
    JSON.stringify({ name: `samples-ts-${label}`, private: true, main: 'functions/*.js' }),
  );
  await copyFile(path.join(samplesDir, 'host.json'), path.join(appDir, 'host.json'));
  return appDir;
}
