/**
 * `npm run sora-emulator -- --port 8090 --api-key KEY [--job-seconds S]
 * [--timing fixed|service] [--block-list a,b] [--cache-dir DIR] [--retired a,b]`
 * Prints one line with endpoint, key and deployments when ready.
 */
import { parseArgs } from 'node:util';
import { startSoraEmulator } from './index';

function numberFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got '${value}'`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'api-key': { type: 'string' },
      'job-seconds': { type: 'string' },
      timing: { type: 'string' },
      'block-list': { type: 'string' },
      'cache-dir': { type: 'string' },
      'requests-per-minute': { type: 'string' },
      'max-running-jobs': { type: 'string' },
      retired: { type: 'string' },
    },
  });
  const timing = values.timing;
  if (timing !== undefined && timing !== 'fixed' && timing !== 'service') throw new Error(`--timing must be 'fixed' or 'service', got '${timing}'`);
  const port = numberFlag('port', values.port);
  const jobSeconds = numberFlag('job-seconds', values['job-seconds']);
  const requestsPerMinute = numberFlag('requests-per-minute', values['requests-per-minute']);
  const maxRunningJobs = numberFlag('max-running-jobs', values['max-running-jobs']);
  const emulator = await startSoraEmulator({
    ...(port !== undefined ? { port } : {}),
    ...(values.host !== undefined ? { host: values.host } : {}),
    ...(values['api-key'] !== undefined ? { apiKey: values['api-key'] } : {}),
    ...(jobSeconds !== undefined ? { jobSeconds } : {}),
    ...(timing !== undefined ? { timing } : {}),
    ...(values['block-list'] !== undefined ? { blockList: values['block-list'].split(',').map((w) => w.trim()) } : {}),
    ...(values['cache-dir'] !== undefined ? { cacheDir: values['cache-dir'] } : {}),
    ...(requestsPerMinute !== undefined ? { requestsPerMinute } : {}),
    ...(maxRunningJobs !== undefined ? { maxRunningJobs } : {}),
    ...(values.retired !== undefined ? { retiredDeployments: values.retired.split(',').map((d) => d.trim()).filter((d) => d !== '') } : {}),
  });
  console.log(
    `Sora emulator ready: endpoint ${emulator.endpoint}  OpenAI-compatible base URL ${emulator.openAiBaseUrl}  api-key ${emulator.apiKey}  deployments: jobs API '${emulator.deployments.jobs}', videos API '${emulator.deployments.videos}'`,
  );
  const retired = emulator.retired.list().map((r) => r.deployment);
  if (retired.length > 0) console.log(`Retired (every call answers 410): ${retired.join(', ')}`);
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`sora-emulator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
