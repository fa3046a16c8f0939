'use strict';
// Event Grid blob triggers for ../blob-events.test.ts: every invocation is
// recorded on globalThis (the test runs in the host's process) and starts an
// orchestration that waits an hour on a durable timer, so time skipping and
// deliveries meet. Blobs named fail-* make the trigger throw.
const { app } = require('@azure/functions');
const df = require('durable-functions');

const CALLS = Symbol.for('sora-orchestrator.test.blob-event-calls');
globalThis[CALLS] ??= [];

app.storageBlob('onUpload', {
  path: 'uploads/in/{stem}.txt',
  connection: 'UploadStorage',
  source: 'EventGrid',
  extraInputs: [df.input.durableClient()],
  handler: async (content, context) => {
    const meta = context.triggerMetadata;
    globalThis[CALLS].push({ stem: meta.stem, text: Buffer.isBuffer(content) ? content.toString('utf8') : typeof content, blobTrigger: meta.blobTrigger, uri: meta.uri, length: meta.properties.contentLength });
    if (String(meta.stem).startsWith('fail-')) throw new Error(`refused ${meta.stem}`);
    await df.getClient(context).startNew('afterUpload', { input: String(meta.stem) });
  },
});

// A polling blob trigger: the local host reports it and does not serve it.
app.storageBlob('polling', { path: 'uploads/{name}', connection: 'UploadStorage', handler: () => undefined });

df.app.orchestration('afterUpload', function* (context) {
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60 * 60 * 1000));
  return context.df.getInput();
});
