/**
 * One run of the memory benchmark (./store-memory.bench.ts), in a process of
 * its own so that no run inherits another's heap: N variants of a large video
 * copied at once through one memory budget, or the seed's way for one. Prints
 * its Sample as JSON on its last line.
 *
 *   node --expose-gc dist/bench/store-memory-run.js '<RunSpec as JSON>'
 */
import { exitWhenSettled } from './child-process';
import { createHash } from 'node:crypto';
import { BlobServiceClient } from '@azure/storage-blob';
import { videoSource } from '../src/activities/sora-copy-sources';
import { createVideoService } from '../src/sora';
import { BlockPool } from '../src/storage/block-pool';
import { copyToBlockBlob } from '../src/storage/copy-to-block-blob';
import { sample } from './measure';

export interface RunSpec {
  mode: 'budget' | 'seed';
  variants: number;
  endpoint: string;
  apiKey: string;
  generationId: string;
  connectionString: string;
  container: string;
  budgetBytes: number;
  blockBytes: number;
  ranges: number;
}

async function main(spec: RunSpec): Promise<void> {
  const sora = createVideoService({ api: 'jobs', endpoint: spec.endpoint, deployment: 'sora', apiKey: spec.apiKey, timeoutMs: 120_000 });
  const container = BlobServiceClient.fromConnectionString(spec.connectionString).getContainerClient(spec.container);
  const names = Array.from({ length: spec.variants }, (_, i) => `${spec.mode}-${i}.mp4`);
  await warmUp(sora, spec, container.getBlockBlobClient('warm-up'));

  const result = await sample(async () => {
    if (spec.mode === 'seed') {
      const url = `${spec.endpoint}/openai/v1/video/generations/${spec.generationId}/content/video?api-version=preview`;
      const whole = Buffer.from(await (await fetch(url, { headers: { 'api-key': spec.apiKey } })).arrayBuffer());
      createHash('sha256').update(whole).digest('hex');
      await container.getBlockBlobClient(names[0] ?? 'seed.mp4').uploadData(whole);
      return;
    }
    const pool = new BlockPool(spec.budgetBytes, spec.blockBytes);
    await Promise.all(names.map((name) => copyToBlockBlob(videoSource(sora, spec.generationId), container.getBlockBlobClient(name), { pool, ranges: spec.ranges, contentType: 'video/mp4' })));
  });
  // Azurite keeps what it is given: make room for the next run.
  await Promise.all(names.map((name) => container.getBlockBlobClient(name).deleteIfExists()));
  console.log(JSON.stringify(result));
}

/** Loads every path the run takes (the read from byte 0, a range read, a block staged) so the sample measures the copies, not the first use of the code. */
async function warmUp(sora: ReturnType<typeof createVideoService>, spec: RunSpec, blob: ReturnType<ReturnType<BlobServiceClient['getContainerClient']>['getBlockBlobClient']>): Promise<void> {
  (await sora.readContentStart(spec.generationId)).reader?.close();
  const block = Buffer.allocUnsafe(1024 * 1024);
  const { reader } = await sora.readContentRange(spec.generationId, { start: 0, end: block.length - 1 });
  await reader.fill(block, block.length);
  reader.close();
  await blob.stageBlock(Buffer.from('warm-up').toString('base64'), block, block.length);
}

exitWhenSettled(main(JSON.parse(process.argv[2] ?? '{}') as RunSpec));
