/**
 * What `GET /api/health` reports: whether the settings parse (naming each bad
 * one), whether the video storage answers, and the state of every configured
 * video API from one cheap call each (a list of at most one job). Probing is
 * cached for a minute per process, so a busy monitor costs the service one
 * call per API a minute.
 *
 * Anonymous callers read it, so it carries names and states only: setting
 * names with our own messages (never a value), the API names, and the
 * service's HTTP status and error code. No endpoint, deployment name, key,
 * connection string or service message.
 */
import { RestError } from '@azure/storage-blob';
import { configuredDeployments, type AppConfig, type SettingProblem, type SettingsCheck } from '../config';
import type { Dependencies } from '../dependencies';
import { deploymentFailureOf } from '../sora/deployment-failure';
import { SoraError } from '../sora/errors';
import type { SoraApi } from '../sora/types';

/** How long one probe may take before its target counts as unreachable. */
const PROBE_TIMEOUT_MS = 10_000;
export const HEALTH_CACHE_MS = 60_000;

export type VideoServiceState = 'ok' | 'unauthorized' | 'deployment_not_found' | 'model_retired' | 'unreachable';
export type StorageState = 'ok' | 'unauthorized' | 'unreachable';

export interface VideoApiHealth {
  state: VideoServiceState;
  /** Whether requests use this API unless they name another. */
  default: boolean;
  /** The probe's HTTP status, when the service answered one that is not 2xx. */
  status: number | null;
  /** The service's (or, without an answer, our) error code, when the probe failed. */
  code: string | null;
}

export interface HealthReport {
  /** `ok` only when every part is. */
  status: 'ok' | 'unhealthy';
  checkedAt: string;
  settings: { state: 'ok' | 'invalid'; invalid: SettingProblem[] };
  /** `not_checked` when the settings are invalid: nothing can be reached without them. */
  storage: { state: StorageState | 'not_checked'; status: number | null; code: string | null };
  /** Every configured API; empty when the settings are invalid. */
  video: Partial<Record<SoraApi, VideoApiHealth>>;
}

export interface HealthParts {
  settings: () => SettingsCheck;
  /** The app's clients, built from valid settings. */
  deps: () => Pick<Dependencies, 'blobService' | 'soraFor'>;
  now: () => number;
}

/** Runs every probe now, in parallel. */
export async function checkHealth(parts: HealthParts): Promise<HealthReport> {
  const checkedAt = new Date(parts.now()).toISOString();
  const settings = parts.settings();
  if (!settings.ok) {
    return { status: 'unhealthy', checkedAt, settings: { state: 'invalid', invalid: settings.problems }, storage: { state: 'not_checked', status: null, code: null }, video: {} };
  }
  const { config } = settings;
  const deps = parts.deps();
  const apis = configuredDeployments(config).map(({ api }) => api);
  const [storage, ...states] = await Promise.all([probeStorage(deps, config), ...apis.map((api) => probeVideoApi(deps, api, config))]);
  const video: HealthReport['video'] = Object.fromEntries(apis.map((api, i) => [api, states[i]]));
  const healthy = storage.state === 'ok' && Object.values(video).every((v) => v.state === 'ok');
  return { status: healthy ? 'ok' : 'unhealthy', checkedAt, settings: { state: 'ok', invalid: [] }, storage, video };
}

/** Reading the videos container's properties needs the account, the credentials and the data role; a container not yet created still proves all three. */
async function probeStorage(deps: Pick<Dependencies, 'blobService'>, config: AppConfig): Promise<HealthReport['storage']> {
  try {
    await deps.blobService.getContainerClient(config.storage.videosContainer).exists({ abortSignal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return { state: 'ok', status: null, code: null };
  } catch (error) {
    const status = error instanceof RestError ? (error.statusCode ?? null) : null;
    const code = error instanceof RestError ? (error.code ?? null) : null;
    return { state: status === 401 || status === 403 ? 'unauthorized' : 'unreachable', status, code };
  }
}

async function probeVideoApi(deps: Pick<Dependencies, 'soraFor'>, api: SoraApi, config: AppConfig): Promise<VideoApiHealth> {
  const isDefault = config.sora.api === api;
  try {
    await deps.soraFor(api).probe({ signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return { state: 'ok', default: isDefault, status: null, code: null };
  } catch (error) {
    if (!(error instanceof SoraError)) return { state: 'unreachable', default: isDefault, status: null, code: 'timeout' };
    return { state: videoStateOf(error), default: isDefault, status: error.status ?? null, code: error.code };
  }
}

/** A 429 answers for a service that is there and takes our credentials: only busy. An identity that gets no token is unauthorized. */
export function videoStateOf(error: SoraError): VideoServiceState {
  const gone = deploymentFailureOf(error);
  if (gone !== undefined) return gone;
  if (error.status === 401 || error.status === 403 || error.code === 'no_token' || error.code === 'credential_failed') return 'unauthorized';
  if (error.status === 429) return 'ok';
  return 'unreachable';
}

/**
 * One report per `ttlMs` per process: callers within it share the last
 * report, and callers while a probe runs share that probe.
 */
export class HealthCache {
  private last: { report: HealthReport; at: number } | undefined;
  private running: Promise<HealthReport> | undefined;

  constructor(
    private readonly probe: () => Promise<HealthReport>,
    private readonly now: () => number,
    private readonly ttlMs: number = HEALTH_CACHE_MS,
  ) {}

  report(): Promise<HealthReport> {
    if (this.last !== undefined && this.now() - this.last.at < this.ttlMs) return Promise.resolve(this.last.report);
    this.running ??= this.probe()
      .then((report) => {
        this.last = { report, at: this.now() };
        return report;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
