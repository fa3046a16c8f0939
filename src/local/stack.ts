/**
 * The whole pipeline on one machine with no Azure: Azurite for Storage, the
 * Sora emulator for Azure OpenAI, and the local host running this app (or the
 * one in `appDir`, such as a staged deployment package). Used by
 * `npm run dev`, `npm run demo` and the integration tests.
 *
 * Each stand-in starts only when the settings do not point at the real
 * service: a storage connection other than Azurite's, or an Azure OpenAI
 * endpoint that is not on this machine, is used as is; so is a Sora emulator
 * already running at the configured local endpoint (its jobs then outlive a
 * restart of the stack).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkSettings, HOST_SETTINGS, requestBodyLimitFor, SETTINGS } from '../config';
import { startAzurite, type Azurite } from './azurite';
import { systemClock, type Clock } from './clock';
import { startLocalHost, type HostChaos, type InstanceStoreKind, type LocalHost, type QueueOptions } from './host';
import { startSoraEmulator, type SoraEmulator, type SoraEmulatorOptions } from './sora-emulator';
import { ADMIN_FAULTS_PATH } from './sora-emulator/admin';

/** The project root: the nearest folder up with a package.json (whose `main` is the app), from src/ or dist/src/. */
export const PROJECT_DIR = findProjectDir(__dirname);

