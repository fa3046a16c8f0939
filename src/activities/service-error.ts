/**
 * Turns whatever a Sora call threw into the small, secret-free record that
 * travels through orchestration state and reaches the client.
 */
import type { ServiceErrorInfo } from '../contracts/orchestration';
import { deploymentFailureMessage, deploymentFailureOf, type DeploymentTarget } from '../sora/deployment-failure';
import { SoraError } from '../sora/errors';

export function serviceErrorInfo(error: unknown): ServiceErrorInfo {
  if (error instanceof SoraError) {
    return {
      status: error.status ?? null,
      code: error.code,
      message: error.serviceMessage,
      param: error.param,
      requestId: error.requestId,
    };
  }
  return { status: null, code: 'internal_error', message: error instanceof Error ? error.message : String(error), param: null, requestId: null };
}

/**
 * A failed call to `target`. When the deployment itself is gone (410: the
 * model is retired; 404: no such deployment or model) the code is ours —
 * `model_retired` or `deployment_not_found` — and the message names the
 * deployment and the setting to change; the service's own words follow it.
 */
export function callErrorInfo(error: SoraError, target: DeploymentTarget): ServiceErrorInfo {
  const info = serviceErrorInfo(error);
  const failure = deploymentFailureOf(error);
  return failure === undefined ? info : { ...info, code: failure, message: deploymentFailureMessage(failure, target, error) };
}

/** Whether the call's deployment is gone, so asking again cannot help. */
export function isDeploymentFailure(error: SoraError): boolean {
  return deploymentFailureOf(error) !== undefined;
}
