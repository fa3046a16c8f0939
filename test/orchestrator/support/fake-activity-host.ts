/**
 * The local host running the fake-activity app (../app, built into dist/ by
 * `npm run build:local`): the real videoGeneration orchestrator, activities
 * scripted per request by each test.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { VideoGenerationInput } from '../../../src/contracts/orchestration';
import { startLocalHost, type LocalHost } from '../../../src/local/host';
import { FUNCTIONS } from '../../../src/names';
import { scriptActivities, type ActivityCalls, type FakeActivities } from '../app/activity-fakes';

const APP_ENTRY = fileURLToPath(new URL('../../../dist/test/orchestrator/app/index.js', import.meta.url));

export function startFakeActivityHost(options: { timeSkipping: boolean }): Promise<LocalHost> {
  if (!existsSync(APP_ENTRY)) throw new Error(`${APP_ENTRY} is missing: run npm run build:local first (npm test does).`);
  return startLocalHost({ entry: APP_ENTRY, port: 0, timeSkipping: options.timeSkipping, log: () => undefined });
}

/**
 * Scripts the request's activities, then starts its orchestration as the
 * starter does (the instance id is the request id). Returns the activity
 * calls, recorded as the instance runs.
 */
export async function startRequest(host: LocalHost, input: VideoGenerationInput, fakes: FakeActivities): Promise<ActivityCalls> {
  const calls = scriptActivities(input, fakes);
  await host.client.startNew(FUNCTIONS.videoGeneration, { instanceId: input.requestId, input });
  return calls;
}
