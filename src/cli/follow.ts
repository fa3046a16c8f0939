/**
 * Follows a request until it finishes, reading its status through the API and
 * showing the stage: a progress bar on a terminal, a plain line per change
 * otherwise (CI logs, pipes).
 */
import { SingleBar, Presets } from 'cli-progress';
import { FINISHED_STATUSES, type PublicStatus } from '../contracts/public-status';
import type { VideoView } from '../requests/video-view';
import type { CommandContext, Output } from './context';

/** Rough share of the work done at each stage, for the bar when Sora reports no percentage. */
const STAGE_PERCENT: Record<PublicStatus, number> = {
  pending: 2,
  waiting: 3,
  submitted: 5,
  queued: 10,
  preprocessing: 25,
  running: 45,
  processing: 75,
  storing: 90,
  succeeded: 100,
  failed: 100,
  cancelled: 100,
  timed_out: 100,
};

interface Reporter {
  update(view: VideoView, elapsedSeconds: number): void;
  stop(): void;
}

export async function followRequest(ctx: CommandContext, id: string): Promise<VideoView> {
  const reporter = ctx.output.isTTY ? barReporter(ctx.output) : lineReporter(ctx.output);
  const started = Date.now();
  try {
    for (;;) {
      const view = await ctx.api.get(id);
      reporter.update(view, Math.round((Date.now() - started) / 1000));
      if (FINISHED_STATUSES.includes(view.status)) return view;
      await new Promise((resolve) => setTimeout(resolve, ctx.pollMs));
    }
  } finally {
    reporter.stop();
  }
}

function barReporter(output: Output): Reporter {
  const bar = new SingleBar({ format: ' {bar} {percentage}% | {stage} | {elapsed}s', hideCursor: true, stream: output.stderr }, Presets.shades_classic);
  bar.start(100, 0, { stage: 'pending', elapsed: 0 });
  return {
    update: (view, elapsed) => { bar.update(percentOf(view), { stage: stageText(view), elapsed }); },
    stop: () => { bar.stop(); },
  };
}

/** One line each time the stage (or the queue position) changes. */
function lineReporter(output: Output): Reporter {
  let last = '';
  return {
    update: (view, elapsed) => {
      const stage = stageText(view);
      if (stage === last) return;
      last = stage;
      output.err(`${view.id}: ${stage} (${String(elapsed)} s)`);
    },
    stop: () => undefined,
  };
}

function stageText(view: VideoView): string {
  const position = view.progress?.queuePosition ?? null;
  return view.status === 'waiting' && position !== null ? `waiting (position ${String(position)})` : view.status;
}

/**
 * Sora 2 reports a percentage; the jobs API does not, so while the job runs
 * the bar follows the time elapsed against the expected duration, never past
 * the next stage's share.
 */
function percentOf(view: VideoView): number {
  const stage = STAGE_PERCENT[view.status];
  const progress = view.progress;
  if (!progress || FINISHED_STATUSES.includes(view.status) || view.status === 'storing') return stage;
  if (progress.progress !== null) return Math.max(stage, STAGE_PERCENT.submitted + (progress.progress * (STAGE_PERCENT.storing - STAGE_PERCENT.submitted)) / 100);
  if (!progress.submittedAt || !progress.expectedDoneAt) return stage;
  const start = Date.parse(progress.submittedAt);
  const share = Math.min(1, (Date.now() - start) / Math.max(1, Date.parse(progress.expectedDoneAt) - start));
  return Math.max(stage, Math.round(STAGE_PERCENT.submitted + share * (STAGE_PERCENT.storing - 1 - STAGE_PERCENT.submitted)));
}
