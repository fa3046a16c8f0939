/**
 * Read links under managed identity: user delegation SAS. Entra ID cannot
 * exist here, so the one call that needs it (getUserDelegationKey) is
 * answered by a stand-in; signing is the real SDK's.
 */
import { AnonymousCredential, BlobSASPermissions, BlobServiceClient, generateBlobSASQueryParameters, type ServiceGetUserDelegationKeyResponse } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { createReadLinkSigner } from '../../src/storage/read-links';

/** A real client whose one Entra-only call answers with a fixed key, counting the requests. */
function delegatingService() {
  const service = new BlobServiceClient('https://account.blob.core.windows.net', new AnonymousCredential());
  const keyRequests: { startsOn: Date; expiresOn: Date }[] = [];
  const getKey = (startsOn: Date, expiresOn: Date): Promise<ServiceGetUserDelegationKeyResponse> => {
    keyRequests.push({ startsOn, expiresOn });
    const key = {
      signedObjectId: '00000000-0000-0000-0000-0000000000aa',
      signedTenantId: '00000000-0000-0000-0000-0000000000bb',
      signedStartsOn: startsOn,
      signedExpiresOn: expiresOn,
      signedService: 'b',
      signedVersion: '2025-01-05',
      value: Buffer.from('a delegation key for tests only').toString('base64'),
    };
    return Promise.resolve(key as unknown as ServiceGetUserDelegationKeyResponse);
  };
  service.getUserDelegationKey = getKey as BlobServiceClient['getUserDelegationKey'];
  return { service, keyRequests };
}

describe('read links under managed identity', () => {
  it('are read-only user delegation SAS that expire after the link lifetime', async () => {
    const now = Date.parse('2026-11-25T12:00:00Z');
    const { service, keyRequests } = delegatingService();
    const sign = createReadLinkSigner(service, 60 * 60_000, () => now);
    const url = new URL(await sign('videos', 'req-1/0.mp4'));
    expect(url.origin + url.pathname).toBe('https://account.blob.core.windows.net/videos/req-1/0.mp4');
    expect(url.searchParams.get('sp')).toBe('r');
    expect(url.searchParams.get('sr')).toBe('b');
    expect(url.searchParams.get('skoid')).toBe('00000000-0000-0000-0000-0000000000aa');
    expect(url.searchParams.get('se')).toBe('2026-11-25T13:00:00Z');
    // Signed with the delegation key over exactly these fields, valid from 5 minutes back (clock skew).
    const [keyRequest] = keyRequests;
    if (!keyRequest) throw new Error('no delegation key was requested');
    const key = await service.getUserDelegationKey(keyRequest.startsOn, keyRequest.expiresOn);
    const fields = { containerName: 'videos', blobName: 'req-1/0.mp4', permissions: BlobSASPermissions.parse('r'), startsOn: new Date(now - 5 * 60_000), expiresOn: new Date(now + 60 * 60_000) };
    expect(url.searchParams.get('sig')).toBe(generateBlobSASQueryParameters(fields, key, 'account').signature);
  });

  it('reuse one delegation key until a link would outlive it', async () => {
    let now = Date.parse('2026-11-25T12:00:00Z');
    const { service, keyRequests } = delegatingService();
    const sign = createReadLinkSigner(service, 60 * 60_000, () => now);
    await sign('videos', 'a.mp4');
    await sign('videos', 'b.mp4');
    expect(keyRequests).toHaveLength(1);
    now += 5.5 * 60 * 60_000; // the key (6 h) would expire before a 1-hour link does
    await sign('videos', 'c.mp4');
    expect(keyRequests).toHaveLength(2);
  });
});
