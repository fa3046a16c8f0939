'use strict';
// HTTP triggers for ../unread-body.test.ts: functions that answer without
// reading the request body, and one that reads it and says how that went.
const { app } = require('@azure/functions');

app.setup({ enableHttpStream: true });

app.post('refuse', {
  route: 'refuse',
  handler: async () => ({ status: 400, body: 'refused without reading the body' }),
});

// No HTTP response at all: the host answers 204 itself.
app.post('nothing', {
  route: 'nothing',
  handler: async () => undefined,
});

let lastRead = null;
app.post('read', {
  route: 'read',
  handler: async (request) => {
    let bytes = 0;
    try {
      for await (const chunk of request.body) bytes += chunk.length;
      lastRead = { bytes, error: null };
    } catch (error) {
      lastRead = { bytes, error: error.message };
    }
    return { jsonBody: lastRead };
  },
});

app.get('last-read', {
  route: 'last-read',
  handler: async () => ({ jsonBody: lastRead }),
});

app.get('ping', {
  route: 'ping',
  handler: async () => ({ body: 'pong' }),
});
