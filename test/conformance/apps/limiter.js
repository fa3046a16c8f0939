'use strict';
// The app's deployment limiter entity (from the build output) behind two
// orchestrations that call it, for ../limiter-entity.test.ts.
const df = require('durable-functions');
const { DEPLOYMENT_LIMITER, deploymentLimiter } = require('../../../dist/src/entities/deployment-limiter.js');

df.app.entity(DEPLOYMENT_LIMITER, deploymentLimiter);

df.app.orchestration('callLimiter', function* (context) {
  const { key, operation, input } = context.df.getInput();
  return yield context.df.callEntity(new df.EntityId(DEPLOYMENT_LIMITER, key), operation, input);
});
