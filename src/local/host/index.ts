import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { DurableClient } from 'durable-functions';
import type { Clock } from '../clock';
import { applyAppSettings, readHostJson } from './app-settings';
import { BlobEventSource } from './blob-events';
import { bodySizeLimitFromSettings } from './body-size-limit';
import { durableClientData, type DurableClientData } from './client-binding';
import { createRealClock, createTimeSkippingClock, type HostClock } from './clock';
import { installCoreStub, programmingModel, registeredHooks, setCoreLog } from './core-stub';
import { catalogFunctions, type FunctionListing } from './functions';
import { createRequestHandler } from './http-server';
import { Invoker } from './invoke';
import { IdleTracker } from './idle-tracker';
import { loadApp, resolveEntryFiles } from './loader';
import type { HostChaos } from './orchestration/chaos';
import { OrchestrationEngine } from './orchestration/engine';
import { readQueueOptions, type QueueOptions } from './queues/queue-options';
import { queueTriggerSource } from './queues/queue-sources';
import { QueueTriggerListener } from './queues/queue-trigger';
import { memoryOnlyJournal, type InstanceJournal } from './persistence/instance-journal';
import { TableInstanceJournal } from './persistence/table-journal';
import { InMemoryInstanceStore } from './store';

export type { HostClock } from './clock';
export type { FunctionListing } from './functions';
export type { ActivityResultInfo, HostChaos } from './orchestration/chaos';
export type { QueueOptions } from './queues/queue-options';

/** Where durable state lives: in memory (gone with the process), or in the task hub's tables at `AzureWebJobsStorage`. */
export type InstanceStoreKind = 'memory' | 'table';

/** The app setting naming the storage account of the task hub, as the Functions host reads it. */
const HOST_STORAGE_SETTING = 'AzureWebJobsStorage';

export interface LocalHostOptions {
  /** Directory with a package.json whose `main` (file or glob) is loaded, like the worker. */
  appDir?: string;
  /** Or an absolute path of one entry module (instead of appDir). */
  entry?: string;
  /** Default 7071; 0 = any free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  hostname?: string;
  /** Default false: when true the clock jumps to the next due timer whenever the host is idle. */
  timeSkipping?: boolean;
  /** App settings, put into process.env before the app loads (override local.settings.json). */
  settings?: Record<string, string>;
  /** Default 10. */
  maxConcurrentActivityFunctions?: number;
  /** Default: host.json extensions.durableTask.hubName, else 'TestHubName'. */
  taskHubName?: string;
  /**
   * Default 'memory'. 'table' keeps instances in the task hub's tables
   * (`{hub}Instances`, `{hub}History`) in the Table storage that the
   * `AzureWebJobsStorage` setting names (Azurite locally): a new host on the
   * same tables resumes every unfinished instance.
   */
  store?: InstanceStoreKind;
  /** Failures to inject (tests): e.g. lose activity results so the host runs them again. */
  chaos?: HostChaos;
  /**
   * Default 1000. How often (real milliseconds) the containers of Event Grid blob triggers are looked at for
   * new or changed blobs (Azurite raises no events: blob-events.ts); 0 = only when `deliverBlobEvents()` is called.
   */
  blobEventPollMs?: number;
  /** Win over host.json `extensions.queues` (e.g. a short `maxPollingIntervalMs` for tests). */
  queues?: Partial<QueueOptions>;
  /** Default console.log. */
  log?: (line: string) => void;
}

