/**
 * One Entra ID credential for the whole app. DefaultAzureCredential finds the
 * function app's managed identity in Azure (the user-assigned one when a
 * client id is given) and the developer's login (az, azd, VS Code) locally.
 */
import { DefaultAzureCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/identity';

const credentials = new Map<string, TokenCredential>();

export function azureCredential(managedIdentityClientId: string | undefined): TokenCredential {
  const key = managedIdentityClientId ?? '';
  let credential = credentials.get(key);
  if (!credential) {
    credential = managedIdentityClientId ? new DefaultAzureCredential({ managedIdentityClientId }) : new DefaultAzureCredential();
    credentials.set(key, credential);
  }
  return credential;
}
