/** A request's view as short lines for people (`--json` prints the view itself). */
import { FINISHED_STATUSES } from '../contracts/public-status';
import type { VideoView } from '../requests/video-view';

export function viewText(view: VideoView): string {
  const lines = [`${view.id}  ${view.status}  ${view.size}, ${String(view.n_seconds)} s, ${String(view.n_variants)} variant(s), ${view.api} API`, `  prompt: ${view.prompt}`];
  if (view.progress?.expectedDoneAt && !FINISHED_STATUSES.includes(view.status)) lines.push(`  expected done at ${view.progress.expectedDoneAt}`);
  if (view.error) lines.push(`  error: ${errorText(view.error)}`);
  for (const video of view.videos) lines.push(`  variant ${String(video.variant)}: ${String(video.bytes)} bytes, sha256 ${video.sha256}`);
  return lines.join('\n');
}

/** Why a request has no videos to download: how it ended, or that it has not yet. */
export function problemOfView(view: VideoView): string {
  if (!FINISHED_STATUSES.includes(view.status)) return `Request ${view.id} is still ${view.status}; it has no videos yet (add --wait to wait for them).`;
  return `Request ${view.id} ended ${view.status}${view.error ? `: ${errorText(view.error)}` : '.'}`;
}

function errorText(error: NonNullable<VideoView['error']>): string {
  return `${error.code ?? 'error'}: ${error.message}${error.requestId ? ` (Sora request id ${error.requestId})` : ''}`;
}
