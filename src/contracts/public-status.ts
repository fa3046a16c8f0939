/**
 * The public statuses of ARCHITECTURE.md and the one table that maps Sora's
 * statuses (both APIs, normalised in sora/types.ts) and the orchestration's
 * runtime status onto them.
 */
import type { SoraJobStatus } from '../sora/types';

export const PUBLIC_STATUSES = [
  'pending',
  'waiting',
  'submitted',
  'queued',
  'preprocessing',
  'running',
  'processing',
  'storing',
  'succeeded',
  'failed',
  'cancelled',
  'timed_out',
] as const;
export type PublicStatus = (typeof PUBLIC_STATUSES)[number];

export const FINISHED_STATUSES: readonly PublicStatus[] = ['succeeded', 'failed', 'cancelled', 'timed_out'];

/** While the job is still at Sora, its status is the public stage. */
export const STAGE_OF_SORA_STATUS: Readonly<Record<SoraJobStatus, PublicStatus>> = {
  queued: 'queued',
  preprocessing: 'preprocessing',
  running: 'running',
  processing: 'processing',
  succeeded: 'storing',
  failed: 'failed',
  cancelled: 'cancelled',
};

/**
 * Runtime statuses of the durable orchestration (the SDK's string enum) that
 * decide the public status on their own; Running/Pending defer to the stage
 * in custom status, Completed to the orchestration's outcome.
 */
export const STATUS_OF_RUNTIME_STATUS: Readonly<Record<string, PublicStatus | 'fromStage' | 'fromOutcome'>> = {
  Pending: 'pending',
  Running: 'fromStage',
  Suspended: 'fromStage',
  ContinuedAsNew: 'fromStage',
  Completed: 'fromOutcome',
  Failed: 'failed',
  Canceled: 'cancelled',
  Terminated: 'cancelled',
};
