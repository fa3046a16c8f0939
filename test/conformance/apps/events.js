'use strict';
// Orchestrations for ../events.test.ts (real clock): external events, cancelled
// timers, suspend/resume and terminate.
const df = require('durable-functions');

const HOUR = 60 * 60 * 1000;

// Task.any of an event and a one-hour timer; the loser timer is cancelled.
df.app.orchestration('approval', function* (context) {
  const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + HOUR));
  const approval = context.df.waitForExternalEvent('Approval');
  const winner = yield context.df.Task.any([approval, timer]);
  if (winner === approval) {
    timer.cancel();
    return { approvedBy: approval.result };
  }
  return { approvedBy: null };
});

// Waits for 'Start' first, so an 'Early' event raised before it is buffered.
df.app.orchestration('lateListener', function* (context) {
  const start = yield context.df.waitForExternalEvent('Start');
  const early = yield context.df.waitForExternalEvent('Early');
  return { start, early };
});

df.app.orchestration('caseSensitive', function* (context) {
  const upper = yield context.df.waitForExternalEvent('Signal');
  const lower = yield context.df.waitForExternalEvent('signal');
  return { upper, lower };
});

df.app.orchestration('collectTwo', function* (context) {
  const first = yield context.df.waitForExternalEvent('Item');
  const second = yield context.df.waitForExternalEvent('Item');
  return [first, second];
});

// Collects `count` 'Item' events, however fast they arrive.
df.app.orchestration('collectMany', function* (context) {
  const count = context.df.getInput();
  const items = [];
  while (items.length < count) {
    items.push(yield context.df.waitForExternalEvent('Item'));
  }
  return items;
});

// Like 'approval' but never cancels the losing timer: the docs say the instance
// then stays Running until that timer fires. It creates the timer only after
// 'Go', so a test can queue 'Approval' first even while time skips.
df.app.orchestration('forgetfulApproval', function* (context) {
  yield context.df.waitForExternalEvent('Go');
  const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + HOUR));
  const approval = context.df.waitForExternalEvent('Approval');
  yield context.df.Task.any([approval, timer]);
  return { approvedBy: approval.result };
});
