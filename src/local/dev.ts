/**
 * `npm run dev -- [--port N] [--emulator-port N] [--time-skipping]
 * [--azurite-location DIR] [--store table|memory]` — the app on this machine
 * with no Azure: Azurite (unless storage settings point elsewhere) with its
 * data in `.azurite/`, the Sora emulator on port 8090 (unless an Azure OpenAI
 * endpoint is configured, or an emulator already answers there) and the local
 * host on port 7071. Durable state lives in Azurite's tables beside the
 * blobs, so stopping the process — even killing it — and starting it again
 * carries on with every request. Ctrl-C stops all of it.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { keepServingOnUncaughtErrors } from './keep-serving';
import { PROJECT_DIR, startLocalStack } from './stack';
import { stopOnSignal } from './stop-on-signal';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '7071' },
      'emulator-port': { type: 'string', default: '8090' },
      'time-skipping': { type: 'boolean', default: false },
      'azurite-location': { type: 'string', default: path.join(PROJECT_DIR, '.azurite') },
      store: { type: 'string', default: 'table' },
    },
  });
  const store = values.store;
  if (store !== 'table' && store !== 'memory') throw new Error(`--store must be 'table' or 'memory', got '${store}'.`);
  const stack = await startLocalStack({
    port: Number(values.port),
    emulatorPort: Number(values['emulator-port']),
    timeSkipping: values['time-skipping'],
    azuriteLocation: path.resolve(values['azurite-location']),
    instanceStore: store,
    log: (line) => {
      console.log(line);
    },
  });
  // Once serving, not before: a start that fails should still end the process.
  keepServingOnUncaughtErrors();
  const parts = [`API ${stack.baseUrl}/api/videos`, `Studio ${stack.baseUrl}/`];
  if (stack.emulator) parts.push(`Sora emulator ${stack.emulator.endpoint} (key ${stack.emulator.apiKey})`);
  if (stack.azurite) parts.push(`Azurite blob ${stack.azurite.blobEndpoint}`);
  console.log(`ready: ${parts.join(' · ')}`);
  // Azurite runs on free ports, so UseDevelopmentStorage=true would miss it: this is what `az storage … --connection-string` takes
  // to put messages on the pipeline queues or drop a JSON Lines file (Azurite's well-known development key, nothing secret).
  if (stack.azurite) console.log(`storage: ${stack.azurite.connectionString}`);

  stopOnSignal(async () => {
    console.log('Stopping…');
    await stack.close();
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
