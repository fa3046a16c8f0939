/**
 * The two answers that say the deployment itself is unusable, not the
 * request: 410 Gone (the deployment's model is retired, and every call to it
 * fails from now on) and 404 for a deployment or model the service does not
 * know. Neither passes by asking again, so they end a request at once, with
 * a message that names the deployment and says what to change.
 */
import type { SoraError } from './errors';
import type { SoraApi } from './types';

export type DeploymentFailure = 'model_retired' | 'deployment_not_found';

/**
 * 404 codes that mean "no such deployment/model" rather than "no such job":
 * Azure OpenAI's `DeploymentNotFound`, and OpenAI's `model_not_found`.
 */
const NOT_FOUND_CODES: readonly string[] = ['DeploymentNotFound', 'model_not_found'];

/**
 * Retirement is read from the status alone: Microsoft documents that a
 * retired deployment answers 410, but not the body's code.
 */
export function deploymentFailureOf(error: SoraError): DeploymentFailure | undefined {
  if (error.status === 410) return 'model_retired';
  if (error.status === 404 && NOT_FOUND_CODES.includes(error.code)) return 'deployment_not_found';
  return undefined;
}

/** What a call was meant for, and the setting that chose it. */
export interface DeploymentTarget {
  api: SoraApi;
  /** The Azure deployment name, or the model name for `openai`. */
  deployment: string;
  /** The app setting whose value is `deployment`. */
  setting: string;
}

/** Says which deployment failed, why, and what to do about it; ends with what the service said. */
export function deploymentFailureMessage(failure: DeploymentFailure, target: DeploymentTarget, error: SoraError): string {
  const said = ` (the service answered ${String(error.status)} ${error.code}: ${error.serviceMessage})`;
  if (target.api === 'openai') {
    return failure === 'model_retired'
      ? `Model '${target.deployment}' of the OpenAI-compatible endpoint is retired (410 Gone): every call with it fails. Pick a model the endpoint still serves and set ${target.setting} to it.${said}`
      : `The OpenAI-compatible endpoint has no model '${target.deployment}'. Pick a model it serves and set ${target.setting} to it.${said}`;
  }
  const offered = 'az cognitiveservices model list -l <region>';
  return failure === 'model_retired'
    ? `Deployment '${target.deployment}' (${target.api} API) is retired (410 Gone): its model no longer serves any call. Deploy a model your region still offers (${offered}) and set ${target.setting} to that deployment's name.${said}`
    : `Deployment '${target.deployment}' (${target.api} API) does not exist on the Azure OpenAI resource. Check its name (az cognitiveservices account deployment list -g <group> -n <resource>), or deploy a model your region offers (${offered}), and set ${target.setting} to it.${said}`;
}
