/**
 * `npm run package:azure`: stages the deployment package in
 * dist/deploy-package for azd to zip. azure.yaml runs it as the service's
 * prepackage hook; azd hands its environment values to hooks, so
 * DURABLE_TASK_BACKEND (the value main.parameters.json gives main.bicep)
 * picks host.json here and the Durable Task Scheduler option needs no manual
 * step. npm runs scripts in the project folder.
 */
import path from 'node:path';
import { BACKEND_SETTING, DEPLOY_PACKAGE_DIR, durableBackendOf, stageDeployPackage, summarizePackage } from './stage';

async function main(): Promise<void> {
  const projectDir = process.cwd();
  const outDir = path.join(projectDir, DEPLOY_PACKAGE_DIR);
  const backend = durableBackendOf(process.env[BACKEND_SETTING]);
  const files = await stageDeployPackage({ projectDir, outDir, backend });
  const { packages, bytes } = await summarizePackage(outDir);
  console.log(
    `Staged ${DEPLOY_PACKAGE_DIR}: ${files.join(', ')}, the app build and ${packages} production packages; ${(bytes / 1024 / 1024).toFixed(1)} MiB; host.json for ${backend}.`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
