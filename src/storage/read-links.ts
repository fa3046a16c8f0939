/**
 * Read-only, short-lived links to stored videos, minted when a client reads a
 * request's status (never stored in orchestration state).
 *
 * Under managed identity there is no account key, so links are user
 * delegation SAS signed with a key Azure hands to the identity; with a
 * connection string that carries a key (Azurite) they are service SAS.
 */
import { BlobSASPermissions, StorageSharedKeyCredential, type BlobServiceClient, type UserDelegationKey } from '@azure/storage-blob';

export type ReadLinkSigner = (container: string, blobName: string) => Promise<string>;

/** A delegation key is requested for this long and reused until a link would outlive it. */
const DELEGATION_KEY_LIFETIME_MS = 6 * 60 * 60 * 1000;
/** Tolerates clock skew between us and Storage. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

export function createReadLinkSigner(service: BlobServiceClient, ttlMs: number, now: () => number = Date.now): ReadLinkSigner {
  const permissions = BlobSASPermissions.parse('r');
  if (service.credential instanceof StorageSharedKeyCredential) {
    return (container, blobName) =>
      service.getContainerClient(container).getBlobClient(blobName).generateSasUrl({ permissions, expiresOn: new Date(now() + ttlMs) });
  }

  let delegation: { key: UserDelegationKey; expiresAt: number } | undefined;
  async function delegationKey(linkExpiresAt: number): Promise<UserDelegationKey> {
    if (!delegation || delegation.expiresAt < linkExpiresAt) {
      const startsOn = new Date(now() - CLOCK_SKEW_MS);
      const expiresOn = new Date(Math.max(linkExpiresAt, now() + DELEGATION_KEY_LIFETIME_MS));
      delegation = { key: await service.getUserDelegationKey(startsOn, expiresOn), expiresAt: expiresOn.getTime() };
    }
    return delegation.key;
  }
  return async (container, blobName) => {
    const expiresAt = now() + ttlMs;
    const key = await delegationKey(expiresAt);
    return service
      .getContainerClient(container)
      .getBlobClient(blobName)
      .generateUserDelegationSasUrl({ permissions, startsOn: new Date(now() - CLOCK_SKEW_MS), expiresOn: new Date(expiresAt) }, key);
  };
}
