/**
 * Streaming a large video from Sora (the emulator, serving a synthetic body of
 * the chosen size) into Blob Storage (Azurite): throughput and peak memory of
 * the store activity's copy, sequential and with parallel ranges, beside a
 * baseline measured in the same run — the same bytes downloaded and thrown
 * away, which is the ceiling any copy can reach here. CPU is this process's:
 * the emulator serving the bytes runs in it too; Azurite does not.
 */
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobServiceClient } from '@azure/storage-blob';
import { startAzurite } from '../src/local/azurite';
import { startSoraEmulator } from '../src/local/sora-emulator';
import { createVideoService } from '../src/sora';
import { copyToBlockBlob } from '../src/storage/copy-to-block-blob';
import { measureInTurns, type RepeatedRow } from './measure';

const MiB = 1024 * 1024;

export async function benchStore(sizeMiB = 256): Promise<RepeatedRow[]> {
  const azurite = await startAzurite();
  const emulator = await startSoraEmulator({ port: 0, jobSeconds: 1, log: () => undefined });
  try {
    const sora = createVideoService({ api: 'jobs', endpoint: emulator.endpoint, deployment: emulator.deployments.jobs, apiKey: emulator.apiKey, timeoutMs: 120_000 });
    emulator.faults.add({ kind: 'contentSize', bytes: sizeMiB * MiB });
    const job = await sora.submit({ prompt: 'benchmark', width: 480, height: 480, nSeconds: 1, nVariants: 1 });
    let done = await sora.getJob(job.id);
    while (done.status !== 'succeeded') {
      await new Promise((resolve) => setTimeout(resolve, 250));
      done = await sora.getJob(job.id);
    }
    const generationId = done.generations[0]?.id ?? '';
    const info = await sora.headContent(generationId);
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('bench');
    await container.createIfNotExists();
    const bytes = sizeMiB * MiB;

    const source = (acceptRanges: boolean) => ({
      size: info.contentLength,
      acceptRanges,
      open: async (range?: { start: number; end: number }) => (await sora.openContent(generationId, range ? { range } : {})).body,
    });
    return await measureInTurns(bytes, [
      {
        name: `baseline: download ${sizeMiB} MiB and discard`,
        work: async () => {
          const content = await sora.openContent(generationId);
          await pipeline(content.body, new Writable({ write: (_chunk, _encoding, done) => { done(); } }));
        },
      },
      {
        name: 'copy to blob, sequential (8 MiB blocks, 4 staged at once)',
        work: () => copyToBlockBlob(source(false), container.getBlockBlobClient('seq.mp4'), { blockSizeBytes: 8 * MiB, concurrency: 4, contentType: 'video/mp4' }),
      },
      {
        name: 'copy to blob, 4 parallel ranges (8 MiB blocks)',
        work: () => copyToBlockBlob(source(true), container.getBlockBlobClient('ranged.mp4'), { blockSizeBytes: 8 * MiB, concurrency: 4, contentType: 'video/mp4' }),
      },
    ]);
  } finally {
    await emulator.close();
    await azurite.close();
  }
}
