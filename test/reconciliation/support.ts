/**
 * Real parts for the submit activity: Azurite for the ledger, the Sora
 * emulator over HTTP, and the app's own dependencies built from settings that
 * point at them — the activities are the very functions the host registers.
 */
import { InvocationContext } from '@azure/functions';
import { createActivities, type Activities } from '../../src/activities';
import { loadConfig } from '../../src/config';
import type { VideoSpec } from '../../src/contracts/orchestration';
import { createDependencies, type Dependencies } from '../../src/dependencies';
import { startAzurite, type Azurite } from '../../src/local/azurite';
import { startSoraEmulator, type SoraEmulator } from '../../src/local/sora-emulator';

export interface Parts {
  azurite: Azurite;
  emulator: SoraEmulator;
  deps: Dependencies;
  activities: Activities;
  /** A context whose log lines are kept, as the host's would be. */
  context(): InvocationContext;
  /** Ids of the jobs the emulator ever created with this prompt (deleted ones too), oldest first. */
  jobsWithPrompt(prompt: string): string[];
  close(): Promise<void>;
}

export async function startParts(): Promise<Parts> {
  const azurite = await startAzurite();
  // Many jobs run at once across the tests; the running-jobs limit is not what they are about.
  const emulator = await startSoraEmulator({ port: 0, maxRunningJobs: 100, requestsPerMinute: 10_000, log: () => undefined });
  const config = loadConfig({
    AZURE_OPENAI_ENDPOINT: emulator.endpoint,
    AZURE_OPENAI_API_KEY: emulator.apiKey,
    AZURE_OPENAI_JOBS_DEPLOYMENT: emulator.deployments.jobs,
    AZURE_OPENAI_VIDEOS_DEPLOYMENT: emulator.deployments.videos,
    VideoStorage: azurite.connectionString,
    SORA_REQUEST_TIMEOUT_SECONDS: '10',
  });
  const deps = createDependencies(config);
  return {
    azurite,
    emulator,
    deps,
    activities: createActivities(() => deps),
    context: () => new InvocationContext({ functionName: 'submitVideoJob', logHandler: () => undefined }),
    jobsWithPrompt: (prompt) => emulator.createdJobs().filter((job) => job.prompt === prompt).map((job) => job.id),
    close: async () => {
      await emulator.close();
      await azurite.close();
    },
  };
}

export function jobsSpec(prompt: string): VideoSpec {
  return { api: 'jobs', prompt, width: 480, height: 480, nSeconds: 1, nVariants: 1 };
}
