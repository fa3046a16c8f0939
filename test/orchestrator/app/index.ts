/**
 * A Functions app for orchestrator tests: the real videoGeneration
 * orchestrator, every activity answered by the fakes a test scripted for the
 * request (./activity-fakes.ts). Test-only: `npm run build:local` compiles it
 * into dist/test/, the deployed app never contains it.
 */
import * as df from 'durable-functions';
import { FUNCTIONS } from '../../../src/names';
import { videoGeneration } from '../../../src/orchestrations/video-generation';
import { ACTIVITY_NAMES, answerActivity } from './activity-fakes';

df.app.orchestration(FUNCTIONS.videoGeneration, videoGeneration);

for (const name of ACTIVITY_NAMES) {
  df.app.activity(name, { handler: (input: unknown) => answerActivity(name, input) });
}
