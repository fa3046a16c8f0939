/**
 * The orchestrator's promise to readers of its status: a finished stage is
 * published together with the output, never while clean-up still runs. The
 * real orchestrator runs on the local host; its activities are scripted so
 * the last one can be held open.
 */
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { VideoGenerationInput, VideoProgress, VideoResult } from '../../src/contracts/orchestration';
import { startLocalHost, type LocalHost } from '../../src/local/host';

declare global {
  var deleteInputsGate: { started: boolean; release: () => void };
}

let host: LocalHost;

beforeAll(async () => {
  host = await startLocalHost({ entry: path.join(__dirname, 'apps', 'orchestrator-app.js'), port: 0, timeSkipping: true, log: () => undefined });
});
afterAll(async () => {
  await host.close();
});

const input: VideoGenerationInput = {
  requestId: 'req-1',
  spec: {
    api: 'jobs',
    prompt: 'x',
    width: 480,
    height: 480,
    nSeconds: 5,
    nVariants: 1,
    inputs: [{ type: 'image', fileName: 'a.jpg', container: 'video-inputs', blobName: 'req-1/a.jpg', contentType: 'image/jpeg', bytes: 1, frameIndex: 0, origin: 'upload' }],
  },
  policy: { poll: { minDelayMs: 5_000, maxDelayMs: 60_000, expectedDurationMs: 60_000 }, deadlineMs: 30 * 60_000, maxSubmitAttempts: 3, store: { firstRetryMs: 5_000, maxAttempts: 3 } },
  output: { container: 'videos' },
  acceptedAt: new Date(0).toISOString(),
};

it('does not read as succeeded while the uploads are still being removed', async () => {
  const id = await host.client.startNew('videoGeneration', { instanceId: 'req-1', input });
  while (!globalThis.deleteInputsGate.started) await new Promise((resolve) => setTimeout(resolve, 10));

  const during = await host.client.getStatus(id);
  expect(during.runtimeStatus).toBe('Running');
  expect((during.customStatus as VideoProgress).stage).toBe('storing');

  globalThis.deleteInputsGate.release();
  await host.waitForIdle();
  const after = await host.client.getStatus(id);
  expect(after.runtimeStatus).toBe('Completed');
  expect((after.customStatus as VideoProgress).stage).toBe('succeeded');
  expect((after.output as VideoResult).outcome).toBe('succeeded');
});
