// Event Grid blob triggers on the local host against Azurite: each blob
// created (or uploaded over) in the trigger's container is delivered once
// through the same @azure/functions registration, with its content and
// binding data; a failing function is delivered again up to the blob
// trigger's limit; a restarted host does not deliver again what it delivered;
// and an idle watcher never holds waitForIdle() back. Deliveries are asked
// for with deliverBlobEvents(), so the tests order events without sleeping.
import { fileURLToPath } from 'node:url';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type Azurite } from '../../src/local/azurite';
import { MAX_DELIVERIES } from '../../src/local/host/blob-events';
import { startLocalHost, type LocalHost, type LocalHostOptions } from '../../src/local/host';

const APP = fileURLToPath(new URL('apps/blob-events.js', import.meta.url));

interface Call {
  stem: string;
  text: string;
  blobTrigger: string;
  uri: string;
  length: number;
}

const CALLS = Symbol.for('sora-orchestrator.test.blob-event-calls');
function calls(): Call[] {
  return ((globalThis as Record<symbol, Call[] | undefined>)[CALLS] ??= []);
}
function callsFor(stem: string): Call[] {
  return calls().filter((c) => c.stem === stem);
}

let azurite: Azurite;
let uploads: ContainerClient;
const hosts: LocalHost[] = [];
const logs: string[] = [];

beforeAll(async () => {
  azurite = await startAzurite();
  uploads = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('uploads');
  await uploads.createIfNotExists();
});
afterEach(async () => {
  for (const host of hosts.splice(0)) await host.close();
});
afterAll(async () => {
  await azurite.close();
});

async function startHost(options: Pick<LocalHostOptions, 'timeSkipping' | 'blobEventPollMs'> = {}): Promise<LocalHost> {
  const host = await startLocalHost({
    entry: APP,
    port: 0,
    log: (line) => logs.push(line),
    blobEventPollMs: 0,
    settings: { UploadStorage: azurite.connectionString, AzureWebJobsStorage: azurite.connectionString },
    ...options,
  });
  hosts.push(host);
  return host;
}

async function upload(name: string, text: string): Promise<void> {
  await uploads.getBlockBlobClient(name).upload(text, Buffer.byteLength(text));
}

describe('Event Grid blob triggers on the local host', () => {
  it('delivers each blob created under the path once, with its content and binding data', async () => {
    const host = await startHost();
    await upload('in/first.txt', 'hello');
    await upload('in/second.txt', 'world!');
    await upload('in/skipped.bin', 'not under the pattern');
    await upload('out/first.txt', 'not under the prefix');

    expect(await host.deliverBlobEvents()).toBe(2);
    expect(callsFor('first')).toEqual([{ stem: 'first', text: 'hello', blobTrigger: 'uploads/in/first.txt', uri: `${uploads.url}/in/first.txt`, length: 5 }]);
    expect(callsFor('second').map((c) => c.text)).toEqual(['world!']);
    expect(callsFor('skipped')).toEqual([]);
    // Nothing new: nothing delivered.
    expect(await host.deliverBlobEvents()).toBe(0);
    expect(callsFor('first')).toHaveLength(1);
    expect(logs.some((line) => line.includes("'polling' (blobTrigger) polls its container"))).toBe(true);
  });

  it('delivers an upload over an existing blob as a new event', async () => {
    const host = await startHost();
    await upload('in/again.txt', 'one');
    expect(await host.deliverBlobEvents()).toBe(1);
    await upload('in/again.txt', 'two');
    expect(await host.deliverBlobEvents()).toBe(1);
    expect(callsFor('again').map((c) => c.text)).toEqual(['one', 'two']);
  });

  it(`delivers a blob whose function fails again at each look, ${MAX_DELIVERIES} times in all`, async () => {
    const host = await startHost();
    await upload('in/fail-always.txt', 'x');
    for (let look = 0; look < MAX_DELIVERIES + 2; look++) expect(await host.deliverBlobEvents()).toBe(0);
    expect(callsFor('fail-always')).toHaveLength(MAX_DELIVERIES);
    expect(logs.some((line) => line.includes(`failed on uploads/in/fail-always.txt ${MAX_DELIVERIES} times; the event is given up`))).toBe(true);
  });

  it('does not deliver again after a restart what the last host delivered', async () => {
    const first = await startHost();
    await upload('in/before-restart.txt', 'old');
    expect(await first.deliverBlobEvents()).toBe(1);
    await first.close();
    hosts.splice(hosts.indexOf(first), 1);

    const second = await startHost();
    await upload('in/after-restart.txt', 'new');
    expect(await second.deliverBlobEvents()).toBe(1);
    expect(callsFor('before-restart')).toHaveLength(1);
    expect(callsFor('after-restart').map((c) => c.text)).toEqual(['new']);
  });

  it('watches on its own without holding waitForIdle() back, and what it starts runs under time skipping', async () => {
    const host = await startHost({ timeSkipping: true, blobEventPollMs: 20 });
    // Idle with the watcher running: resolves.
    await host.waitForIdle();
    await upload('in/watched.txt', 'seen by the watcher');
    const deadline = Date.now() + 10_000;
    while (callsFor('watched').length === 0) {
      if (Date.now() > deadline) throw new Error('the watcher never delivered in/watched.txt');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // The delivery started an orchestration with a one-hour timer: skipped, it completes.
    await host.waitForIdle();
    const started = (await host.client.getStatusAll()).filter((s) => s.name === 'afterUpload');
    expect(started.map((s) => [s.runtimeStatus, s.output])).toEqual([['Completed', 'watched']]);
    expect(callsFor('watched')).toHaveLength(1);
  });
});
