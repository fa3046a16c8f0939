'use strict';
const { app } = require('@azure/functions');
const df = require('durable-functions');

df.app.entity('counter', (context) => {
  context.df.setState((context.df.getState(() => 0) ?? 0) + 1);
});

app.storageQueue('onOrder', {
  queueName: 'orders',
  connection: 'AzureWebJobsStorage',
  handler: () => undefined,
});

df.app.activity('noop', { handler: () => null });
