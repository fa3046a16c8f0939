/**
 * Blob-created events for Event Grid blob triggers. Azurite raises no events,
 * so the host watches each trigger's container instead: it lists the blobs,
 * and every blob whose name is new or whose etag changed since its last
 * delivery is one BlobCreated event (an upload over an existing blob is a new
 * event in Azure too). What was delivered is remembered per function in a
 * small JSON blob in `azure-webjobs-hosts` (where the Functions host keeps
 * its own blob trigger state), so a restarted host does not deliver
 * everything again. Delivery is at least once: a host that stops between an
 * invocation and saving the mark delivers that blob again, as Event Grid may.
 *
 * A failed invocation is delivered again at the next look, at most
 * {@link MAX_DELIVERIES} times in all (the blob trigger's default
 * `maxDequeueCount`); then the host logs that it gives the event up.
 *
 * Looking happens every `pollMs` on the real clock and whenever
 * `deliverNow()` is called (tests: after an upload, deliver, then assert).
 * Only an invocation counts as work for time skipping; looking does not, so
 * a watcher with nothing to deliver never holds `waitForIdle()` back.
 */
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { bindingDataOf, blobTriggerMetadata, listingPrefix, type BlobTriggerFunction } from './blob-trigger';
import type { IdleTracker } from './idle-tracker';
import type { Invoker } from './invoke';

/** Deliveries of one blob version before the host gives it up. */
export const MAX_DELIVERIES = 5;

/** Where delivered versions are remembered: the Functions host's own container for blob trigger state. */
const STATE_CONTAINER = 'azure-webjobs-hosts';
const HOST_STORAGE_SETTING = 'AzureWebJobsStorage';

export interface BlobEventOptions {
  functions: BlobTriggerFunction[];
  invoker: Invoker;
  idle: IdleTracker;
  /** How often to look on the real clock; 0 = only when `deliverNow()` is called. */
  pollMs: number;
  log: (line: string) => void;
}

/** One function's watch: its container and what was delivered (blob name → etag). */
interface Watch {
  fn: BlobTriggerFunction;
  container: ContainerClient;
  state: ContainerClient;
  delivered: Map<string, string> | undefined;
  /** Failed deliveries per blob version (`name@etag`). */
  failures: Map<string, number>;
}

export class BlobEventSource {
  readonly #watches: Watch[];
  readonly #options: BlobEventOptions;
  readonly #timer: NodeJS.Timeout | undefined;
  /** Looks run one after another, so a blob is never delivered twice at once. */
  #looking: Promise<number> = Promise.resolve(0);
  #busy = false;
  #closed = false;

