'use strict';
// Queue triggers for ../queue-trigger.test.ts. What each function saw is read back over HTTP.
const { app } = require('@azure/functions');

const seen = [];
const gates = [];
let running = 0;
let peakRunning = 0;

function record(queue, message, context) {
  const m = context.triggerMetadata;
  seen.push({
    queue,
    message,
    type: typeof message,
    metadata: { id: m.id, dequeueCount: m.dequeueCount, insertionTime: m.insertionTime, expirationTime: m.expirationTime, nextVisibleTime: m.nextVisibleTime, popReceipt: m.popReceipt },
    at: Date.now(),
  });
}

app.storageQueue('recordMessage', {
  queueName: '%RECORD_QUEUE%',
  connection: 'QueueStorage',
  handler: (message, context) => {
    record('record', message, context);
  },
});

// Throws until it has been tried `failures` times for its key.
app.storageQueue('failingMessage', {
  queueName: 'failing',
  connection: 'QueueStorage',
  handler: (message, context) => {
    record('failing', message, context);
    const tries = seen.filter((s) => s.queue === 'failing' && s.message.key === message.key).length;
    if (tries <= message.failures) throw new Error(`try ${tries} of ${message.key} failed`);
  },
});

// Holds every message until POST /api/release: shows how many run at once.
app.storageQueue('heldMessage', {
  queueName: 'held',
  connection: 'QueueStorage',
  handler: async (message, context) => {
    record('held', message, context);
    running++;
    peakRunning = Math.max(peakRunning, running);
    await new Promise((resolve) => gates.push(resolve));
    running--;
  },
});

app.get('seen', { route: 'seen', handler: () => ({ jsonBody: { seen, running, peakRunning } }) });
app.post('release', {
  route: 'release',
  handler: () => {
    const released = gates.splice(0);
    for (const open of released) open();
    return { jsonBody: { released: released.length } };
  },
});
