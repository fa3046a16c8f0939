/**
 * The one place every function is registered. `package.json` `main` points at
 * this file's build output, so `func start`, Azure and the local host load
 * exactly the same registrations.
 */
import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { createInputActivities } from './activities/input-activities';
import { createSoraActivities } from './activities/sora-activities';
import { createStoreActivities } from './activities/store-activities';
import { dependencies } from './dependencies';
import { createCancelVideo } from './http/cancel-video';
import { createGetVideo } from './http/get-video';
import { withProblems } from './http/handler';
import { createListVideos } from './http/list-videos';
import { createRemixVideo } from './http/remix-video';
import { createStartVideo } from './http/start-video';
import { FUNCTIONS, ROUTES } from './names';
import { videoGeneration } from './orchestrations/video-generation';
import type { SoraApi } from './sora/types';

// Request and response bodies stream (uploads go straight to Blob Storage)
// instead of being buffered whole by the host.
app.setup({ enableHttpStream: true });

const durableClient = df.input.durableClient();
const soraFor = (api: SoraApi) => dependencies().soraFor(api);

app.http(FUNCTIONS.startVideo, {
  route: ROUTES.videos,
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: withProblems(createStartVideo(dependencies)),
});
app.http(FUNCTIONS.listVideos, {
  route: ROUTES.videos,
  methods: ['GET'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: withProblems(createListVideos()),
});
app.http(FUNCTIONS.getVideo, {
  route: ROUTES.video,
  methods: ['GET'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: withProblems(createGetVideo(dependencies)),
});
app.http(FUNCTIONS.cancelVideo, {
  route: ROUTES.cancelVideo,
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: withProblems(createCancelVideo()),
});

app.http(FUNCTIONS.remixVideo, {
  route: ROUTES.remixVideo,
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: withProblems(createRemixVideo(dependencies)),
});

df.app.orchestration(FUNCTIONS.videoGeneration, videoGeneration);

const inputs = createInputActivities(() => dependencies().blobService);
df.app.activity(FUNCTIONS.deleteInputs, { handler: inputs.deleteInputs });

const sora = createSoraActivities(soraFor, inputs.openInput);
df.app.activity(FUNCTIONS.submitVideoJob, { handler: sora.submitVideoJob });
df.app.activity(FUNCTIONS.getVideoJob, { handler: sora.getVideoJob });
df.app.activity(FUNCTIONS.cancelVideoJob, { handler: sora.cancelVideoJob });

const store = createStoreActivities({
  soraFor,
  blobService: () => dependencies().blobService,
  blockSizeBytes: () => dependencies().config.storage.blockSizeBytes,
  concurrency: () => dependencies().config.storage.concurrency,
});
df.app.activity(FUNCTIONS.storeVideo, { handler: store.storeVideo });
df.app.activity(FUNCTIONS.writeManifest, { handler: store.writeManifest });