export interface LocalHost {
  /** 'http://127.0.0.1:PORT' */
  baseUrl: string;
  /** The clock durable timers run on; share it with the Sora emulator in tests. */
  clock: HostClock & Clock;
  /** A real durable-functions DurableClient bound to this host (as df.getClient would give). */
  client: DurableClient;
  /** What was registered. */
  functions: FunctionListing[];
  /** host.json's extensions.http.routePrefix (`api` when unset): HTTP functions are served under it. */
  routePrefix: string;
  /**
   * Resolves when no episode, activity or durable API request is in flight and no timer is due
   * (with time skipping, unless paused: when no timer is left).
   */
  waitForIdle(): Promise<void>;
  /**
   * With time skipping: the clock stops jumping ahead, even when the host is idle, until the matching
   * `resumeTimeSkipping()`; real time still flows. Lets a test act on an instance before its timer fires.
   * Pauses nest. Without time skipping the clock never jumps anyway.
   */
  pauseTimeSkipping(): void;
  /** Ends one `pauseTimeSkipping()`; once none is left, an idle host skips to its next timer again. Throws without a pause. */
  resumeTimeSkipping(): void;
  /**
   * Looks at the containers of the app's Event Grid blob triggers now and invokes each trigger for every blob
   * created or changed since its last delivery; resolves once they ran, with how many succeeded.
   */
  deliverBlobEvents(): Promise<number>;
  close(): Promise<void>;
}

// Installed on import: @azure/functions caches its one look-up of the worker's
// core module, so the stand-in must be in place before anything registers.
installCoreStub();

const DEFAULT_TASK_HUB = 'TestHubName';
/** System messages of the library worth showing; its debug chatter is not. */
const SHOWN_SYSTEM_LEVELS = new Set(['warning', 'error', 'critical']);

/**
 * Starts a local Functions + Durable host for one app. The app's modules are
 * loaded into this process (one app at a time; a later host re-loads the app's
 * own modules so it registers again).
 */
