/**
 * Stages what deploys with the very packager azd runs (`npm run package:azure`,
 * infra/deploy-package), into a temporary folder. The folder is outside the
 * repository on purpose: Node looks for packages in every parent folder, so
 * inside it the app could still reach the project's development dependencies.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stageDeployPackage, type DurableBackend } from '../../infra/deploy-package/stage';

export interface DeployPackage {
  dir: string;
  /** The project files copied into it (relative, `/`-separated), before the build and the install. */
  sources: string[];
  remove(): Promise<void>;
}

export async function stageDeployPackageForTest(projectDir: string, backend: DurableBackend = 'AzureStorage'): Promise<DeployPackage> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sora-deploy-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const sources = await stageDeployPackage({ projectDir, outDir: dir, backend });
    return { dir, sources, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
