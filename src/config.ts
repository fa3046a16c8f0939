/**
 * Every app setting, parsed and checked once, failing with a message that
 * names the setting. The names here are the single source of truth: they are
 * mirrored in local.settings.json.example and infra/, and tests hold the
 * copies together.
 */
import { z } from 'zod';
import { EVENT_SETTINGS, eventsConfigOf, eventSettingsSchema, type EventsConfig } from './events/event-settings';
import { MAX_IMAGE_INPUTS, MAX_VIDEO_INPUTS } from './sora/rules';
import { SORA_APIS, type AzureSoraApi, type SoraApi } from './sora/types';

/** Setting names, exactly as they appear in app settings. */
export const SETTINGS = {
  openAiEndpoint: 'AZURE_OPENAI_ENDPOINT',
  openAiDeployment: 'AZURE_OPENAI_DEPLOYMENT',
  openAiJobsDeployment: 'AZURE_OPENAI_JOBS_DEPLOYMENT',
  openAiVideosDeployment: 'AZURE_OPENAI_VIDEOS_DEPLOYMENT',
  openAiApiKey: 'AZURE_OPENAI_API_KEY',
  openAiScope: 'AZURE_OPENAI_SCOPE',
  openAiApiVersion: 'AZURE_OPENAI_API_VERSION',
  soraApi: 'SORA_API',
  openAiCompatibleBaseUrl: 'OPENAI_BASE_URL',
  openAiCompatibleApiKey: 'OPENAI_API_KEY',
  openAiCompatibleModel: 'OPENAI_VIDEO_MODEL',
  soraRequestTimeoutSeconds: 'SORA_REQUEST_TIMEOUT_SECONDS',
  managedIdentityClientId: 'AZURE_CLIENT_ID',
  videoStorage: 'VideoStorage',
  videoStorageBlobServiceUri: 'VideoStorage__blobServiceUri',
  videoStorageClientId: 'VideoStorage__clientId',
  /** The same account's table endpoint, for the request index; derived from the blob endpoint when unset. */
  videoStorageTableServiceUri: 'VideoStorage__tableServiceUri',
  /** The table of requests that listing reads (src/storage/request-index.ts). */
  requestsTable: 'REQUESTS_TABLE',
  videosContainer: 'VIDEOS_CONTAINER',
  inputsContainer: 'INPUTS_CONTAINER',
  ledgerContainer: 'LEDGER_CONTAINER',
  pollMinSeconds: 'POLL_MIN_SECONDS',
  pollMaxSeconds: 'POLL_MAX_SECONDS',
  pollExpectedJobSeconds: 'POLL_EXPECTED_JOB_SECONDS',
  jobDeadlineMinutes: 'JOB_DEADLINE_MINUTES',
  linkTtlMinutes: 'LINK_TTL_MINUTES',
  storeBlockSizeMiB: 'STORE_BLOCK_SIZE_MIB',
  storeConcurrency: 'STORE_CONCURRENCY',
  storeMemoryBudgetMiB: 'STORE_MEMORY_BUDGET_MIB',
  inputMaxImageMiB: 'INPUT_MAX_IMAGE_MIB',
  inputMaxVideoMiB: 'INPUT_MAX_VIDEO_MIB',
  admissionCapacity: 'ADMISSION_CAPACITY',
  batchConcurrency: 'BATCH_CONCURRENCY',
  ...EVENT_SETTINGS,
} as const;

/**
 * Settings read by the Functions host rather than by our code (host.json
 * refers to them); listed so infra and local.settings.json.example can be
 * checked against one list.
 */
export const HOST_SETTINGS = {
  runtime: 'FUNCTIONS_WORKER_RUNTIME',
  hostStorage: 'AzureWebJobsStorage',
  taskHubName: 'DURABLE_TASK_HUB_NAME',
  /** The host's cap on HTTP request bodies (default 100 MiB); infra/ raises it to fit the upload limits. */
  requestBodySizeLimit: 'FUNCTIONS_REQUEST_BODY_SIZE_LIMIT',
} as const;

/** How the app reaches the video storage account. */
export type StorageConnection =
  | { kind: 'connectionString'; connectionString: string }
  | { kind: 'identity'; blobServiceUri: string; clientId: string | undefined };

