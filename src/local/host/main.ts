import path from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalHost } from './index';
import { prefixedRoute } from './routes';
import { keepServingOnUncaughtErrors } from '../keep-serving';
import { stopOnSignal } from '../stop-on-signal';

/**
 * `npm run host -- --app DIR --port N [--time-skipping] [--store memory|table]`:
 * serves an app like `func start`, prints its routes and a line containing
 * "ready". With `--store table` durable state lives in the task hub's tables
 * at the `AzureWebJobsStorage` connection (Azurite), and survives a restart.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      app: { type: 'string', default: process.cwd() },
      port: { type: 'string', default: '7071' },
      hostname: { type: 'string', default: '127.0.0.1' },
      'time-skipping': { type: 'boolean', default: false },
      'max-concurrent-activities': { type: 'string', default: '10' },
      store: { type: 'string', default: 'memory' },
    },
  });
  const store = values.store;
  if (store !== 'memory' && store !== 'table') throw new Error(`--store must be 'memory' or 'table', got '${store}'.`);
  const port = Number.parseInt(values.port, 10);
  if (!Number.isInteger(port) || port < 0) throw new Error(`--port must be a port number, got '${values.port}'.`);
  const host = await startLocalHost({
    appDir: path.resolve(values.app),
    port,
    hostname: values.hostname,
    timeSkipping: values['time-skipping'],
    maxConcurrentActivityFunctions: Number.parseInt(values['max-concurrent-activities'], 10),
    store,
  });
  // Once serving, not before: a start that fails should still end the process.
  keepServingOnUncaughtErrors();
  console.log('Functions:');
  for (const fn of host.functions) {
    const methods = fn.methods === undefined ? '' : ` [${fn.methods.join(',')}]`;
    const where = fn.route === undefined ? '' : ` ${host.baseUrl}/${prefixedRoute(host.routePrefix, fn.route)}`;
    console.log(`  ${fn.name}: ${fn.trigger}${methods}${where}`);
  }
  console.log(`Durable HTTP API: ${host.baseUrl}/runtime/webhooks/durabletask/`);
  console.log(`Host ready at ${host.baseUrl}${host.clock.timeSkipping ? ' (time skipping)' : ''}. Ctrl-C to stop.`);

  stopOnSignal(() => host.close());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
