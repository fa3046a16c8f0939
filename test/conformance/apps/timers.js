'use strict';
// Orchestrations for ../timers.test.ts (time skipping): timers that win, long
// timers and host-side retries with back-off.
const df = require('durable-functions');

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

df.app.orchestration('approvalTimesOut', function* (context) {
  const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + HOUR));
  const approval = context.df.waitForExternalEvent('Approval');
  const winner = yield context.df.Task.any([approval, timer]);
  if (winner === approval) {
    timer.cancel();
    return 'approved';
  }
  return 'timed out';
});

// Ten days: longer than maximumShortTimerDuration (6 days), so the SDK splits it.
df.app.orchestration('longTimer', function* (context) {
  const started = context.df.currentUtcDateTime.getTime();
  yield context.df.createTimer(new Date(started + 10 * DAY));
  return { elapsedMs: context.df.currentUtcDateTime.getTime() - started };
});

const attemptsByKey = new Map();

// Fails until it has failed `failures` times for its key.
df.app.activity('flaky', {
  handler: ({ key, failures }) => {
    const attempt = (attemptsByKey.get(key) || 0) + 1;
    attemptsByKey.set(key, attempt);
    if (attempt <= failures) {
      throw new Error(`flaky attempt ${attempt} failed`);
    }
    return `succeeded on attempt ${attempt}`;
  },
});
df.app.activity('attemptsOf', { handler: (key) => attemptsByKey.get(key) || 0 });

function retryOptions({ first, attempts, coefficient, maxInterval }) {
  const options = new df.RetryOptions(first, attempts);
  if (coefficient !== undefined) options.backoffCoefficient = coefficient;
  if (maxInterval !== undefined) options.maxRetryIntervalInMilliseconds = maxInterval;
  return options;
}

// Input: { failures, retry: {first, attempts, coefficient?, maxInterval?}, catchFailure }
df.app.orchestration('retrying', function* (context) {
  const { failures, retry, catchFailure } = context.df.getInput();
  const key = context.df.instanceId;
  try {
    const result = yield context.df.callActivityWithRetry('flaky', retryOptions(retry), { key, failures });
    return { result, attempts: yield context.df.callActivity('attemptsOf', key) };
  } catch (error) {
    if (!catchFailure) throw error;
    return { failure: error.message, attempts: yield context.df.callActivity('attemptsOf', key) };
  }
});

const childRunsByParent = new Map();
df.app.activity('countChildRun', {
  handler: (parentId) => {
    const runs = (childRunsByParent.get(parentId) || 0) + 1;
    childRunsByParent.set(parentId, runs);
    return runs;
  },
});

// Fails on its first two runs for a parent, then succeeds.
df.app.orchestration('flakyChild', function* (context) {
  const runs = yield context.df.callActivity('countChildRun', context.df.parentInstanceId);
  if (runs <= 2) throw new Error(`child run ${runs} failed`);
  return `child succeeded on run ${runs}`;
});

df.app.orchestration('retryingParent', function* (context) {
  const retry = new df.RetryOptions(30 * 1000, 5);
  return yield context.df.callSubOrchestratorWithRetry('flakyChild', retry);
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