/** How the app authenticates to Azure OpenAI. */
export type OpenAiAuth = { kind: 'apiKey'; apiKey: string } | { kind: 'identity'; clientId: string | undefined; scope: string };

/** An endpoint that speaks OpenAI's videos schema (the `openai` API). */
export interface OpenAiCompatibleEndpoint {
  /** The API root, e.g. `https://api.openai.com/v1`. */
  baseUrl: string;
  /** Sent as a bearer token. */
  apiKey: string;
}

export interface AppConfig {
  sora: {
    /** The API a request uses unless it asks for another. */
    api: SoraApi;
    /** The Azure OpenAI resource; undefined when no Azure API is configured (only `openai`). */
    endpoint: string | undefined;
    /** Deployment per API (for `openai`, the model name); the default API always has one, the others only when configured. */
    deployments: Partial<Record<SoraApi, string>>;
    /** The setting each deployment was read from: what a message tells the operator to change. */
    deploymentSettings: Partial<Record<SoraApi, string>>;
    auth: OpenAiAuth;
    apiVersion: string;
    requestTimeoutMs: number;
    /** The OpenAI-compatible endpoint, when one is configured. */
    openAi: OpenAiCompatibleEndpoint | undefined;
  };
  storage: {
    connection: StorageConnection;
    videosContainer: string;
    inputsContainer: string;
    /** The submission ledger and job claims: what each create attempt left at Sora. */
    ledgerContainer: string;
    blockSizeBytes: number;
    /** Byte ranges fetched at once per video. */
    concurrency: number;
    /** What all copies on this worker may hold in blocks at once, together. */
    memoryBudgetBytes: number;
    /** Largest accepted upload per media type. */
    maxImageBytes: number;
    maxVideoBytes: number;
  };
  /** `expectedJobMs` overrides the service's typical duration (e.g. for a fast local emulator). */
  poll: { minDelayMs: number; maxDelayMs: number; expectedJobMs: number | undefined };
  deadlineMs: number;
  linkTtlMs: number;
  /** Jobs each deployment runs at once, shared through its limiter entity; 0 turns admission off (submit and retry on 429). */
  admissionCapacity: number;
  /** The table of requests that listing reads, in the video storage account. */
  requestIndex: { table: string; connection: TableConnection };
  /** Requests of one batch that run at once (the limiter still decides when each reaches Sora). */
  batchConcurrency: number;
  /** Request and result queues, webhooks (src/events/event-settings.ts). */
  events: EventsConfig;
}

/** How the app reaches the request index's table: the video storage's connection string, or its table endpoint by identity. */
export type TableConnection =
  | { kind: 'connectionString'; connectionString: string }
  | { kind: 'identity'; tableServiceUri: string; clientId: string | undefined };

export const DEFAULT_OPENAI_SCOPE = 'https://cognitiveservices.azure.com/.default';

/**
 * Sora 2 (the videos API) by default: Microsoft's schedule no longer lists
 * `sora`, the model behind the jobs API. No deployment or model name has a
 * default: it is whatever the user deployed, and a guessed name only fails
 * later, at the first call, with a 404.
 */
const DEFAULT_SORA_API: SoraApi = 'videos';

const DEPLOYMENT_SETTING_OF: Record<AzureSoraApi, string> = { jobs: SETTINGS.openAiJobsDeployment, videos: SETTINGS.openAiVideosDeployment };

/** One setting that is missing or malformed: its name, and what is wrong (never its value, which may be a secret). */
export interface SettingProblem {
  setting: string;
  message: string;
}

/** Thrown when a setting is missing or malformed; the message names it, `problems` lists each one. */
export class ConfigError extends Error {
  override name = 'ConfigError';

  constructor(
    message: string,
    readonly problems: readonly SettingProblem[] = [],
  ) {
    super(message);
  }

  static of(problems: readonly SettingProblem[]): ConfigError {
    return new ConfigError(`Invalid app settings: ${problems.map((p) => `${p.setting} ${p.message}`).join('; ')}`, problems);
  }
}

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const httpsOrLocalUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).transform((v) => v.replace(/\/+$/, ''));

function positiveNumber(defaultValue: number) {
  return z.coerce.number('must be a number').positive('must be greater than 0').default(defaultValue);
}

const containerName = (defaultValue: string) =>
  z
    .string()
    .regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, 'must be a valid container name (3–63 lowercase letters, digits, single hyphens)')
    .default(defaultValue);

