/**
 * How the client proves who it is: an `api-key` header (Azure OpenAI), the
 * key as a bearer token (OpenAI-compatible endpoints), or a Microsoft Entra
 * ID bearer token from any `@azure/identity` credential (managed identity in
 * Azure, `az login` on a laptop).
 */
import type { TokenCredential } from '@azure/identity';
import { SoraError } from './errors';

export const DEFAULT_SORA_SCOPE = 'https://cognitiveservices.azure.com/.default';

/** Renew a cached token this long before it expires, so no call carries a token that lapses in flight. */
const REFRESH_MARGIN_MS = 2 * 60_000;

export interface SoraAuthOptions {
  apiKey?: string;
  /** How the API key travels: Azure's `api-key` header (default), or `Authorization: Bearer` as OpenAI takes it. */
  keyAs?: 'api-key' | 'bearer';
  credential?: TokenCredential;
  /** Entra ID scope; newer docs also show `https://ai.azure.com/.default`. */
  scope?: string;
}

/** Returns the auth headers for one call. */
export type SoraAuth = (signal?: AbortSignal) => Promise<Record<string, string>>;

export function createSoraAuth(options: SoraAuthOptions): SoraAuth {
  const { apiKey, credential } = options;
  if (apiKey !== undefined && credential !== undefined) {
    throw new Error('Sora client: give either apiKey or credential, not both');
  }
  if (apiKey !== undefined) {
    if (apiKey === '') throw new Error('Sora client: apiKey is empty');
    const headers: Record<string, string> = options.keyAs === 'bearer' ? { authorization: `Bearer ${apiKey}` } : { 'api-key': apiKey };
    return () => Promise.resolve(headers);
  }
  if (credential !== undefined) return bearerAuth(credential, options.scope ?? DEFAULT_SORA_SCOPE);
  throw new Error('Sora client: give apiKey or credential');
}

function bearerAuth(credential: TokenCredential, scope: string): SoraAuth {
  let cached: { token: string; expiresAt: number } | undefined;
  return async (abortSignal) => {
    if (!cached || Date.now() >= cached.expiresAt - REFRESH_MARGIN_MS) {
      const token = await credential.getToken(scope, { abortSignal }).catch((error: unknown) => {
        // Named for what it is: no call reached the service, the identity could not be proven.
        if (abortSignal?.aborted) throw error;
        throw new SoraError(
          {
            status: undefined,
            code: 'credential_failed',
            serviceMessage: `no token for scope ${scope}: ${error instanceof Error ? error.message : String(error)}`,
            param: null,
            requestId: null,
            region: null,
            retryAfterMs: null,
            // The identity endpoint can fail for a moment, as a network can.
            retryable: true,
          },
          { cause: error },
        );
      });
      if (!token) {
        throw new SoraError({
          status: undefined,
          code: 'no_token',
          serviceMessage: `the credential returned no token for scope ${scope}`,
          param: null,
          requestId: null,
          region: null,
          retryAfterMs: null,
          retryable: false,
        });
      }
      cached = { token: token.token, expiresAt: token.expiresOnTimestamp };
    }
    return { authorization: `Bearer ${cached.token}` };
  };
}