function findProjectDir(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No package.json above ${from}`);
  }
}

/** Queue triggers answer within 2 s locally, rather than after the host's idle back-off of up to a minute. */
const LOCAL_MAX_QUEUE_POLLING_MS = 2000;

export interface LocalStackOptions {
  /** The Functions app the host runs: a folder whose package.json `main` registers it. Default: this project. */
  appDir?: string;
  /** Port of the local host; 0 = any free port. Default 7071. */
  port?: number;
  /** Port of the Sora emulator when it is started; 0 = any free port. Default 0. */
  emulatorPort?: number;
  /** Jump durable timers (and the emulator's clock) forward when idle. */
  timeSkipping?: boolean;
  /** Emulator options (job length, faults, block list…). */
  emulator?: Omit<SoraEmulatorOptions, 'port' | 'clock'>;
  /** Settings that win over local.settings.json and the environment. */
  settings?: Record<string, string>;
  /** Always start Azurite and the emulator, whatever local.settings.json and the environment say (tests). */
  standalone?: boolean;
  /** Keep Azurite's data in this folder instead of memory. */
  azuriteLocation?: string;
  /**
   * Default 'memory'. 'table': the host keeps durable state in the task hub's
   * tables in the Azurite this stack starts (with `azuriteLocation`, on disk
   * beside the blobs), so a restarted stack resumes what was running. Without
   * an Azurite of its own the state stays in memory: the stack never writes a
   * task hub into a real storage account.
   */
  instanceStore?: InstanceStoreKind;
  /** Failures the host injects (tests), e.g. activity results lost so the activity runs again. */
  chaos?: HostChaos;
  /** Over host.json `extensions.queues`; by default queues are polled at least every 2 s here (a laptop pays no transactions). */
  queues?: Partial<QueueOptions>;
  log?: (line: string) => void;
}

export interface LocalStack {
  /** The app's base URL, e.g. http://127.0.0.1:7071 (the API is under /api). */
  baseUrl: string;
  host: LocalHost;
  emulator: SoraEmulator | undefined;
  azurite: Azurite | undefined;
  /** The app settings the host runs with. */
  settings: Record<string, string>;
  /** The host's: time stops skipping ahead for the host and the emulator alike (they share the clock). */
  pauseTimeSkipping(): void;
  resumeTimeSkipping(): void;
  close(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log = options.log ?? (() => undefined);
  const appDir = options.appDir ?? PROJECT_DIR;
  const configured = options.standalone ? { ...options.settings } : { ...localSettings(appDir), ...definedEnv(), ...options.settings };
  const settings: Record<string, string> = { ...configured };
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closeOne of closers.reverse()) await closeOne();
  };

  try {
    let azurite: Azurite | undefined;
    if (usesAzurite(configured)) {
      azurite = await startAzurite({ location: options.azuriteLocation });
      closers.push(() => azurite?.close() ?? Promise.resolve());
      settings[HOST_SETTINGS.hostStorage] = azurite.connectionString;
      settings[SETTINGS.videoStorage] = azurite.connectionString;
      log(`Azurite: blob ${azurite.blobEndpoint}`);
    }

    // The emulator reads the host's clock, so skipped time passes for both.
    const started: { host?: LocalHost } = {};
    const clock: Clock = { now: () => (started.host?.clock ?? systemClock).now() };

    let emulator: SoraEmulator | undefined;
    if (await needsEmulator(configured)) {
      emulator = await startSoraEmulator({ ...options.emulator, port: options.emulatorPort ?? 0, clock, log });
      closers.push(() => emulator?.close() ?? Promise.resolve());
      // The emulator serves every API, so all are available; SORA_API picks the default. Unset, it is the jobs
      // API here (the app's own default is videos): the demo's and the tests' sizes and variants are the jobs API's.
      const api = configured[SETTINGS.soraApi] ?? 'jobs';
      settings[SETTINGS.soraApi] = api;
      settings[SETTINGS.openAiEndpoint] = emulator.endpoint;
      settings[SETTINGS.openAiApiKey] = emulator.apiKey;
      if (api === 'jobs' || api === 'videos') settings[SETTINGS.openAiDeployment] = emulator.deployments[api];
      settings[SETTINGS.openAiJobsDeployment] = emulator.deployments.jobs;
      settings[SETTINGS.openAiVideosDeployment] = emulator.deployments.videos;
      // Its OpenAI-compatible front too, unless an endpoint off this machine is configured for that API.
      if (isLocal(configured[SETTINGS.openAiCompatibleBaseUrl])) {
        settings[SETTINGS.openAiCompatibleBaseUrl] = emulator.openAiBaseUrl;
        settings[SETTINGS.openAiCompatibleApiKey] = emulator.apiKey;
        settings[SETTINGS.openAiCompatibleModel] = emulator.deployments.videos;
      }
      // The emulator's jobs are much quicker than the service's: tell the poll schedule.
      if (options.emulator?.timing !== 'service') settings[SETTINGS.pollExpectedJobSeconds] = String(options.emulator?.jobSeconds ?? 10);
    } else {
      log(`Azure OpenAI: ${configured[SETTINGS.openAiEndpoint] ?? ''}`);
    }

    // The host's body cap as infra/ sets it for a deployment: room for the largest upload the limits allow.
    const checked = checkSettings(settings);
    if (!settings[HOST_SETTINGS.requestBodySizeLimit] && checked.ok) {
      settings[HOST_SETTINGS.requestBodySizeLimit] = String(requestBodyLimitFor(checked.config.storage));
    }

    const store = options.instanceStore === 'table' && azurite !== undefined ? 'table' : 'memory';
    if (options.instanceStore === 'table' && store === 'memory') log('Durable state stays in memory: storage is not an Azurite of this stack.');
    const host = await startLocalHost({
      appDir,
      port: options.port ?? 7071,
      timeSkipping: options.timeSkipping ?? false,
      store,
      settings,
      chaos: options.chaos,
      queues: { maxPollingIntervalMs: LOCAL_MAX_QUEUE_POLLING_MS, ...options.queues },
      log,
    });
    started.host = host;
    closers.push(() => host.close());
    return {
      baseUrl: host.baseUrl,
      host,
      emulator,
      azurite,
      settings,
      pauseTimeSkipping: () => {
        host.pauseTimeSkipping();
      },
      resumeTimeSkipping: () => {
        host.resumeTimeSkipping();
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Azurite is needed unless video storage points somewhere real. It serves
 * `AzureWebJobsStorage` too: the task hub's tables when the host keeps
 * durable state there.
 */
function usesAzurite(settings: Record<string, string>): boolean {
  if (settings[SETTINGS.videoStorageBlobServiceUri]) return false;
  const connection = settings[SETTINGS.videoStorage] ?? '';
  return connection === '' || connection.includes('UseDevelopmentStorage=true') || /127\.0\.0\.1|localhost/.test(connection);
}

/**
 * The emulator is needed unless an Azure OpenAI endpoint off this machine is
 * configured, or a Sora emulator already answers at the local one.
 */
async function needsEmulator(settings: Record<string, string>): Promise<boolean> {
  const endpoint = settings[SETTINGS.openAiEndpoint];
  if (!endpoint) return true;
  if (!isLocal(endpoint)) return false;
  return !(await emulatorAnswers(endpoint));
}

/** Unset, or on this machine. */
function isLocal(url: string | undefined): boolean {
  if (!url) return true;
  const { hostname } = new URL(url);
  return hostname === '127.0.0.1' || hostname === 'localhost';
}

/** Whether a Sora emulator serves `endpoint`: its admin route answers (nothing listening fails fast). */
async function emulatorAnswers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(new URL(ADMIN_FAULTS_PATH, endpoint), { signal: AbortSignal.timeout(2000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** `Values` of local.settings.json, as `func start` reads them. */
function localSettings(dir: string): Record<string, string> {
  const file = path.join(dir, 'local.settings.json');
  if (!existsSync(file)) return {};
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { Values?: Record<string, string> };
  return parsed.Values ?? {};
}

/** Only the app's own settings from the environment, and only when set. */
function definedEnv(): Record<string, string> {
  const names: string[] = [...Object.values(SETTINGS), ...Object.values(HOST_SETTINGS)];
  return Object.fromEntries(names.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])));
}
