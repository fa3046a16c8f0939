/**
 * One Entra ID credential per identity for the whole app. In Azure the app
 * runs as its managed identity and nothing else, so it uses
 * ManagedIdentityCredential alone: when the identity is missing or lacks a
 * token, the error says so. DefaultAzureCredential would go on to try the
 * developer logins (environment, az, azd, VS Code…) that cannot exist there
 * and report those failures instead. On a developer's machine
 * DefaultAzureCredential finds their login.
 */
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/identity';

/**
 * Environment variables that only the Azure hosting platform sets; neither
 * `func start` nor the local host does:
 * - IDENTITY_ENDPOINT: the local token endpoint App Service and Azure
 *   Functions (Flex Consumption included) give a process whose app has a
 *   managed identity; ManagedIdentityCredential calls it there (MSAL's App
 *   Service source reads it with IDENTITY_HEADER).
 * - WEBSITE_INSTANCE_ID: set on App Service-hosted plans even when no identity
 *   is assigned, so a missing identity still fails as a managed-identity error.
 *   The Functions host itself reads its absence as "not App Service" (its Flex
 *   Consumption check on Legion), so on Flex the identity endpoint is the sign;
 *   infra/ always assigns the app its user-assigned identity.
 */
export const AZURE_HOSTING_VARIABLES = ['IDENTITY_ENDPOINT', 'WEBSITE_INSTANCE_ID'] as const;

export function runsInAzure(env: NodeJS.ProcessEnv): boolean {
  return AZURE_HOSTING_VARIABLES.some((name) => (env[name] ?? '') !== '');
}

/**
 * The credential for an environment: the managed identity in Azure (the
 * user-assigned one when `clientId` is given, else the system-assigned one),
 * the developer's login elsewhere (where a client id only steers
 * DefaultAzureCredential's own managed-identity attempt, e.g. on a VM).
 */
export function credentialFor(env: NodeJS.ProcessEnv, clientId: string | undefined): TokenCredential {
  if (runsInAzure(env)) return clientId ? new ManagedIdentityCredential({ clientId }) : new ManagedIdentityCredential();
  return clientId ? new DefaultAzureCredential({ managedIdentityClientId: clientId }) : new DefaultAzureCredential();
}

const credentials = new Map<string, TokenCredential>();

/** The process's credential for `clientId`, created once (each caches its tokens). */
export function azureCredential(clientId: string | undefined): TokenCredential {
  const key = clientId ?? '';
  let credential = credentials.get(key);
  if (!credential) {
    credential = credentialFor(process.env, clientId);
    credentials.set(key, credential);
  }
  return credential;
}
