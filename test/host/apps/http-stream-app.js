'use strict';
// HTTP triggers for ../http-stream.test.ts: the app opts into HTTP streams.
const { Readable } = require('node:stream');
const { app } = require('@azure/functions');

app.setup({ enableHttpStream: true });

// Counts the request body's bytes as they arrive, without buffering it.
app.post('count', {
  route: 'count',
  handler: async (request) => {
    let bytes = 0;
    for await (const chunk of request.body) bytes += chunk.length;
    return { jsonBody: { bytes } };
  },
});

// Sends a first chunk, then waits until the test calls /api/release: only a
// streamed response lets the client see the first chunk before that.
let release;
app.get('drip', {
  route: 'drip',
  handler: () => {
    const released = new Promise((resolve) => {
      release = resolve;
    });
    async function* chunks() {
      yield Buffer.from('first chunk;');
      await released;
      yield Buffer.from('second chunk');
    }
    return { body: Readable.from(chunks()), headers: { 'content-type': 'text/plain' } };
  },
});

app.get('release', {
  route: 'release',
  handler: () => {
    release();
    return { body: 'released' };
  },
});
