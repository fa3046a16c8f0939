/**
 * Deployments marked retired: every call that reaches one answers 410 Gone,
 * as Azure OpenAI answers for a deployment whose model was retired. Tests
 * (from code), people (the admin route) and the `--retired` flag mark them.
 */
import { ApiError } from './errors';

export interface RetiredDeployment {
  deployment: string;
  /** Calls answered 410 since it was marked: how a test sees that a client did not retry. */
  refusedCalls: number;
}

export class RetiredDeployments {
  private readonly refused = new Map<string, number>();

  /** `known` are the emulator's deployments: marking any other is a mistake worth hearing about. */
  constructor(private readonly known: readonly string[]) {}

  /** Marks a deployment retired; one the emulator does not serve answers 400 over the admin route. */
  add(deployment: string): void {
    if (!this.known.includes(deployment)) {
      throw new ApiError(400, { code: 'invalid_value', message: `No deployment '${deployment}'; the emulator serves ${this.known.join(' and ')}.`, param: 'deployment', type: 'invalid_request_error' });
    }
    if (!this.refused.has(deployment)) this.refused.set(deployment, 0);
  }

  clear(): void {
    this.refused.clear();
  }

  list(): RetiredDeployment[] {
    return [...this.refused].map(([deployment, refusedCalls]) => ({ deployment, refusedCalls }));
  }

  /** Throws the 410 a call to a retired deployment gets, and counts it. */
  refuseIfRetired(deployment: string): void {
    const count = this.refused.get(deployment);
    if (count === undefined) return;
    this.refused.set(deployment, count + 1);
    throw gone(deployment);
  }
}

/**
 * Microsoft documents that every call to a retired deployment answers 410,
 * not the body. This one has the service's usual error shape; its code
 * `ModelDeprecated` follows the naming of Azure's `DeploymentNotFound` and
 * of the `ServiceModelDeprecated` that the control plane gives for creating
 * a deployment of a retired model. Clients must go by the status alone.
 */
function gone(deployment: string): ApiError {
  return new ApiError(410, {
    code: 'ModelDeprecated',
    message: `The model of deployment '${deployment}' has been retired and no longer serves requests. Deploy a model version that is still available and send requests to that deployment.`,
  });
}
