/**
 * The one place every function is registered. `package.json` `main` points at
 * this file's build output, so `func start`, Azure and the local host load
 * exactly the same registrations.
 */
import { app, type HttpMethod } from '@azure/functions';
import * as df from 'durable-functions';
import { createActivities } from './activities';
import { checkSettings } from './config';
import { DURABLE_CLIENT_ACTIVITIES } from './activities/slot-activities';
import { dependencies } from './dependencies';
import { createCancelVideo } from './http/cancel-video';
import { createGetCapacity } from './http/get-capacity';
import { createGetVideo } from './http/get-video';
import { createHealth } from './http/health';
import { checkHealth, HealthCache } from './http/health-check';
import { withProblems } from './http/with-problems';
import { createListVideos } from './http/list-videos';
import { createRemixVideo } from './http/remix-video';
import { createStartVideo } from './http/start-video';
import { DEPLOYMENT_LIMITER, deploymentLimiter } from './entities/deployment-limiter';
import { API_ROUTE_PREFIX, FUNCTIONS, ROUTES, STUDIO_ROUTE } from './names';
import { videoGeneration } from './orchestrations/video-generation';
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
route(FUNCTIONS.listVideos, ROUTES.videos, 'GET', createListVideos());
route(FUNCTIONS.getVideo, ROUTES.video, 'GET', createGetVideo(dependencies));
route(FUNCTIONS.cancelVideo, ROUTES.cancelVideo, 'POST', createCancelVideo());
route(FUNCTIONS.remixVideo, ROUTES.remixVideo, 'POST', createRemixVideo(dependencies));
route(FUNCTIONS.getCapacity, ROUTES.capacity, 'GET', createGetCapacity(dependencies));

// Anonymous on purpose (monitors carry no key): the report holds states and setting names, nothing secret (http/health-check.ts).
const health = new HealthCache(() => checkHealth({ settings: () => checkSettings(process.env), deps: dependencies, now: Date.now }), Date.now);
app.http(FUNCTIONS.health, { route: `${API_ROUTE_PREFIX}/${ROUTES.health}`, methods: ['GET'], authLevel: 'anonymous', handler: withProblems(createHealth(health)) });

// Anonymous on purpose: the page holds no secret and asks for the API's key itself (studio/serve-studio.ts).
app.http(FUNCTIONS.studio, { route: STUDIO_ROUTE, methods: ['GET'], authLevel: 'anonymous', handler: withProblems(createStudio(dependencies)) });

df.app.orchestration(FUNCTIONS.videoGeneration, videoGeneration);
df.app.entity(DEPLOYMENT_LIMITER, deploymentLimiter);

// Each activity is registered under its key in the factory: the names the orchestrator calls.
for (const [name, handler] of Object.entries(createActivities(dependencies))) {
  df.app.activity(name, { handler, ...(DURABLE_CLIENT_ACTIVITIES.includes(name) ? { extraInputs: [durableClient] } : {}) });
}
