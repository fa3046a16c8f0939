'use strict';
// The everyday durable patterns, each behind the generic HTTP starters a
// Functions app exposes: chaining, sub-orchestrations, custom status, retries
// exhausted then caught, a cancelled timer, continue-as-new over timers, and a
// human-interaction flow (an external event raced against a timeout). Driven by
// ../../patterns*.test.ts through the management URLs the starters return.
const { app, output } = require('@azure/functions');
const df = require('durable-functions');

const SECOND = 1000;
const at = (context, ms) => new Date(context.df.currentUtcDateTime.getTime() + ms);

df.app.activity('sayHello', { handler: (name) => `Hello ${name}` });

df.app.orchestration('helloSequence', function* (context) {
  const greetings = [];
  for (const city of ['Oslo', 'Lima', 'Pune']) greetings.push(yield context.df.callActivity('sayHello', city));
  return greetings;
});

df.app.orchestration('sayHelloWithActivity', function* (context) {
  return yield context.df.callActivity('sayHello', context.df.getInput());
});

df.app.orchestration('sayHelloWithCustomStatus', function* (context) {
  const greeting = yield context.df.callActivity('sayHello', context.df.getInput());
  context.df.setCustomStatus(greeting);
  return greeting;
});

df.app.orchestration('sayHelloWithSubOrchestrator', function* (context) {
  return yield context.df.callSubOrchestrator('sayHelloWithActivity', context.df.getInput());
});

// A 2-minute timer that loses to an activity and is cancelled, so the instance ends at once.
df.app.orchestration('cancelTimer', function* (context) {
  const deadline = context.df.createTimer(at(context, 120 * SECOND));
  const greeting = yield context.df.callActivity('sayHello', 'timer');
  if (!deadline.isCompleted) deadline.cancel();
  return greeting;
});

// Counts to 10, one 30-second timer per execution, each execution starting over with its count.
df.app.orchestration('continueAsNewCounter', function* (context) {
  const count = (context.df.getInput() ?? 0) + 1;
  yield context.df.createTimer(at(context, 30 * SECOND));
  if (count < 10) {
    context.df.continueAsNew(count);
    return undefined;
  }
  return count;
});

df.app.activity('alwaysFails', {
  handler: () => {
    throw new Error('alwaysFails failed, as it always does');
  },
});

// Two attempts one second apart; the final failure is caught and the orchestration completes with null.
df.app.orchestration('callActivityWithRetry', function* (context) {
  try {
    return yield context.df.callActivityWithRetry('alwaysFails', new df.RetryOptions(SECOND, 2));
  } catch {
    return null;
  }
});

df.app.orchestration('failingChild', function* () {
  throw new Error('failingChild failed, as it always does');
});

// Two attempts of a failing child ten seconds apart, under the same child instance id, then caught.
df.app.orchestration('callSubOrchestratorWithRetry', function* (context) {
  try {
    return yield context.df.callSubOrchestratorWithRetry('failingChild', new df.RetryOptions(10 * SECOND, 2), { instanceId: `${context.df.instanceId}:0` });
  } catch {
    return null;
  }
});

// Human interaction: a code is "texted" through an output binding this host does not implement
// (it logs that once and drops the values); the user has four tries within 90 seconds.
const textMessage = output.generic({ type: 'twilioSms', name: 'message', from: '+15550000000' });

df.app.activity('sendSmsChallenge', {
  extraOutputs: [textMessage],
  handler: (phoneNumber, context) => {
    const code = Math.floor(Math.random() * 10_000);
    context.extraOutputs.set(textMessage, { body: `Your code is ${code}`, to: phoneNumber });
    return code;
  },
});

df.app.orchestration('smsPhoneVerification', function* (context) {
  const phoneNumber = context.df.getInput();
  if (!phoneNumber) throw new Error('smsPhoneVerification needs a phone number as its input.');
  const code = yield context.df.callActivity('sendSmsChallenge', phoneNumber);
  const timeout = context.df.createTimer(at(context, 90 * SECOND));
  let verified = false;
  for (let tries = 0; tries < 4 && !verified; tries++) {
    const answer = context.df.waitForExternalEvent('SmsChallengeResponse');
    if ((yield context.df.Task.any([answer, timeout])) === timeout) break;
    verified = answer.result === code;
  }
  if (!timeout.isCompleted) timeout.cancel();
  return verified;
});

app.http('httpStart', {
  route: 'orchestrators/{orchestratorName}',
  methods: ['POST'],
  extraInputs: [df.input.durableClient()],
  handler: async (request, context) => {
    const client = df.getClient(context);
    const instanceId = await client.startNew(request.params.orchestratorName, { input: await request.json() });
    return client.createCheckStatusResponse(request, instanceId);
  },
});

// Waits up to ?timeout= seconds for the output (200), else answers with the management URLs (202).
app.http('httpSyncStart', {
  route: 'orchestrators/wait/{orchestratorName}',
  methods: ['POST'],
  extraInputs: [df.input.durableClient()],
  handler: async (request, context) => {
    const client = df.getClient(context);
    const instanceId = await client.startNew(request.params.orchestratorName, { input: await request.json() });
    const seconds = (name, fallback) => Number(request.query.get(name) ?? fallback) * SECOND;
    return client.waitForCompletionOrCreateCheckStatusResponse(request, instanceId, {
      timeoutInMilliseconds: seconds('timeout', 30),
      retryIntervalInMilliseconds: seconds('retryInterval', 1),
    });
  },
});
