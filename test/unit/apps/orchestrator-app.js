// The real videoGeneration orchestrator (built) with scripted activities, so a
// test can hold the final clean-up activity open and look at the state then.
const df = require('durable-functions');
const { videoGeneration } = require('../../../dist/src/orchestrations/video-generation.js');

const job = (status, generations) => ({ id: 'task_1', status, progress: null, createdAt: 0, finishedAt: null, expiresAt: null, generations, failureReason: null, failureMessage: null });

/** Set by the test: resolves when deleteInputs may finish. */
globalThis.deleteInputsGate = { started: false, release: () => undefined };
const gate = new Promise((resolve) => {
  globalThis.deleteInputsGate.release = resolve;
});

df.app.orchestration('videoGeneration', videoGeneration);
df.app.activity('submitVideoJob', { handler: () => ({ kind: 'accepted', job: job('queued', []) }) });
df.app.activity('getVideoJob', { handler: () => ({ kind: 'status', job: job('succeeded', [{ id: 'gen_1' }]) }) });
df.app.activity('storeVideo', {
  handler: (input) => ({ variant: input.variant, generationId: input.generationId, blobName: `${input.requestId}/0.mp4`, thumbnailBlobName: null, contentType: 'video/mp4', bytes: 1, sha256: '00' }),
});
df.app.activity('writeManifest', { handler: (manifest) => `${manifest.requestId}/manifest.json` });
df.app.activity('cancelVideoJob', { handler: () => true });
df.app.activity('deleteInputs', {
  handler: async () => {
    globalThis.deleteInputsGate.started = true;
    await gate;
    return 1;
  },
});
