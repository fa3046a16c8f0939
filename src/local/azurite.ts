/**
 * Starts Azurite (real Azure Storage behaviour for blobs, queues and tables)
 * as a child process on free ports, for the local stack and the tests.
 *
 * The child stops with this process however it ends, a SIGKILL included:
 * it runs Azurite behind a few lines that shut Azurite down (saving its data)
 * once the IPC channel to this process closes. A new Azurite on the same data
 * folder first waits for the previous one to be gone, so a restarted stack
 * reattaches to its data instead of racing the old process for it.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';

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
/** In the data folder: the process id of the Azurite using it. */
const PID_FILE = 'azurite.pid';
const PID_POLL_MS = 50;
/** Long enough for an Azurite to save and exit; a folder still in use after that belongs to a running stack. */
const PREVIOUS_EXIT_TIMEOUT_MS = 20_000;

/**
 * Run with `node -e` (so it works from the TypeScript sources under test as
 * from dist/): Azurite in this process, shut down by its own SIGTERM handler
 * (which saves its data) when the channel to the parent closes — on close(),
 * or when the parent dies. A dead parent takes the output pipes with it, so
 * write errors are ignored: the shutdown logs, and must not crash on that.
 */
const STOP_WITH_PARENT = [
  "process.stdout.on('error', () => undefined);",
  "process.stderr.on('error', () => undefined);",
  "process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));",
  'require(process.argv[1]);',
].join('\n');

export async function startAzurite(options: AzuriteOptions = {}): Promise<Azurite> {
  if (options.location !== undefined) {
    await mkdir(options.location, { recursive: true });
    await previousAzuriteGone(options.location);
  }
  const args = [
    '-e',
    STOP_WITH_PARENT,
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
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const { stdout, stderr } = child;
  if (stdout === null || stderr === null) throw new Error('Azurite was spawned without its output pipes');
  const pidFile = options.location === undefined ? undefined : path.join(options.location, PID_FILE);
  if (pidFile !== undefined && child.pid !== undefined) writeFileSync(pidFile, String(child.pid));
  child.once('exit', () => {
    if (pidFile !== undefined && readPid(pidFile) === child.pid) rmSync(pidFile, { force: true });
  });
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
    createInterface({ input: stdout }).on('line', onLine);
    createInterface({ input: stderr }).on('line', onLine);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited with code ${String(code)} before it was ready:\n${output.join('\n')}`));
    });
  });
  try {
    await ready;
  } catch (error) {
    child.kill('SIGKILL');
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
      child.disconnect();
      await exited;
    },
  };
}

/** Waits until the Azurite that last used this data folder has exited (it saves its data on the way out). */
async function previousAzuriteGone(location: string): Promise<void> {
  const pidFile = path.join(location, PID_FILE);
  const pid = readPid(pidFile);
  if (pid === undefined) return;
  const deadline = Date.now() + PREVIOUS_EXIT_TIMEOUT_MS;
  while (isRunning(pid)) {
    if (Date.now() > deadline) {
      throw new Error(`Azurite process ${pid} still uses ${location} (see ${pidFile}); stop it before starting another on that folder.`);
    }
    await delay(PID_POLL_MS);
  }
}

function readPid(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Alive, and not a zombie nobody has reaped yet (containers whose first process does not reap). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return true;
  // The state follows the parenthesized command name: "Z" for a zombie.
  const state = /\)\s+(\S)/.exec(readFileSync(stat, 'utf8'))?.[1];
  return state !== 'Z';
}
