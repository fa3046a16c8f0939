/**
 * Runs the built `sora-orchestrator` binary, the file package.json's `bin`
 * names, as a child process: what `npx sora-orchestrator …` runs.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_DIR } from '../../src/local/stack';

const packageJson = JSON.parse(readFileSync(path.join(PROJECT_DIR, 'package.json'), 'utf8')) as { bin: Record<string, string> };
const BIN = path.join(PROJECT_DIR, packageJson.bin['sora-orchestrator'] ?? '');

export interface BinResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment without the CLI's own variables, so a test sets exactly the ones it means. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { SORA_ORCHESTRATOR_URL: _url, SORA_ORCHESTRATOR_KEY: _key, ...env } = process.env;
  return { ...env, ...extra };
}

export function runBin(args: string[], env: Record<string, string> = {}): Promise<BinResult> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build first (npm run build:local)`);
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: cleanEnv(env), timeout: 180_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}
