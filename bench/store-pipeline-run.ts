/**
 * One run of the pipeline benchmark (./store-pipeline.bench.ts), in a process
 * of its own: a fresh local stack (so a fresh minute of requests at the
 * emulator, and a fresh app), one request for N variants of a large video,
 * timed from the request to the answer that says it is finished. Prints
 * `{ sample, outcome }` as JSON on its last line.
 *
 *   node --expose-gc dist/bench/store-pipeline-run.js '{"variants":4,"sizeMiB":128}'
 */
import { exitWhenSettled } from './child-process';
import { createApiClient } from '../src/cli/api-client';
import { FINISHED_STATUSES } from '../src/contracts/public-status';
import { startLocalStack } from '../src/local/stack';
import type { VideoView } from '../src/requests/video-view';
import { sample } from './measure';

export interface PipelineRunSpec {
  variants: number;
  sizeMiB: number;
}

const MiB = 1024 * 1024;

async function main({ variants, sizeMiB }: PipelineRunSpec): Promise<void> {
  const stack = await startLocalStack({ port: 0, timeSkipping: true, standalone: true, emulator: { log: () => undefined } });
  try {
    stack.emulator?.faults.add({ kind: 'contentSize', bytes: sizeMiB * MiB });
    const api = createApiClient(stack.baseUrl);
    let outcome = '';
    const result = await sample(async () => {
      const { id } = await api.create({ prompt: 'A large video, stored', n_seconds: 1, n_variants: variants });
      const view = await finished(api, id);
      const whole = view.videos.length === variants && view.videos.every((v) => v.bytes === sizeMiB * MiB);
      outcome = view.status === 'succeeded' && !whole ? 'succeeded, videos missing' : view.status;
    });
    console.log(JSON.stringify({ sample: result, outcome }));
  } finally {
    await stack.close();
  }
}

async function finished(api: ReturnType<typeof createApiClient>, id: string): Promise<VideoView> {
  for (;;) {
    const view = await api.get(id);
    if (FINISHED_STATUSES.includes(view.status)) return view;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

exitWhenSettled(main(JSON.parse(process.argv[2] ?? '{}') as PipelineRunSpec));
