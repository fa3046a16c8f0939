'use strict';
// Orchestrations for bench/host.bench.ts and the host's own tests.
const df = require('durable-functions');

const HOUR = 60 * 60 * 1000;

// Pure in-process work, so the benchmark measures the host, not the handlers.
const handlers = {
  validate: (order) => ({ ...order, valid: true }),
  price: (order) => ({ ...order, total: order.quantity * 3 }),
  confirm: (order) => `order ${order.id}: ${order.total}`,
};
for (const [name, handler] of Object.entries(handlers)) df.app.activity(name, { handler });
module.exports = { handlers };

// 3 activities and a one-hour durable timer.
df.app.orchestration('orderWithTimer', function* (context) {
  const validated = yield context.df.callActivity('validate', context.df.getInput());
  const priced = yield context.df.callActivity('price', validated);
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + HOUR));
  return yield context.df.callActivity('confirm', priced);
});

// The same without the timer.
df.app.orchestration('order', function* (context) {
  const validated = yield context.df.callActivity('validate', context.df.getInput());
  const priced = yield context.df.callActivity('price', validated);
  return yield context.df.callActivity('confirm', priced);
});

// `count` activities in sequence: one episode each, the history growing every time.
df.app.orchestration('longChain', function* (context) {
  const { count } = context.df.getInput();
  let order = { id: 'chain', quantity: 1 };
  for (let i = 0; i < count; i++) order = yield context.df.callActivity('validate', order);
  return count;
});
