/**
 * Function, route and event names: the one place both hosts and the tests
 * read them from. Activity names are the keys of `createActivities`.
 */
export const FUNCTIONS = {
  startVideo: 'startVideo',
  getVideo: 'getVideo',
  listVideos: 'listVideos',
  cancelVideo: 'cancelVideo',
  videoGeneration: 'videoGeneration',
  remixVideo: 'remixVideo',
  health: 'health',
  getCapacity: 'getCapacity',
  openApi: 'openApi',
  startBatch: 'startBatch',
  getBatch: 'getBatch',
  cancelBatch: 'cancelBatch',
  videoBatch: 'videoBatch',
  startBatchFile: 'startBatchFile',
  startVideoFromQueue: 'startVideoFromQueue',
  webhookDelivery: 'webhookDelivery',
  studio: 'studio',
} as const;

/**
 * host.json's routePrefix is empty so the studio page can answer at `/`; the
 * API keeps its public paths by registering every route in {@link ROUTES}
 * under this prefix (src/index.ts).
 */
export const API_ROUTE_PREFIX = 'api';

/**
 * The studio page and its assets: any GET no API route takes. The host tries
 * literal segments before parameters and catch-alls, so `api/...` routes win.
 */
export const STUDIO_ROUTE = '{*path}';

/** Relative to {@link API_ROUTE_PREFIX}. */
export const ROUTES = {
  videos: 'videos',
  video: 'videos/{id}',
  cancelVideo: 'videos/{id}/cancel',
  remixVideo: 'videos/{id}/remix',
  health: 'health',
  capacity: 'capacity',
  openApi: 'openapi.json',
  batches: 'batches',
  batch: 'batches/{id}',
  cancelBatch: 'batches/{id}/cancel',
} as const;

/** The container a JSON Lines file is dropped into to start a batch (the blob-created trigger's path; infra/ creates it). */
export const BATCH_FILES_CONTAINER = 'video-requests';

/** External events the orchestrator listens for. */
export const EVENTS = {
  cancel: 'cancel',
  /** The deployment limiter granted the request a slot (raised by notifySlotGranted). */
  slotGranted: 'slotGranted',
} as const;
