/**
 * Every app setting, parsed and checked once, failing with a message that
 * names the setting. The names here are the single source of truth: they are
 * mirrored in local.settings.json.example and infra/, and tests hold the
 * copies together.
 */
import { z } from 'zod';
import type { SoraApi } from './sora/types';

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
  soraRequestTimeoutSeconds: 'SORA_REQUEST_TIMEOUT_SECONDS',
  managedIdentityClientId: 'AZURE_CLIENT_ID',
  videoStorage: 'VideoStorage',
  videoStorageBlobServiceUri: 'VideoStorage__blobServiceUri',
  videoStorageClientId: 'VideoStorage__clientId',
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
  inputMaxImageMiB: 'INPUT_MAX_IMAGE_MIB',
  inputMaxVideoMiB: 'INPUT_MAX_VIDEO_MIB',
  admissionCapacity: 'ADMISSION_CAPACITY',
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

export interface AppConfig {
  sora: {
    /** The API a request uses unless it asks for another. */
    api: SoraApi;
    endpoint: string;
    /** Deployment per API; the default API always has one, the other only when configured. */
    deployments: Partial<Record<SoraApi, string>>;
    auth: OpenAiAuth;
    apiVersion: string;
    requestTimeoutMs: number;
  };
  storage: {
    connection: StorageConnection;
    videosContainer: string;
    inputsContainer: string;
    /** The submission ledger and job claims: what each create attempt left at Sora. */
    ledgerContainer: string;
    blockSizeBytes: number;
    concurrency: number;
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
}

export const DEFAULT_OPENAI_SCOPE = 'https://cognitiveservices.azure.com/.default';
const DEFAULT_DEPLOYMENT: Record<SoraApi, string> = { jobs: 'sora', videos: 'sora-2' };

/** Thrown when a setting is missing or malformed; the message names it. */
export class ConfigError extends Error {
  override name = 'ConfigError';
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

const envSchema = z.object({
  [SETTINGS.openAiEndpoint]: httpsOrLocalUrl,
  [SETTINGS.openAiDeployment]: optionalText,
  [SETTINGS.openAiJobsDeployment]: optionalText,
  [SETTINGS.openAiVideosDeployment]: optionalText,
  [SETTINGS.openAiApiKey]: optionalText,
  [SETTINGS.openAiScope]: optionalText,
  [SETTINGS.openAiApiVersion]: z.string().default('preview'),
  [SETTINGS.soraApi]: z.enum(['jobs', 'videos'], "must be 'jobs' or 'videos'").default('jobs'),
  [SETTINGS.soraRequestTimeoutSeconds]: positiveNumber(30),
  [SETTINGS.managedIdentityClientId]: optionalText,
  [SETTINGS.videoStorage]: optionalText,
  [SETTINGS.videoStorageBlobServiceUri]: optionalText.pipe(httpsOrLocalUrl.optional()),
  [SETTINGS.videoStorageClientId]: optionalText,
  [SETTINGS.videosContainer]: containerName('videos'),
  [SETTINGS.inputsContainer]: containerName('video-inputs'),
  [SETTINGS.ledgerContainer]: containerName('sora-ledger'),
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
});

/** Parses settings from an environment; throws {@link ConfigError} naming every bad setting. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${String(i.path[0])} ${i.message}`);
    throw new ConfigError(`Invalid app settings: ${problems.join('; ')}`);
  }
  const s = parsed.data;
  if (s.POLL_MIN_SECONDS > s.POLL_MAX_SECONDS) {
    throw new ConfigError(`Invalid app settings: ${SETTINGS.pollMinSeconds} must not exceed ${SETTINGS.pollMaxSeconds}`);
  }
  const api = s.SORA_API;
  const identityClientId = s.AZURE_CLIENT_ID;
  return {
    sora: {
      api,
      endpoint: s.AZURE_OPENAI_ENDPOINT,
      deployments: {
        jobs: s.AZURE_OPENAI_JOBS_DEPLOYMENT ?? (api === 'jobs' ? (s.AZURE_OPENAI_DEPLOYMENT ?? DEFAULT_DEPLOYMENT.jobs) : undefined),
        videos: s.AZURE_OPENAI_VIDEOS_DEPLOYMENT ?? (api === 'videos' ? (s.AZURE_OPENAI_DEPLOYMENT ?? DEFAULT_DEPLOYMENT.videos) : undefined),
      },
      auth: s.AZURE_OPENAI_API_KEY
        ? { kind: 'apiKey', apiKey: s.AZURE_OPENAI_API_KEY }
        : { kind: 'identity', clientId: identityClientId, scope: s.AZURE_OPENAI_SCOPE ?? DEFAULT_OPENAI_SCOPE },
      apiVersion: s.AZURE_OPENAI_API_VERSION,
      requestTimeoutMs: s.SORA_REQUEST_TIMEOUT_SECONDS * 1000,
    },
    storage: {
      connection: storageConnection(s.VideoStorage, s.VideoStorage__blobServiceUri, s.VideoStorage__clientId ?? identityClientId),
      videosContainer: s.VIDEOS_CONTAINER,
      inputsContainer: s.INPUTS_CONTAINER,
      ledgerContainer: s.LEDGER_CONTAINER,
      blockSizeBytes: Math.round(s.STORE_BLOCK_SIZE_MIB * 1024 * 1024),
      concurrency: s.STORE_CONCURRENCY,
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
  };
}

/** The Functions identity convention: a connection string, or `__blobServiceUri` with managed identity. */
function storageConnection(connectionString: string | undefined, blobServiceUri: string | undefined, clientId: string | undefined): StorageConnection {
  if (connectionString) return { kind: 'connectionString', connectionString };
  if (blobServiceUri) return { kind: 'identity', blobServiceUri, clientId };
  throw new ConfigError(
    `Invalid app settings: set ${SETTINGS.videoStorage} (a connection string, e.g. UseDevelopmentStorage=true for Azurite) or ${SETTINGS.videoStorageBlobServiceUri} (with a managed identity)`,
  );
}

let cached: AppConfig | undefined;

/** The app's settings, parsed on first use so a bad setting fails the first request with its name. */
export function getConfig(): AppConfig {
  cached ??= loadConfig();
  return cached;
}
