/** The emulator's settings and their defaults (see docs/sora-emulator.md). */
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Clock, systemClock } from '../clock';

export interface SoraEmulatorOptions {
  /** Default 8090; 0 = any free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 'local-sora-key'. */
  apiKey?: string;
  /** Default 'sora' (jobs API). */
  jobsDeployment?: string;
  /** Default 'sora-2' (videos API, and the model of the OpenAI-compatible front). */
  videosDeployment?: string;
  /** Deployments retired from the start: every call to them answers 410. Default none. */
  retiredDeployments?: string[];
  /** Default 10: how long a job takes on the emulator clock. */
  jobSeconds?: number;
  /** 'service' = the service's typical 1–5 min by size and length. Default 'fixed'. */
  timing?: 'fixed' | 'service';
  /** Default systemClock. */
  clock?: Clock;
  /** Moderation words, default ['forbidden']. */
  blockList?: string[];
  /** Per deployment, default 2. */
  maxRunningJobs?: number;
  /** Default 60. */
  requestsPerMinute?: number;
  /** Render cache; default under os.tmpdir(). */
  cacheDir?: string;
  log?: (line: string) => void;
}

export type ResolvedOptions = Required<SoraEmulatorOptions>;

/**
 * ffmpeg filter graphs need their file paths escaped on two levels; keeping
 * the cache path to plain characters avoids that whole class of bugs.
 */
const PLAIN_PATH = /^[\w./-]+$/;

export function resolveOptions(options: SoraEmulatorOptions): ResolvedOptions {
  const cacheDir = resolve(options.cacheDir ?? join(tmpdir(), 'sora-emulator-cache'));
  if (!PLAIN_PATH.test(cacheDir)) {
    throw new Error(`cacheDir must contain only letters, digits, '_', '.', '-' and '/': ${cacheDir}`);
  }
  return {
    port: options.port ?? 8090,
    host: options.host ?? '127.0.0.1',
    apiKey: options.apiKey ?? 'local-sora-key',
    jobsDeployment: options.jobsDeployment ?? 'sora',
    videosDeployment: options.videosDeployment ?? 'sora-2',
    retiredDeployments: options.retiredDeployments ?? [],
    jobSeconds: options.jobSeconds ?? 10,
    timing: options.timing ?? 'fixed',
    clock: options.clock ?? systemClock,
    blockList: (options.blockList ?? ['forbidden']).map((w) => w.toLowerCase()).filter((w) => w !== ''),
    maxRunningJobs: options.maxRunningJobs ?? 2,
    requestsPerMinute: options.requestsPerMinute ?? 60,
    cacheDir,
    log: options.log ?? ((line) => { console.log(line); }),
  };
}