  constructor(options: BlobEventOptions) {
    this.#options = options;
    this.#watches = options.functions.flatMap((fn) => {
      const service = serviceFor(fn, options.log);
      return service ? [{ fn, container: service.getContainerClient(fn.container), state: service.getContainerClient(STATE_CONTAINER), delivered: undefined, failures: new Map() }] : [];
    });
    if (options.pollMs > 0 && this.#watches.length > 0) {
      this.#timer = setInterval(() => {
        // A look still running covers this tick.
        if (this.#busy) return;
        this.deliverNow().catch((error: unknown) => {
          options.log(`Blob events: a look at the containers failed: ${error instanceof Error ? error.message : String(error)}`);
        });
      }, options.pollMs);
      // The watcher alone never keeps the process alive.
      this.#timer.unref();
    }
  }

  /** Looks at every watched container now and delivers what is new; resolves with how many invocations succeeded. */
  deliverNow(): Promise<number> {
    this.#busy = true;
    const look = this.#looking.catch(() => 0).then(() => (this.#closed ? 0 : this.#lookOnce()));
    this.#looking = look;
    const done = (): void => {
      if (this.#looking === look) this.#busy = false;
    };
    look.then(done, done);
    return look;
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#looking.catch(() => undefined);
  }

  async #lookOnce(): Promise<number> {
    let delivered = 0;
    for (const watch of this.#watches) delivered += await this.#lookAt(watch);
    return delivered;
  }

  async #lookAt(watch: Watch): Promise<number> {
    if (!(await watch.container.exists())) return 0;
    const seen = (watch.delivered ??= await loadDelivered(watch));
    let delivered = 0;
    for await (const blob of watch.container.listBlobsFlat({ prefix: listingPrefix(watch.fn), includeMetadata: true })) {
      const etag = bareEtag(blob.properties.etag);
      if (seen.get(blob.name) === etag) continue;
      const bindingData = bindingDataOf(watch.fn, blob.name);
      if (bindingData === undefined) continue;
      if (await this.#deliver(watch, seen, { name: blob.name, etag, metadata: blob.metadata }, bindingData)) delivered++;
      if (this.#closed) break;
    }
    return delivered;
  }

  /** One BlobCreated event: the function runs with the blob's content; the version is marked once it ran or was given up. */
  async #deliver(watch: Watch, seen: Map<string, string>, listed: { name: string; etag: string; metadata: Record<string, string> | undefined }, bindingData: Record<string, string>): Promise<boolean> {
    const { fn } = watch;
    const { name, metadata } = listed;
    const blob = watch.container.getBlobClient(name);
    let content: Buffer;
    let properties: Record<string, unknown>;
    let etag: string;
    try {
      const downloaded = await blob.download();
      content = await streamToBuffer(downloaded.readableStreamBody);
      properties = { ContentLength: downloaded.contentLength, ContentType: downloaded.contentType, ETag: downloaded.etag, LastModified: downloaded.lastModified?.toISOString() };
      // Changed between listing and reading: the newer version is delivered, under its own etag.
      etag = downloaded.etag === undefined ? listed.etag : bareEtag(downloaded.etag);
    } catch (error) {
      // Deleted since it was listed: there is nothing to deliver.
      if (isNotFound(error)) return false;
      throw error;
    }
    const triggerMetadata = blobTriggerMetadata(fn, { name, url: blob.url, properties, metadata: metadata ?? {} }, bindingData);
    // The invocation is work in flight (time does not skip past it); looking at containers is not.
    const outcome = await this.#options.idle.track(() => this.#options.invoker.invoke(fn.registration, { bytes: content }, { triggerMetadata }));
    if (!outcome.ok) {
      const version = `${name}@${etag}`;
      const failures = (watch.failures.get(version) ?? 0) + 1;
      watch.failures.set(version, failures);
      const reason = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
      if (failures < MAX_DELIVERIES) {
        this.#options.log(`Blob events: '${fn.name}' failed on ${fn.container}/${name} (delivery ${failures} of ${MAX_DELIVERIES}; tried again at the next look): ${reason}`);
        return false;
      }
      this.#options.log(`Blob events: '${fn.name}' failed on ${fn.container}/${name} ${MAX_DELIVERIES} times; the event is given up: ${reason}`);
      watch.failures.delete(version);
    }
    seen.set(name, etag);
    await saveDelivered(watch, seen);
    return outcome.ok;
  }
}

/** The storage account a trigger's connection setting names: a connection string locally (Azurite). */
function serviceFor(fn: BlobTriggerFunction, log: (line: string) => void): BlobServiceClient | undefined {
  const setting = fn.connection === '' ? HOST_STORAGE_SETTING : fn.connection;
  const connectionString = process.env[setting] ?? process.env[`AzureWebJobs${setting}`];
  if (connectionString === undefined || connectionString === '') {
    log(`Warning: Function '${fn.name}' (blobTrigger) is not served: its connection setting '${setting}' holds no connection string.`);
    return undefined;
  }
  return BlobServiceClient.fromConnectionString(connectionString);
}

function stateBlobName(watch: Watch): string {
  return `blob-events/${watch.fn.name}/${watch.fn.container}.json`;
}

async function loadDelivered(watch: Watch): Promise<Map<string, string>> {
  try {
    const saved = await watch.state.getBlobClient(stateBlobName(watch)).downloadToBuffer();
    return new Map(Object.entries(JSON.parse(saved.toString('utf8')) as Record<string, string>));
  } catch (error) {
    if (isNotFound(error)) return new Map();
    throw error;
  }
}

async function saveDelivered(watch: Watch, delivered: Map<string, string>): Promise<void> {
  await watch.state.createIfNotExists();
  const text = JSON.stringify(Object.fromEntries(delivered));
  await watch.state.getBlockBlobClient(stateBlobName(watch)).upload(text, Buffer.byteLength(text), { blobHTTPHeaders: { blobContentType: 'application/json' } });
}

/** Listings give etags bare and downloads quoted (`"0x…"`); compared bare. */
function bareEtag(etag: string): string {
  return etag.replace(/^"(.*)"$/, '$1');
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { statusCode?: unknown }).statusCode === 404;
}

async function streamToBuffer(stream: NodeJS.ReadableStream | undefined): Promise<Buffer> {
  const chunks: Buffer[] = [];
  if (stream) for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}
