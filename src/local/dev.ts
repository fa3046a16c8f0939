/**
 * `npm run dev -- [--port N]` — the app on this machine with no Azure: Azurite
 * (unless storage settings point elsewhere), the Sora emulator on port 8090
 * (unless an Azure OpenAI endpoint is configured) and the local host on port
 * 7071. Ctrl-C stops all of it.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_DIR, startLocalStack } from './stack';
import { stopOnSignal } from './stop-on-signal';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '7071' },
      'emulator-port': { type: 'string', default: '8090' },
      'time-skipping': { type: 'boolean', default: false },
    },
  });
  const stack = await startLocalStack({
    port: Number(values.port),
    emulatorPort: Number(values['emulator-port']),
    timeSkipping: values['time-skipping'],
    azuriteLocation: path.join(PROJECT_DIR, '.azurite'),
    log: (line) => {
      console.log(line);
    },
  });
  const parts = [`API ${stack.baseUrl}/api/videos`];
  if (stack.emulator) parts.push(`Sora emulator ${stack.emulator.endpoint} (key ${stack.emulator.apiKey})`);
  if (stack.azurite) parts.push(`Azurite blob ${stack.azurite.blobEndpoint}`);
  console.log(`ready: ${parts.join(' · ')}`);

  stopOnSignal(async () => {
    console.log('Stopping…');
    await stack.close();
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
