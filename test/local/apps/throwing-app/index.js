'use strict';
// Two bugs no handler catches: an exception thrown from a callback and a
// promise rejected with no one listening, both after the response is sent.
const { app } = require('@azure/functions');

app.get('throwLater', {
  route: 'throw-later',
  handler: async () => {
    setImmediate(() => {
      throw new Error('thrown from a callback');
    });
    void Promise.reject(new Error('rejected with no one listening'));
    return { body: 'answered' };
  },
});

app.get('ping', {
  route: 'ping',
  handler: async () => ({ body: 'pong' }),
});
