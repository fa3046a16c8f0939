/**
 * `npm run demo -- "prompt" [--size WxH] [--seconds N] [--variants N] [--out DIR]`
 *
 * Runs the whole pipeline on this machine (Azurite + Sora emulator + local
 * host, or the real Azure OpenAI when AZURE_OPENAI_* is set), asks for a video
 * through the public HTTP API as any client would, shows progress, downloads
 * every variant and stops everything.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { FINISHED_STATUSES, type PublicStatus } from '../contracts/public-status';
import type { VideoView } from '../requests/video-view';
import { startLocalStack } from '../local/stack';
import { createApiClient, download } from './api-client';

const USAGE = 'Usage: npm run demo -- "prompt" [--size WxH] [--seconds N] [--variants N] [--out DIR]';
const DEFAULT_PROMPT = 'A cat playing piano in a jazz bar';

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

interface DemoArgs {
  prompt: string;
  width: number;
  height: number;
  seconds: number;
  variants: number;
  out: string;
}

function parseDemoArgs(argv: string[]): DemoArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      size: { type: 'string', default: '480x480' },
      seconds: { type: 'string', default: '5' },
      variants: { type: 'string', default: '1' },
      out: { type: 'string', default: 'output' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const size = /^(\d+)x(\d+)$/.exec(values.size);
  if (!size) throw new Error(`--size must look like 480x480, got '${values.size}'`);
  return {
    prompt: positionals.join(' ').trim() || DEFAULT_PROMPT,
    width: Number(size[1]),
    height: Number(size[2]),
    seconds: Number(values.seconds),
    variants: Number(values.variants),
    out: path.resolve(values.out),
  };
}

async function main(): Promise<void> {
  const args = parseDemoArgs(process.argv.slice(2));
  console.log('Starting the local stack (Azurite, Sora emulator unless AZURE_OPENAI_ENDPOINT is set, local Functions host)…');
  const stack = await startLocalStack({ port: 0 });
  try {
    const sora = stack.emulator ? `Sora emulator at ${stack.emulator.endpoint}` : `Azure OpenAI at ${stack.settings.AZURE_OPENAI_ENDPOINT ?? '?'}`;
    console.log(`Ready: API ${stack.baseUrl}/api/videos · ${sora}`);

    const api = createApiClient(stack.baseUrl);
    const { id } = await api.create({ prompt: args.prompt, width: args.width, height: args.height, n_seconds: args.seconds, n_variants: args.variants });
    console.log(`Request ${id}: "${args.prompt}" ${args.width}x${args.height}, ${args.seconds} s, ${args.variants} variant(s)`);

    const view = await follow(() => api.get(id));
    if (view.status !== 'succeeded') {
      const reason = view.error ? `${view.error.code ?? 'error'}: ${view.error.message}${view.error.requestId ? ` (request id ${view.error.requestId})` : ''}` : '';
      throw new Error(`The request ended ${view.status}. ${reason}`);
    }

    await mkdir(args.out, { recursive: true });
    for (const video of view.videos) {
      const file = path.join(args.out, `${id}-${video.variant}.mp4`);
      await download(video.url, file);
      console.log(`Variant ${video.variant}: blob ${id}/${video.variant}.mp4 (${video.bytes} bytes, sha256 ${video.sha256.slice(0, 12)}…) → ${file}`);
    }
  } finally {
    await stack.close();
  }
}

/** Polls our own API (cheap and local) and draws the stage on a progress bar. */
async function follow(read: () => Promise<VideoView>): Promise<VideoView> {
  // Outside a terminal (CI logs) the bar prints a line every few seconds instead of redrawing.
  const bar = new SingleBar(
    { format: ' {bar} {percentage}% | {stage} | {elapsed}s', hideCursor: true, clearOnComplete: false, noTTYOutput: true, notTTYSchedule: 2000 },
    Presets.shades_classic,
  );
  const started = Date.now();
  bar.start(100, 0, { stage: 'pending', elapsed: 0 });
  try {
    for (;;) {
      const view = await read();
      bar.update(percentOf(view), { stage: view.status, elapsed: Math.round((Date.now() - started) / 1000) });
      if (FINISHED_STATUSES.includes(view.status)) return view;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } finally {
    bar.stop();
  }
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

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
