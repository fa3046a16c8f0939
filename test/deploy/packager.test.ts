/**
 * The packager's choices that production-boot.test.ts does not stage a whole
 * package for: host.json per Durable Functions backend, and the project's
 * .funcignore as azd and the packager read it.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFuncignore, type IsIgnored } from '../../infra/deploy-package/funcignore';
import { copyAppFiles, durableBackendOf, HOST_JSON_FOR_BACKEND } from '../../infra/deploy-package/stage';
import { PROJECT_DIR } from '../../src/local/stack';

const read = (file: string) => readFile(file, 'utf8');

describe('the Durable Functions backend named by DURABLE_TASK_BACKEND', () => {
  it('defaults to Azure Storage when unset or empty, as main.bicep does', () => {
    expect(durableBackendOf(undefined)).toBe('AzureStorage');
    expect(durableBackendOf('')).toBe('AzureStorage');
    expect(durableBackendOf('DurableTaskScheduler')).toBe('DurableTaskScheduler');
  });

  it('refuses a value main.bicep does not allow, naming the allowed ones', () => {
    expect(() => durableBackendOf('Netherite')).toThrow("DURABLE_TASK_BACKEND is 'Netherite'; expected one of AzureStorage, DurableTaskScheduler");
  });
});

describe('the files copied into the package', () => {
  let outDir: string;
  beforeEach(async () => {
    outDir = await mkdtemp(path.join(tmpdir(), 'sora-package-files-'));
  });
  afterEach(() => rm(outDir, { recursive: true, force: true }));

  it('ship the Durable Task Scheduler host.json as host.json when that backend is chosen', async () => {
    const copied = await copyAppFiles({ projectDir: PROJECT_DIR, outDir, backend: 'DurableTaskScheduler' });
    expect(copied).toEqual(['host.json', 'package-lock.json', 'package.json']);
    expect(await read(path.join(outDir, 'host.json'))).toBe(await read(path.join(PROJECT_DIR, HOST_JSON_FOR_BACKEND.DurableTaskScheduler)));
  });

  it('ship the project host.json for Azure Storage, in a folder emptied of what an earlier run left', async () => {
    await writeFile(path.join(outDir, 'stale.js'), 'left over');
    await copyAppFiles({ projectDir: PROJECT_DIR, outDir, backend: 'AzureStorage' });
    expect((await readdir(outDir)).sort()).toEqual(['host.json', 'package-lock.json', 'package.json']);
    expect(await read(path.join(outDir, 'host.json'))).toBe(await read(path.join(PROJECT_DIR, 'host.json')));
  });
});

describe("the project's .funcignore", () => {
  let isIgnored: IsIgnored;
  beforeEach(async () => {
    isIgnored = parseFuncignore(await read(path.join(PROJECT_DIR, '.funcignore')));
  });

  it('leaves local secrets and logs out wherever they are', () => {
    const files = ['.env', 'src/.env', '.env.local', 'local.settings.json', 'a/local.settings.json', 'debug.log', 'dist/src/host.log'];
    expect(files.filter((file) => !isIgnored(file, false))).toEqual([]);
  });

  it('leaves node_modules in, as azd requires with remoteBuild: false', () => {
    expect(isIgnored('node_modules', true)).toBe(false);
  });

  it("anchors folder names at the root, so a dependency's own src or test folder is not cut out", () => {
    expect(['src', 'web', 'test', 'bench', 'infra', 'docs', 'dist'].filter((folder) => !isIgnored(folder, true))).toEqual([]);
    const nested = ['node_modules/some-package/src', 'node_modules/some-package/test', 'node_modules/some-package/docs', 'node_modules/some-package/dist'];
    expect(nested.filter((folder) => isIgnored(folder, true))).toEqual([]);
  });
});
