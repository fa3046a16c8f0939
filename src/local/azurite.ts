/**
 * Starts Azurite (real Azure Storage behaviour for blobs, queues and tables)
 * as a child process on free ports, for the local stack and the tests.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** Azurite's well-known development account (public, documented by Microsoft). */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteOptions {
  /** Keep data on disk in this folder; default: in memory, gone when stopped. */
  location?: string;
  /** 0 (default) = any free port. */
  blobPort?: number;
  queuePort?: number;
  tablePort?: number;
  log?: (line: string) => void;
}

export interface Azurite {
  blobEndpoint: string;
  queueEndpoint: string;
  tableEndpoint: string;
  /** A full connection string (with the development key) for all three services. */
  connectionString: string;
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;

export async function startAzurite(options: AzuriteOptions = {}): Promise<Azurite> {
  const args = [
    require.resolve('azurite/dist/src/azurite.js'),
    '--disableTelemetry',
    '--skipApiVersionCheck',
    '--loose',
    '--blobHost', '127.0.0.1',
    '--queueHost', '127.0.0.1',
    '--tableHost', '127.0.0.1',
    '--blobPort', String(options.blobPort ?? 0),
    '--queuePort', String(options.queuePort ?? 0),
    '--tablePort', String(options.tablePort ?? 0),
    ...(options.location ? ['--location', options.location] : ['--inMemoryPersistence']),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // If this process ends without close() (a crash, a test runner's exit), Azurite must not outlive it.
  const killChild = () => child.kill();
  process.once('exit', killChild);
  child.once('exit', () => process.off('exit', killChild));
  const endpoints: Partial<Record<'Blob' | 'Queue' | 'Table', string>> = {};
  const output: string[] = [];

  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`Azurite did not start within ${START_TIMEOUT_MS / 1000} s:\n${output.join('\n')}`));
    }, START_TIMEOUT_MS);
    const onLine = (line: string) => {
      output.push(line);
      options.log?.(line);
      const match = /Azurite (Blob|Queue|Table) service is successfully listening at (\S+)/.exec(line);
      if (match?.[1] && match[2]) endpoints[match[1] as 'Blob' | 'Queue' | 'Table'] = match[2];
      if (endpoints.Blob && endpoints.Queue && endpoints.Table) {
        clearTimeout(timer);
        resolve();
      }
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited with code ${String(code)} before it was ready:\n${output.join('\n')}`));
    });
  });
  try {
    await ready;
  } catch (error) {
    child.kill();
    throw error;
  }

  const blobEndpoint = `${endpoints.Blob ?? ''}/${DEV_ACCOUNT}`;
  const queueEndpoint = `${endpoints.Queue ?? ''}/${DEV_ACCOUNT}`;
  const tableEndpoint = `${endpoints.Table ?? ''}/${DEV_ACCOUNT}`;
  return {
    blobEndpoint,
    queueEndpoint,
    tableEndpoint,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_ACCOUNT_KEY};BlobEndpoint=${blobEndpoint};QueueEndpoint=${queueEndpoint};TableEndpoint=${tableEndpoint};`,
    async close() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
