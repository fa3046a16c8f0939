/**
 * The entities that keep something per deployment (its limiter, its learned
 * job durations) share one key: the API and the deployment name, which
 * together name one capacity and one service pace.
 */
export function deploymentKey(api: string, deployment: string): string {
  return `${api}:${deployment}`;
}
