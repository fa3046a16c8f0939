'use strict';
// Orchestrations for ../restart.test.ts and ../chaos.test.ts: state that must
// survive a restart of the host (timers, activities in flight, raised events,
// sub-orchestrations, continue-as-new, large payloads), and activities that
// count their runs. The test steers some activities through
// `globalThis.restartTestHooks`, which it sets before starting a host.
const df = require('durable-functions');

const HOUR = 60 * 60 * 1000;

function hooks() {
  return globalThis.restartTestHooks;
}

df.app.activity('stamp', { handler: (label) => `stamped ${label}` });

// The test decides when (and whether) this activity finishes.
df.app.activity('gatedWork', { handler: (input) => hooks().gatedWork(input) });

// Counts its runs per key: what at-least-once delivery looks like from inside.
df.app.activity('countRun', { handler: (key) => hooks().countRun(key) });

df.app.orchestration('napper', function* (context) {
  const due = new Date(context.df.currentUtcDateTime.getTime() + HOUR);
  yield context.df.createTimer(due);
  const stamp = yield context.df.callActivity('stamp', 'after nap');
  return { due: due.toISOString(), wokeAt: context.df.currentUtcDateTime.toISOString(), stamp };
});

df.app.orchestration('gated', function* (context) {
  return yield context.df.callActivity('gatedWork', context.df.getInput());
});

df.app.orchestration('twoEvents', function* (context) {
  const first = yield context.df.waitForExternalEvent('First');
  const second = yield context.df.waitForExternalEvent('Second');
  return [first, second];
});

df.app.orchestration('napperParent', function* (context) {
  const child = yield context.df.callSubOrchestrator('napper', undefined, `${context.df.instanceId}-child`);
  return { child: child.stamp };
});

// Input: how many more one-hour rounds to go.
df.app.orchestration('countdown', function* (context) {
  const left = context.df.getInput();
  if (left === 0) return 'lift-off';
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + HOUR));
  context.df.continueAsNew(left - 1);
  return undefined;
});

// Input and output far beyond one table property and one table row.
df.app.orchestration('bigEcho', function* (context) {
  const input = context.df.getInput();
  context.df.setCustomStatus({ inputLength: input.text.length });
  const suffix = yield context.df.waitForExternalEvent('Go');
  return { text: input.text + suffix };
});

df.app.orchestration('counted', function* (context) {
  const keys = context.df.getInput();
  return yield context.df.Task.all(keys.map((key) => context.df.callActivity('countRun', key)));
});