export async function startLocalHost(options: LocalHostOptions = {}): Promise<LocalHost> {
  const log = options.log ?? ((line: string) => { console.log(line); });
  const appDir = options.entry === undefined ? path.resolve(options.appDir ?? process.cwd()) : options.appDir;
  const entryFiles = options.entry === undefined ? resolveEntryFiles(appDir ?? process.cwd()) : [path.resolve(options.entry)];
  applyAppSettings(appDir, options.settings ?? {});
  // Read from the app settings, as the Functions host reads it.
  const bodySizeLimit = bodySizeLimitFromSettings();
  const hostJson = readHostJson(appDir);
  const taskHubName = options.taskHubName ?? settingReference(hostJson.hubName) ?? DEFAULT_TASK_HUB;

  setCoreLog((level, _category, message) => {
    if (SHOWN_SYSTEM_LEVELS.has(level)) log(`[functions] ${message}`);
  });
  const app = loadApp(entryFiles);
  const catalog = catalogFunctions(app.registrations);
  for (const message of catalog.unsupported) log(`Warning: ${message}`);
  for (const hook of registeredHooks()) log(`Warning: a '${hook}' hook is registered; the local host does not run hooks.`);

  // Filled in once the port is known; no function runs before that.
  const clientBinding: { data?: DurableClientData } = {};
  const invoker = new Invoker(programmingModel, log, (type) => {
    const isClient = type === 'durableClient' || type === 'orchestrationClient';
    return isClient && clientBinding.data !== undefined ? { json: JSON.stringify(clientBinding.data) } : undefined;
  });
  const clock = options.timeSkipping === true ? createTimeSkippingClock() : createRealClock();
  const idle = new IdleTracker(clock);
  const engine = new OrchestrationEngine({
    store: new InMemoryInstanceStore(),
    journal: await openJournal(options.store ?? 'memory', taskHubName, log),
    clock,
    idle,
    invoker,
    catalog,
    log,
    maxConcurrentActivityFunctions: options.maxConcurrentActivityFunctions ?? 10,
    chaos: options.chaos,
  });
  // Before the first request: what was running when the last host stopped carries on.
  const restored = await engine.restore();
  if (options.store === 'table') {
    log(`Durable state: task hub '${taskHubName}' in Table storage; ${restored.loaded} instances, ${restored.resumed} resumed.`);
  }
  // Asked after loading, as the worker does; it starts the library's proxy when the app enabled streaming.
  const capabilities = await programmingModel().getCapabilities({});
  let baseUrl = '';
  const server = createServer(
    createRequestHandler({
      durableApi: { engine, idle, taskHubName, baseUrl: () => baseUrl, chaos: options.chaos },
      invoker,
      httpFunctions: catalog.http,
      routePrefix: hostJson.routePrefix,
      streamProxyUrl: capabilities.HttpUri,
      bodySizeLimit,
      log,
    }),
  );
  const hostname = options.hostname ?? '127.0.0.1';
  await listen(server, options.port ?? 7071, hostname);
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${hostname}:${port}`;
  // durable-functions rewrites client URLs to localhost:7071 unless WEBSITE_HOSTNAME names the host, as Azure sets it.
  if (options.settings?.WEBSITE_HOSTNAME === undefined) process.env.WEBSITE_HOSTNAME = `${hostname}:${port}`;
  clientBinding.data = durableClientData(baseUrl, taskHubName);
  const client = durableClientFor(app.appRequire, clientBinding.data);
  // Once the client binding is known: a blob trigger may start orchestrations.
  const blobEvents = new BlobEventSource({ functions: catalog.blobTriggers, invoker, idle, pollMs: options.blobEventPollMs ?? 1000, log });
  // Queue triggers poll once the host can serve what their functions call (the durable client's URLs).
  const queueOptions = readQueueOptions(appDir, options.queues);
  const queueListeners: QueueTriggerListener[] = [];
  for (const { registration, trigger } of catalog.queues) {
    try {
      queueListeners.push(new QueueTriggerListener(queueTriggerSource(registration, trigger), { invoker, idle, options: queueOptions, log }));
    } catch (error) {
      // As the Functions host: a function it cannot bind is in error and not served; the others run.
      log(`Warning: Function '${registration.metadata.name}' (queueTrigger) is in error and not served: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  for (const listener of queueListeners) listener.start();

  return {
    baseUrl,
    clock,
    client,
    functions: catalog.listing,
    routePrefix: hostJson.routePrefix,
    waitForIdle: () => idle.waitForIdle(),
    pauseTimeSkipping: () => {
      idle.pauseTimeSkipping();
    },
    resumeTimeSkipping: () => {
      idle.resumeTimeSkipping();
    },
    deliverBlobEvents: () => blobEvents.deliverNow(),
    close: async () => {
      await blobEvents.close();
      await Promise.all(queueListeners.map((listener) => listener.stop()));
      await engine.close();
      clock.dispose();
      idle.close();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error === undefined) resolve();
          else reject(error);
        });
      });
    },
  };
}

function openJournal(kind: InstanceStoreKind, taskHubName: string, log: (line: string) => void): Promise<InstanceJournal> {
  if (kind === 'memory') return Promise.resolve(memoryOnlyJournal);
  const connection = process.env[HOST_STORAGE_SETTING];
  if (connection === undefined || connection === '') {
    throw new Error(`The table store needs the ${HOST_STORAGE_SETTING} setting: a connection string to the task hub's storage.`);
  }
  return TableInstanceJournal.open(connection, taskHubName, log);
}

/** host.json may name the hub through an app setting: `%MyTaskHub%`. */
function settingReference(value: string | undefined): string | undefined {
  const reference = value === undefined ? undefined : /^%(.+)%$/.exec(value)?.[1];
  return reference === undefined ? value : process.env[reference];
}

function listen(server: Server, port: number, hostname: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** The client df.getClient builds from a durableClient binding, from the app's own durable-functions. */
function durableClientFor(appRequire: NodeJS.Require, data: DurableClientData): DurableClient {
  const df = appRequire('durable-functions') as typeof import('durable-functions');
  const binding = { type: 'durableClient', name: 'localHostClient' };
  const context = { options: { extraInputs: [binding] }, extraInputs: { get: () => data } };
  return df.getClient(context as unknown as Parameters<typeof df.getClient>[0]);
}
