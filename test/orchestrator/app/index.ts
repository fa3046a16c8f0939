/**
 * A Functions app for orchestrator tests: the real videoGeneration
 * orchestrator and deployment limiter entity, every activity answered by the
 * fakes a test scripted for the request (./activity-fakes.ts) except the one
 * that wakes queued requests, which runs for real. Test-only: `npm run build:local` compiles it
 * into dist/test/, the deployed app never contains it.
 */
import * as df from 'durable-functions';
import { createSlotActivities } from '../../../src/activities/slot-activities';
import { DEPLOYMENT_LIMITER, deploymentLimiter } from '../../../src/entities/deployment-limiter';
import { FUNCTIONS } from '../../../src/names';
import { videoGeneration } from '../../../src/orchestrations/video-generation';
import { ACTIVITY_NAMES, answerActivity } from './activity-fakes';

df.app.orchestration(FUNCTIONS.videoGeneration, videoGeneration);
df.app.entity(DEPLOYMENT_LIMITER, deploymentLimiter);
df.app.activity('notifySlotGranted', { handler: createSlotActivities().notifySlotGranted, extraInputs: [df.input.durableClient()] });

for (const name of ACTIVITY_NAMES) {
  df.app.activity(name, { handler: (input: unknown) => answerActivity(name, input) });
}
