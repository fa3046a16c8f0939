/**
 * Lint enforces the deploy boundary: the project's own eslint.config.mjs
 * (type-aware, as `npm run lint` runs it) reports `no-restricted-imports` for
 * app code that reaches into src/local or src/cli and for local-host code that
 * reaches into the app, and nothing for the imports each may make.
 *
 * Each probe is linted as the text of a real file in the folder it stands for:
 * typescript-eslint's project service only parses files its tsconfig includes,
 * which a made-up path is not, and the text replaces the file's contents only
 * for this lint, never on disk.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../../src/local/stack';

const APP_MESSAGE = 'The app may not import src/local or src/cli: they are not deployed.';
const HOST_MESSAGE = 'The local host may not import the app: it hosts any Functions app.';

let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: PROJECT_DIR, overrideConfigFile: path.join(PROJECT_DIR, 'eslint.config.mjs') });
});

/** A TypeScript file that exists in `folder` (relative to the project), so the project service knows its path. */
function fileIn(folder: string): string {
  const name = readdirSync(path.join(PROJECT_DIR, folder)).filter((file) => file.endsWith('.ts')).sort()[0];
  if (name === undefined) throw new Error(`No .ts file in ${folder} to lint a probe as`);
  return path.join(PROJECT_DIR, folder, name);
}

async function lintProbe(folder: string, text: string): Promise<{ ruleId: string | null; message: string }[]> {
  const [result] = await eslint.lintText(text, { filePath: fileIn(folder) });
  if (result === undefined) throw new Error(`ESLint returned no result for the probe in ${folder}`);
  return result.messages.map(({ ruleId, message }) => ({ ruleId, message }));
}

const clockProbe = (specifier: string) => `import { systemClock } from '${specifier}';\n\nexport const probeNow = (): number => systemClock.now();\n`;
const namesProbe = (specifier: string) => `import { FUNCTIONS } from '${specifier}';\n\nexport const probeNames = Object.values(FUNCTIONS);\n`;
const cliProbe = (specifier: string) => `import { createApiClient } from '${specifier}';\n\nexport const probeClient = createApiClient;\n`;

// The first lint builds the type-aware program of the whole project: seconds, more on a busy machine.
describe('lint on imports across the deploy boundary', { timeout: 120_000 }, () => {
  it.each([
    { folder: 'src/http', specifier: '../local/clock', probe: clockProbe, reason: APP_MESSAGE },
    { folder: 'src/http', specifier: '../cli/api-client', probe: cliProbe, reason: APP_MESSAGE },
    { folder: 'src/local/host', specifier: '../../names', probe: namesProbe, reason: HOST_MESSAGE },
    { folder: 'src/local/host/orchestration', specifier: '../../../names', probe: namesProbe, reason: HOST_MESSAGE },
  ])('reports $specifier imported from $folder', async ({ folder, specifier, probe, reason }) => {
    expect(await lintProbe(folder, probe(specifier))).toEqual([
      { ruleId: 'no-restricted-imports', message: `'${specifier}' import is restricted from being used by a pattern. ${reason}` },
    ]);
  });

  it.each([
    { folder: 'src/http', specifier: '../names', probe: namesProbe },
    { folder: 'src/local/host', specifier: '../clock', probe: clockProbe },
    { folder: 'src/local/host/orchestration', specifier: '../../clock', probe: clockProbe },
  ])('reports nothing for $specifier imported from $folder', async ({ folder, specifier, probe }) => {
    expect(await lintProbe(folder, probe(specifier))).toEqual([]);
  });
});
