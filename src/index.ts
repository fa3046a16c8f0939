/**
 * The one place every function is registered. `package.json` `main` points at
 * this file's build output, so `func start`, Azure and the local host load
 * exactly the same registrations.
 */
import { app, type HttpMethod } from '@azure/functions';
import * as df from 'durable-functions';
import { createActivities } from './activities';
import { checkSettings, SETTINGS } from './config';
import { DURABLE_CLIENT_ACTIVITIES } from './activities/slot-activities';
import { BATCH_CLIENT_ACTIVITIES } from './activities/batch-activities';
import { createStartBatchFile } from './batch-files/start-batch-file';
import { dependencies } from './dependencies';
import { createCancelBatch } from './http/cancel-batch';
import { createCancelVideo } from './http/cancel-video';
import { createGetBatch } from './http/get-batch';
import { createGetCapacity } from './http/get-capacity';
import { createGetVideo } from './http/get-video';
import { createHealth } from './http/health';
import { checkHealth, HealthCache } from './http/health-check';
import { withProblems } from './http/with-problems';
import { createListVideos } from './http/list-videos';
import { createOpenApi } from './http/openapi';
import { createRemixVideo } from './http/remix-video';
import { createStartBatch } from './http/start-batch';
import { createStartVideo } from './http/start-video';
import { DEPLOYMENT_LIMITER, deploymentLimiter } from './entities/deployment-limiter';
import { JOB_DURATIONS, jobDurations } from './entities/job-durations';
import { API_ROUTE_PREFIX, BATCH_FILES_CONTAINER, FUNCTIONS, ROUTES, STUDIO_ROUTE } from './names';
import { videoBatch } from './orchestrations/video-batch';
import { videoGeneration } from './orchestrations/video-generation';
import { webhookDelivery } from './orchestrations/webhook-delivery';
import { EVENT_CLIENT_ACTIVITIES } from './activities/event-activities';
import { requestsQueueOf } from './events/event-settings';
import { createStartVideoFromQueue } from './queue/start-video-from-queue';
import { createStudio } from './studio/serve-studio';

// Request and response bodies stream (uploads go straight to Blob Storage)
// instead of being buffered whole by the host.
app.setup({ enableHttpStream: true });

const durableClient = df.input.durableClient();

/** Every API route: under api/, function key, the durable client as input, failures as problem+json. */
function route(name: string, path: string, method: HttpMethod, handler: Parameters<typeof withProblems>[0]): void {
  app.http(name, { route: `${API_ROUTE_PREFIX}/${path}`, methods: [method], authLevel: 'function', extraInputs: [durableClient], handler: withProblems(handler) });
}

route(FUNCTIONS.startVideo, ROUTES.videos, 'POST', createStartVideo(dependencies));
route(FUNCTIONS.listVideos, ROUTES.videos, 'GET', createListVideos(dependencies));
route(FUNCTIONS.getVideo, ROUTES.video, 'GET', createGetVideo(dependencies));
route(FUNCTIONS.cancelVideo, ROUTES.cancelVideo, 'POST', createCancelVideo());
route(FUNCTIONS.remixVideo, ROUTES.remixVideo, 'POST', createRemixVideo(dependencies));
route(FUNCTIONS.getCapacity, ROUTES.capacity, 'GET', createGetCapacity(dependencies));
route(FUNCTIONS.startBatch, ROUTES.batches, 'POST', createStartBatch(dependencies));
route(FUNCTIONS.getBatch, ROUTES.batch, 'GET', createGetBatch());
route(FUNCTIONS.cancelBatch, ROUTES.cancelBatch, 'POST', createCancelBatch());

// A JSON Lines file dropped into the batch files container starts a batch. Event Grid delivers the blob-created
// event (Flex Consumption has no polling blob trigger); infra/ subscribes the app, the local host emulates it.
app.storageBlob(FUNCTIONS.startBatchFile, {
  path: `${BATCH_FILES_CONTAINER}/{name}`,
  connection: SETTINGS.videoStorage,
  source: 'EventGrid',
  extraInputs: [durableClient],
  handler: createStartBatchFile(dependencies),
});

// Anonymous on purpose (monitors carry no key): the report holds states and setting names, nothing secret (http/health-check.ts).
const health = new HealthCache(() => checkHealth({ settings: () => checkSettings(process.env), deps: dependencies, now: Date.now }), Date.now);
app.http(FUNCTIONS.health, { route: `${API_ROUTE_PREFIX}/${ROUTES.health}`, methods: ['GET'], authLevel: 'anonymous', handler: withProblems(createHealth(health)) });

// Anonymous on purpose: the page holds no secret and asks for the API's key itself (studio/serve-studio.ts).
app.http(FUNCTIONS.studio, { route: STUDIO_ROUTE, methods: ['GET'], authLevel: 'anonymous', handler: withProblems(createStudio(dependencies)) });

// Anonymous like health: the contract holds routes and schemas, nothing secret (http/openapi.ts).
app.http(FUNCTIONS.openApi, { route: `${API_ROUTE_PREFIX}/${ROUTES.openApi}`, methods: ['GET'], authLevel: 'anonymous', handler: withProblems(createOpenApi()) });

// Pipelines: a message on the requests queue starts a request like POST /api/videos (src/queue/).
app.storageQueue(FUNCTIONS.startVideoFromQueue, { queueName: requestsQueueOf(process.env), connection: SETTINGS.videoStorage, extraInputs: [durableClient], handler: createStartVideoFromQueue(dependencies) });

df.app.orchestration(FUNCTIONS.videoGeneration, videoGeneration);
df.app.orchestration(FUNCTIONS.videoBatch, videoBatch);
df.app.orchestration(FUNCTIONS.webhookDelivery, webhookDelivery);
df.app.entity(DEPLOYMENT_LIMITER, deploymentLimiter);
df.app.entity(JOB_DURATIONS, jobDurations);

/** Activities that start, signal or read instances: they get the durable client as an input. */
const CLIENT_ACTIVITIES: readonly string[] = [...DURABLE_CLIENT_ACTIVITIES, ...BATCH_CLIENT_ACTIVITIES, ...EVENT_CLIENT_ACTIVITIES];

// Each activity is registered under its key in the factory: the names the orchestrator calls.
for (const [name, handler] of Object.entries(createActivities(dependencies))) {
  df.app.activity(name, { handler, ...(CLIENT_ACTIVITIES.includes(name) ? { extraInputs: [durableClient] } : {}) });
}
