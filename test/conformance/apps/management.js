'use strict';
// Functions for ../management.test.ts and ../http-api.test.ts: the durable
// client's management calls and the public /runtime/webhooks/durabletask API.
const { app } = require('@azure/functions');
const df = require('durable-functions');

df.app.activity('hello', { handler: (name) => `Hello ${name}` });

df.app.orchestration('echo', function* (context) {
  const input = context.df.getInput();
  const greeting = yield context.df.callActivity('hello', input.name);
  return { greeting, input };
});

df.app.orchestration('waiter', function* (context) {
  return yield context.df.waitForExternalEvent('Go');
});

df.app.orchestration('sleeper', function* (context) {
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60 * 60 * 1000));
  return 'rested';
});

df.app.orchestration('failing', function* () {
  throw new Error('nothing works');
});

// The usual starter: returns the management URLs from createCheckStatusResponse.
app.http('start', {
  route: 'start/{orchestratorName}',
  methods: ['POST'],
  extraInputs: [df.input.durableClient()],
  handler: async (request, context) => {
    const client = df.getClient(context);
    const instanceId = await client.startNew(request.params.orchestratorName, { input: await request.json() });
    return client.createCheckStatusResponse(request, instanceId);
  },
});
