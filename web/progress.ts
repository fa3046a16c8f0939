/** What a request's progress reads as: its stage in words, how far along it is, how long it has taken. */
import type { VideoView } from './api-types.js';

const STAGE_WORDS: Record<string, string> = {
  pending: 'Starting',
  waiting: 'Waiting for a free slot',
  submitted: 'Sent to Sora',
  queued: 'Queued at Sora',
  preprocessing: 'Preparing',
  running: 'Generating',
  processing: 'Finishing',
  storing: 'Saving the video',
  succeeded: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
  timed_out: 'Timed out',
};

export function stageInWords(status: string): string {
  return STAGE_WORDS[status] ?? status;
}

/**
 * 0–1: Sora's own percentage when it reports one, the share of variants saved
 * while storing, else the time since submission against the expected end
 * (held below 1 until it is really done). Null when nothing says yet.
 */
export function progressFraction(view: VideoView, now: number): number | null {
  const progress = view.progress;
  if (progress === null) return null;
  if (view.status === 'storing') return view.n_variants > 0 ? progress.variantsStored / view.n_variants : null;
  if (progress.progress !== null) return Math.min(1, Math.max(0, progress.progress / 100));
  if (progress.submittedAt === null || progress.expectedDoneAt === null) return null;
  const start = Date.parse(progress.submittedAt);
  const span = Date.parse(progress.expectedDoneAt) - start;
  if (!(span > 0)) return null;
  return Math.min(0.99, Math.max(0, (now - start) / span));
}

/** From creation to now, or to the last update once finished; m:ss (h:mm:ss past an hour). */
export function elapsed(view: VideoView, finished: boolean, now: number): string {
  const end = finished ? Date.parse(view.updatedAt) : now;
  const seconds = Math.max(0, Math.round((end - Date.parse(view.createdAt)) / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Bytes in the units the app's limits are set in (INPUT_MAX_IMAGE_MIB …): 618 KiB, 25 MiB, 4.2 MiB. */
export function byteSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KiB`;
  const mib = bytes / 1024 / 1024;
  return `${Number.isInteger(mib) ? String(mib) : mib.toFixed(1)} MiB`;
}