const optionalUrl = optionalText.pipe(httpsOrLocalUrl.optional());

const envSchema = z.object({
  [SETTINGS.openAiEndpoint]: optionalUrl,
  [SETTINGS.openAiDeployment]: optionalText,
  [SETTINGS.openAiJobsDeployment]: optionalText,
  [SETTINGS.openAiVideosDeployment]: optionalText,
  [SETTINGS.openAiApiKey]: optionalText,
  [SETTINGS.openAiScope]: optionalText,
  [SETTINGS.openAiApiVersion]: z.string().default('preview'),
  [SETTINGS.soraApi]: z.enum(SORA_APIS, `must be one of ${SORA_APIS.join(', ')}`).default(DEFAULT_SORA_API),
  [SETTINGS.openAiCompatibleBaseUrl]: optionalUrl,
  [SETTINGS.openAiCompatibleApiKey]: optionalText,
  [SETTINGS.openAiCompatibleModel]: optionalText,
  [SETTINGS.soraRequestTimeoutSeconds]: positiveNumber(30),
  [SETTINGS.managedIdentityClientId]: optionalText,
  [SETTINGS.videoStorage]: optionalText,
  [SETTINGS.videoStorageBlobServiceUri]: optionalUrl,
  [SETTINGS.videoStorageClientId]: optionalText,
  [SETTINGS.videosContainer]: containerName('videos'),
  [SETTINGS.inputsContainer]: containerName('video-inputs'),
  [SETTINGS.ledgerContainer]: containerName('sora-ledger'),
  [SETTINGS.videoStorageTableServiceUri]: optionalUrl,
  [SETTINGS.requestsTable]: z.string().regex(/^[A-Za-z][A-Za-z0-9]{2,62}$/, 'must be a valid table name (3–63 letters and digits, starting with a letter)').default('videorequests'),
  [SETTINGS.pollMinSeconds]: positiveNumber(5),
  [SETTINGS.pollMaxSeconds]: positiveNumber(60),
  [SETTINGS.pollExpectedJobSeconds]: optionalText.pipe(z.coerce.number<string | undefined>('must be a number').positive('must be greater than 0').optional()),
  [SETTINGS.jobDeadlineMinutes]: positiveNumber(30),
  [SETTINGS.linkTtlMinutes]: positiveNumber(60),
  [SETTINGS.storeBlockSizeMiB]: positiveNumber(8),
  [SETTINGS.inputMaxImageMiB]: positiveNumber(25),
  [SETTINGS.inputMaxVideoMiB]: positiveNumber(200),
  [SETTINGS.admissionCapacity]: z.coerce.number('must be a number').int('must be a whole number').min(0, 'must be 0 (off) or more').default(2),
  [SETTINGS.storeConcurrency]: z.coerce.number('must be a number').int('must be a whole number').min(1).max(16).default(4),
  [SETTINGS.storeMemoryBudgetMiB]: positiveNumber(64),
  [SETTINGS.batchConcurrency]: z.coerce.number('must be a number').int('must be a whole number').min(1, 'must be between 1 and 1000').max(1000, 'must be between 1 and 1000').default(10),
  ...eventSettingsSchema,
});

type Settings = z.output<typeof envSchema>;

