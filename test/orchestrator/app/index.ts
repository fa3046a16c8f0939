/**
 * A Functions app for orchestrator tests: the real videoGeneration
 * orchestrator and deployment limiter entity, every activity answered by the
 * fakes a test scripted for the request (./activity-fakes.ts) except the two
 * that raise events (waking queued requests, cancelling a batch's requests),
 * which run for real; and the real videoBatch orchestrator over them. Test-only: `npm run build:local` compiles it
 * into dist/test/, the deployed app never contains it.
 */
import * as df from 'durable-functions';
import { createBatchActivities } from '../../../src/activities/batch-activities';
import { createSlotActivities } from '../../../src/activities/slot-activities';
import { DEPLOYMENT_LIMITER, deploymentLimiter } from '../../../src/entities/deployment-limiter';
import { FUNCTIONS } from '../../../src/names';
import { videoBatch } from '../../../src/orchestrations/video-batch';
import { videoGeneration } from '../../../src/orchestrations/video-generation';
import { ACTIVITY_NAMES, answerActivity } from './activity-fakes';

df.app.orchestration(FUNCTIONS.videoGeneration, videoGeneration);
df.app.entity(DEPLOYMENT_LIMITER, deploymentLimiter);
df.app.orchestration(FUNCTIONS.videoBatch, videoBatch);
df.app.activity('notifySlotGranted', { handler: createSlotActivities().notifySlotGranted, extraInputs: [df.input.durableClient()] });
df.app.activity('cancelVideoRequests', { handler: createBatchActivities().cancelVideoRequests, extraInputs: [df.input.durableClient()] });

for (const name of ACTIVITY_NAMES) {
  df.app.activity(name, { handler: (input: unknown) => answerActivity(name, input) });
}
