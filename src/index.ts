/**
 * The one place every function is registered. `package.json` `main` points at
 * this file's build output, so `func start`, Azure and the local host load
 * exactly the same registrations.
 */
import { app, type HttpMethod } from '@azure/functions';
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

/** Every route: function key, the durable client as input, failures as problem+json. */
function route(name: string, path: string, method: HttpMethod, handler: Parameters<typeof withProblems>[0]): void {
  app.http(name, { route: path, methods: [method], authLevel: 'function', extraInputs: [durableClient], handler: withProblems(handler) });
}

route(FUNCTIONS.startVideo, ROUTES.videos, 'POST', createStartVideo(dependencies));
route(FUNCTIONS.listVideos, ROUTES.videos, 'GET', createListVideos());
route(FUNCTIONS.getVideo, ROUTES.video, 'GET', createGetVideo(dependencies));
route(FUNCTIONS.cancelVideo, ROUTES.cancelVideo, 'POST', createCancelVideo());
route(FUNCTIONS.remixVideo, ROUTES.remixVideo, 'POST', createRemixVideo(dependencies));

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