/** Parses settings from an environment; throws {@link ConfigError} naming every bad setting. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const checked = checkSettings(env);
  if (!checked.ok) throw ConfigError.of(checked.problems);
  return checked.config;
}

export type SettingsCheck = { ok: true; config: AppConfig } | { ok: false; problems: SettingProblem[] };

/** Every setting checked at once: the config, or each bad setting by name (the health report lists them). */
export function checkSettings(env: NodeJS.ProcessEnv): SettingsCheck {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => ({ setting: String(i.path[0]), message: i.message })) };
  const s = parsed.data;
  const problems: SettingProblem[] = [];
  if (s.POLL_MIN_SECONDS > s.POLL_MAX_SECONDS) problems.push({ setting: SETTINGS.pollMinSeconds, message: `must not exceed ${SETTINGS.pollMaxSeconds}` });
  if (s.STORE_MEMORY_BUDGET_MIB < s.STORE_BLOCK_SIZE_MIB) problems.push({ setting: SETTINGS.storeMemoryBudgetMiB, message: `must hold at least one block of ${SETTINGS.storeBlockSizeMiB}` });
  const sora = soraSettings(s, problems);
  const connection = storageConnection(s.VideoStorage, s.VideoStorage__blobServiceUri, s.VideoStorage__clientId ?? s.AZURE_CLIENT_ID, problems);
  const tables = connection === undefined ? undefined : tableConnection(connection, s.VideoStorage__tableServiceUri, problems);
  if (problems.length > 0 || sora === undefined || connection === undefined || tables === undefined) return { ok: false, problems };
  return {
    ok: true,
    config: {
      sora,
      storage: {
        connection,
        videosContainer: s.VIDEOS_CONTAINER,
        inputsContainer: s.INPUTS_CONTAINER,
        ledgerContainer: s.LEDGER_CONTAINER,
        blockSizeBytes: Math.round(s.STORE_BLOCK_SIZE_MIB * 1024 * 1024),
        concurrency: s.STORE_CONCURRENCY,
        memoryBudgetBytes: Math.round(s.STORE_MEMORY_BUDGET_MIB * 1024 * 1024),
        maxImageBytes: Math.round(s.INPUT_MAX_IMAGE_MIB * 1024 * 1024),
        maxVideoBytes: Math.round(s.INPUT_MAX_VIDEO_MIB * 1024 * 1024),
      },
      poll: {
        minDelayMs: s.POLL_MIN_SECONDS * 1000,
        maxDelayMs: s.POLL_MAX_SECONDS * 1000,
        expectedJobMs: s.POLL_EXPECTED_JOB_SECONDS === undefined ? undefined : s.POLL_EXPECTED_JOB_SECONDS * 1000,
      },
      deadlineMs: s.JOB_DEADLINE_MINUTES * 60_000,
      linkTtlMs: s.LINK_TTL_MINUTES * 60_000,
      admissionCapacity: s.ADMISSION_CAPACITY,
      requestIndex: { table: s.REQUESTS_TABLE, connection: tables },
      batchConcurrency: s.BATCH_CONCURRENCY,
      events: eventsConfigOf(s),
    },
  };
}

/**
 * Which APIs the app can call and where. An Azure API is available when it
 * has a deployment: its own setting, or AZURE_OPENAI_DEPLOYMENT when it is
 * the default (SORA_API). The `openai` API is available when OPENAI_BASE_URL
 * is set, and then needs its key and model. The default API must be available.
 */
function soraSettings(s: Settings, problems: SettingProblem[]): AppConfig['sora'] | undefined {
  const api = s.SORA_API;
  const deployments: Partial<Record<SoraApi, string>> = {};
  const deploymentSettings: Partial<Record<SoraApi, string>> = {};
  const azure = (which: AzureSoraApi, own: string | undefined): void => {
    const name = own ?? (api === which ? s.AZURE_OPENAI_DEPLOYMENT : undefined);
    if (name === undefined) return;
    deployments[which] = name;
    deploymentSettings[which] = own === undefined ? SETTINGS.openAiDeployment : DEPLOYMENT_SETTING_OF[which];
  };
  azure('jobs', s.AZURE_OPENAI_JOBS_DEPLOYMENT);
  azure('videos', s.AZURE_OPENAI_VIDEOS_DEPLOYMENT);
  if (api !== 'openai' && deployments[api] === undefined) {
    problems.push({
      setting: SETTINGS.openAiDeployment,
      message: `is required: name your Azure OpenAI deployment of the ${api} API (${SETTINGS.soraApi}=${api}). There is no default: the model is yours to choose (az cognitiveservices model list -l <region> shows what a region offers)`,
    });
  }
  const usesAzure = api !== 'openai' || deployments.jobs !== undefined || deployments.videos !== undefined;
  if (usesAzure && s.AZURE_OPENAI_ENDPOINT === undefined) problems.push({ setting: SETTINGS.openAiEndpoint, message: 'is required: the Azure OpenAI resource of the deployments' });

  let openAi: OpenAiCompatibleEndpoint | undefined;
  const baseUrl = s.OPENAI_BASE_URL;
  if (baseUrl === undefined) {
    if (api === 'openai') problems.push({ setting: SETTINGS.openAiCompatibleBaseUrl, message: `is required with ${SETTINGS.soraApi}=openai: the API root of the OpenAI-compatible endpoint, e.g. https://api.openai.com/v1` });
  } else {
    const apiKey = s.OPENAI_API_KEY;
    const model = s.OPENAI_VIDEO_MODEL;
    if (apiKey === undefined) problems.push({ setting: SETTINGS.openAiCompatibleApiKey, message: `is required with ${SETTINGS.openAiCompatibleBaseUrl}: the key the endpoint takes as a bearer token` });
    if (model === undefined) problems.push({ setting: SETTINGS.openAiCompatibleModel, message: `is required with ${SETTINGS.openAiCompatibleBaseUrl}: the video model to ask for` });
    if (apiKey !== undefined && model !== undefined) {
      openAi = { baseUrl, apiKey };
      deployments.openai = model;
      deploymentSettings.openai = SETTINGS.openAiCompatibleModel;
    }
  }
  if (problems.length > 0) return undefined;
  return {
    api,
    endpoint: s.AZURE_OPENAI_ENDPOINT,
    deployments,
    deploymentSettings,
    auth: s.AZURE_OPENAI_API_KEY
      ? { kind: 'apiKey', apiKey: s.AZURE_OPENAI_API_KEY }
      : { kind: 'identity', clientId: s.AZURE_CLIENT_ID, scope: s.AZURE_OPENAI_SCOPE ?? DEFAULT_OPENAI_SCOPE },
    apiVersion: s.AZURE_OPENAI_API_VERSION,
    requestTimeoutMs: s.SORA_REQUEST_TIMEOUT_SECONDS * 1000,
    openAi,
  };
}

