'use strict';
const { app, output } = require('@azure/functions');

app.http('getItem', {
  route: 'items/{id:int}',
  methods: ['GET'],
  handler: (request) => ({
    jsonBody: {
      id: request.params.id,
      fromLocalSettings: process.env.FROM_LOCAL_SETTINGS,
      overridden: process.env.OVERRIDDEN_SETTING,
      envWins: process.env.ENV_WINS_SETTING,
    },
  }),
});

const queueOutput = output.storageQueue({ queueName: 'orders', connection: 'AzureWebJobsStorage' });
app.http('enqueue', {
  route: 'enqueue',
  methods: ['POST'],
  extraOutputs: [queueOutput],
  handler: (_request, context) => {
    context.extraOutputs.set(queueOutput, { order: 1 });
    return { status: 201 };
  },
});
