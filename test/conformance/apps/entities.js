'use strict';
// Durable entities for ../entities.test.ts: a counter that keeps the order of
// its operations, orchestrations that call and signal it.
const df = require('durable-functions');

const HOUR = 60 * 60 * 1000;

// State: { value, ops } — ops lists every operation in the order the entity ran them.
df.app.entity('counter', async (context) => {
  const state = context.df.getState(() => ({ value: 0, ops: [] }));
  const input = context.df.getInput();
  const op = context.df.operationName;
  switch (op) {
    case 'add':
      state.value += input;
      break;
    case 'get':
      break;
    case 'gatedAdd':
      // Held until the restart test opens its gate (globalThis.entityTestGate), so a host can stop mid-operation.
      await globalThis.entityTestGate(input);
      state.value += input;
      break;
    case 'fail':
      throw new Error('counter refuses');
    case 'forward':
      // Entity-to-entity: passes its input on as an 'add' to another counter.
      context.df.signalEntity(new df.EntityId('counter', input.key), 'add', input.amount);
      break;
    default:
      throw new Error(`unknown operation ${op}`);
  }
  state.ops.push(input === undefined ? op : `${op}:${JSON.stringify(input)}`);
  context.df.setState(state);
  context.df.return(state.value);
});

function counter(key) {
  return new df.EntityId('counter', key);
}

// Two calls in a row; each returns the counter's value after it ran.
df.app.orchestration('addTwice', function* (context) {
  const { key, amount } = context.df.getInput();
  const first = yield context.df.callEntity(counter(key), 'add', amount);
  const second = yield context.df.callEntity(counter(key), 'add', amount);
  return { first, second };
});

// Signals (fire-and-forget) then a call: the entity gets them in this order.
df.app.orchestration('signalsThenGet', function* (context) {
  const { key, amounts } = context.df.getInput();
  for (const amount of amounts) context.df.signalEntity(counter(key), 'add', amount);
  return yield context.df.callEntity(counter(key), 'get');
});

// A signal, then two calls in one Task.all, then a signal: the entity sees them in that order.
df.app.orchestration('mixedInOneEpisode', function* (context) {
  const key = context.df.getInput();
  context.df.signalEntity(counter(key), 'add', 1);
  const results = yield context.df.Task.all([
    context.df.callEntity(counter(key), 'add', 10),
    context.df.callEntity(counter(key), 'add', 100),
  ]);
  context.df.signalEntity(counter(key), 'add', 1000);
  return results;
});

// Only signals: the orchestration completes without waiting for the entity.
// eslint-disable-next-line require-yield
df.app.orchestration('signalOnly', function* (context) {
  const { key, amount } = context.df.getInput();
  context.df.signalEntity(counter(key), 'add', amount);
  return 'sent';
});

// Signals, then continues as new: each round's signal still reaches the entity.
// eslint-disable-next-line require-yield
df.app.orchestration('signalEachRound', function* (context) {
  const { key, round } = context.df.getInput();
  context.df.signalEntity(counter(key), 'add', round);
  if (round < 3) {
    context.df.continueAsNew({ key, round: round + 1 });
    return undefined;
  }
  return 'done';
});

// A failing operation surfaces as an error the orchestration can catch; the entity carries on.
df.app.orchestration('callFailing', function* (context) {
  const key = context.df.getInput();
  let caught = null;
  try {
    yield context.df.callEntity(counter(key), 'fail');
  } catch (error) {
    caught = error instanceof Error ? 'Error' : typeof error;
  }
  const after = yield context.df.callEntity(counter(key), 'add', 1);
  return { caught, after };
});

// Waits a day, then calls: with time skipping the day passes at once.
df.app.orchestration('dayThenCall', function* (context) {
  const key = context.df.getInput();
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 24 * HOUR));
  const value = yield context.df.callEntity(counter(key), 'add', 10);
  return { value, at: context.df.currentUtcDateTime.toISOString() };
});

// A call raced against an hour: the entity answers first, the timer is cancelled.
df.app.orchestration('callOrTimeout', function* (context) {
  const key = context.df.getInput();
  const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + HOUR));
  const call = context.df.callEntity(counter(key), 'get');
  const winner = yield context.df.Task.any([call, timer]);
  if (winner === call) {
    timer.cancel();
    return { winner: 'entity', value: call.result };
  }
  return { winner: 'timer' };
});

// One gated call (see 'gatedAdd'), for the restart test.
df.app.orchestration('gatedCall', function* (context) {
  const { key, amount } = context.df.getInput();
  return yield context.df.callEntity(counter(key), 'gatedAdd', amount);
});

// Calls entity A, which signals entity B; then reads B.
df.app.orchestration('forwardThenRead', function* (context) {
  const { from, to, amount } = context.df.getInput();
  yield context.df.callEntity(counter(from), 'forward', { key: to, amount });
  return yield context.df.callEntity(counter(to), 'get');
});