/** The Functions identity convention: a connection string, or `__blobServiceUri` with managed identity. */
function storageConnection(
  connectionString: string | undefined,
  blobServiceUri: string | undefined,
  clientId: string | undefined,
  problems: SettingProblem[],
): StorageConnection | undefined {
  if (connectionString) return { kind: 'connectionString', connectionString };
  if (blobServiceUri) return { kind: 'identity', blobServiceUri, clientId };
  problems.push({
    setting: SETTINGS.videoStorage,
    message: `is required: a connection string (e.g. UseDevelopmentStorage=true for Azurite), or set ${SETTINGS.videoStorageBlobServiceUri} (with a managed identity)`,
  });
  return undefined;
}

/**
 * The request index lives in the video storage account: its connection
 * string, or by identity its table endpoint — the setting, else the blob
 * endpoint's `.blob.` label turned into `.table.` (how Azure names them).
 */
function tableConnection(storage: StorageConnection, tableServiceUri: string | undefined, problems: SettingProblem[]): TableConnection | undefined {
  if (storage.kind === 'connectionString') return storage;
  const uri = tableServiceUri ?? (/^https?:\/\/[^/]+\.blob\./.test(storage.blobServiceUri) ? storage.blobServiceUri.replace('.blob.', '.table.') : undefined);
  if (uri !== undefined) return { kind: 'identity', tableServiceUri: uri, clientId: storage.clientId };
  problems.push({ setting: SETTINGS.videoStorageTableServiceUri, message: `is required: the table endpoint of the account ${SETTINGS.videoStorageBlobServiceUri} names (it has no .blob. label to derive it from)` });
  return undefined;
}

/**
 * The request body cap (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT) that fits the
 * largest upload the limits allow: every image and the video at their
 * limits, and 2 MiB for the form's other fields and part headers — the rule
 * infra/ applies for a deployment, and the local stack when the cap is unset.
 */
export function requestBodyLimitFor(storage: Pick<AppConfig['storage'], 'maxImageBytes' | 'maxVideoBytes'>): number {
  return MAX_IMAGE_INPUTS * storage.maxImageBytes + MAX_VIDEO_INPUTS * storage.maxVideoBytes + 2 * 1024 * 1024;
}

let cached: AppConfig | undefined;

/** The app's settings, parsed on first use so a bad setting fails the first request with its name. */
/** Every API the app has a deployment (or, for `openai`, a model) for, with its name. */
export function configuredDeployments(config: Pick<AppConfig, 'sora'>): { api: SoraApi; deployment: string }[] {
  return SORA_APIS.flatMap((api) => {
    const deployment = config.sora.deployments[api];
    return deployment === undefined ? [] : [{ api, deployment }];
  });
}

export function getConfig(): AppConfig {
  cached ??= loadConfig();
  return cached;
}
