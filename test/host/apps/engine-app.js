'use strict';
// Orchestrations for ../engine.test.ts: engine behaviour beyond the conformance suite.
const df = require('durable-functions');

let running = 0;
let maxRunning = 0;
df.app.activity('busy', {
  handler: async () => {
    running++;
    maxRunning = Math.max(maxRunning, running);
    await new Promise((resolve) => setTimeout(resolve, 5));
    running--;
    return maxRunning;
  },
});
df.app.activity('tick', { handler: () => null });

df.app.orchestration('fanOut', function* (context) {
  const peaks = yield context.df.Task.all(Array.from({ length: 8 }, () => context.df.callActivity('busy')));
  return Math.max(...peaks);
});

df.app.orchestration('clockSteps', function* (context) {
  const times = [context.df.currentUtcDateTime.getTime()];
  for (let i = 0; i < 4; i++) {
    yield context.df.callActivity('tick');
    times.push(context.df.currentUtcDateTime.getTime());
  }
  return times;
});

df.app.orchestration('waitsForever', function* (context) {
  return yield context.df.waitForExternalEvent('never');
});

df.app.orchestration('parentOfTerminated', function* (context) {
  try {
    yield context.df.callSubOrchestrator('waitsForever', null, context.df.getInput().childId);
    return 'child completed';
  } catch (error) {
    return `child failed: ${error.message}`;
  }
});

df.app.orchestration('callsMissingActivity', function* (context) {
  try {
    yield context.df.callActivity('doesNotExist');
    return 'called';
  } catch (error) {
    return error.message;
  }
});

df.app.orchestration('usesEntity', function* (context) {
  return yield context.df.callEntity(new df.EntityId('counter', 'one'), 'add', 1);
});

// The approval is buffered before the orchestrator waits for it, so the timer
// is created and cancelled in one episode.
df.app.orchestration('earlyApproval', function* (context) {
  yield context.df.waitForExternalEvent('Go');
  const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60 * 60 * 1000));
  const approval = context.df.waitForExternalEvent('Approval');
  const winner = yield context.df.Task.any([approval, timer]);
  if (winner === approval) timer.cancel();
  return approval.result;
});

// Custom status must stay under 16 KB.
df.app.orchestration('hugeStatus', function* (context) {
  context.df.setCustomStatus({ blob: 'x'.repeat(17 * 1024) });
  yield context.df.callActivity('tick');
  return 'unreachable';
});
