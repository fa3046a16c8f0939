'use strict';
// Orchestrations for ../orchestration.test.ts: one small orchestration per behaviour.
const df = require('durable-functions');

df.app.activity('hello', { handler: (name) => `Hello ${name}` });
df.app.activity('double', { handler: (n) => n * 2 });

// Records how many of its invocations overlap, to observe the host's activity bound.
let running = 0;
let mostAtOnce = 0;
df.app.activity('busy', {
  handler: async () => {
    running += 1;
    mostAtOnce = Math.max(mostAtOnce, running);
    await new Promise((resolve) => setTimeout(resolve, 50));
    running -= 1;
  },
});
df.app.activity('mostBusyAtOnce', { handler: () => mostAtOnce });

df.app.orchestration('crowd', function* (context) {
  const size = context.df.getInput();
  yield context.df.Task.all(Array.from({ length: size }, () => context.df.callActivity('busy')));
  return yield context.df.callActivity('mostBusyAtOnce');
});

df.app.orchestration('chain', function* (context) {
  const tokyo = yield context.df.callActivity('hello', 'Tokyo');
  const seattle = yield context.df.callActivity('hello', 'Seattle');
  const cairo = yield context.df.callActivity('hello', 'Cairo');
  return [tokyo, seattle, cairo];
});

df.app.orchestration('fanOutFanIn', function* (context) {
  const numbers = context.df.getInput();
  const doubled = yield context.df.Task.all(numbers.map((n) => context.df.callActivity('double', n)));
  return { doubled, sum: doubled.reduce((total, n) => total + n, 0) };
});

// `first` is awaited, yielded again on its own, then yielded a third time inside
// Task.all next to a new task: it must run once, and `second` must get its result.
df.app.orchestration('reyieldInAll', function* (context) {
  const first = context.df.callActivity('hello', 'first');
  const once = yield first;
  const again = yield first;
  const second = context.df.callActivity('hello', 'second');
  const both = yield context.df.Task.all([first, second]);
  return { once, again, both };
});

df.app.orchestration('child', function* (context) {
  const input = context.df.getInput();
  if (input.fail) {
    throw new Error(`child failed on purpose for ${input.name}`);
  }
  const greeting = yield context.df.callActivity('hello', input.name);
  return { greeting, instanceId: context.df.instanceId, parentInstanceId: context.df.parentInstanceId };
});

df.app.orchestration('parent', function* (context) {
  const { childId } = context.df.getInput();
  const withId = yield context.df.callSubOrchestrator('child', { name: 'with id' }, childId);
  const withoutId = yield context.df.callSubOrchestrator('child', { name: 'without id' });
  let failure;
  try {
    yield context.df.callSubOrchestrator('child', { name: 'doomed', fail: true }, `${childId}-doomed`);
  } catch (error) {
    failure = error.message;
  }
  return { withId, withoutId, failure };
});

// Counts to its input, one execution per step.
df.app.orchestration('countUp', function* (context) {
  const { value, target } = context.df.getInput();
  if (value < target) {
    context.df.continueAsNew({ value: value + 1, target });
    return undefined;
  }
  return value;
});

df.app.orchestration('customStatus', function* (context) {
  context.df.setCustomStatus({ stage: 'waiting for go' });
  const go = yield context.df.waitForExternalEvent('go');
  context.df.setCustomStatus({ stage: 'done', go });
  return go;
});

df.app.orchestration('failing', function* (context) {
  yield context.df.callActivity('hello', 'before failing');
  throw new Error('the orchestrator gave up');
});

df.app.orchestration('callsMissingActivity', function* (context) {
  return yield context.df.callActivity('missingActivity', 'anyone there?');
});
