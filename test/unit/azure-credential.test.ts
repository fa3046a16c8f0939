/**
 * Which credential the app uses where: the managed identity alone in Azure,
 * the developer's login elsewhere. The Azure cases also run the real
 * ManagedIdentityCredential against a stand-in for the platform's token
 * endpoint (IDENTITY_ENDPOINT + IDENTITY_HEADER, as App Service and Functions
 * set them), to show which identity it asks for and which error reaches us.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { credentialFor, runsInAzure } from '../../src/azure-credential';

const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
/** Another identity: MSAL caches managed-identity tokens per identity for the whole process. */
const UNKNOWN_CLIENT_ID = '99999999-8888-7777-6666-555555555555';
const SCOPE = 'https://cognitiveservices.azure.com/.default';

describe('the credential chosen for an environment', () => {
  it("is the developer's login (DefaultAzureCredential) where no Azure hosting variable is set", () => {
    expect(runsInAzure({})).toBe(false);
    expect(credentialFor({}, undefined)).toBeInstanceOf(DefaultAzureCredential);
    expect(credentialFor({ AZURE_CLIENT_ID: CLIENT_ID }, CLIENT_ID)).toBeInstanceOf(DefaultAzureCredential);
    expect(credentialFor({ IDENTITY_ENDPOINT: '', WEBSITE_INSTANCE_ID: '' }, CLIENT_ID)).toBeInstanceOf(DefaultAzureCredential);
  });

  it('is the managed identity alone (ManagedIdentityCredential) where the platform set its identity endpoint or instance id', () => {
    expect(credentialFor({ IDENTITY_ENDPOINT: 'http://127.0.0.1:41234/msi/token' }, CLIENT_ID)).toBeInstanceOf(ManagedIdentityCredential);
    expect(credentialFor({ WEBSITE_INSTANCE_ID: 'a1b2c3' }, CLIENT_ID)).toBeInstanceOf(ManagedIdentityCredential);
    expect(credentialFor({ WEBSITE_INSTANCE_ID: 'a1b2c3' }, undefined)).toBeInstanceOf(ManagedIdentityCredential);
  });
});

interface TokenRequest {
  path: string;
  query: Record<string, string>;
  secretHeader: string | undefined;
}

describe('in Azure, against the platform token endpoint', () => {
  let server: Server;
  let requests: TokenRequest[];
  let answer: { status: number; body: unknown };
  const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };

  // One endpoint for the whole file: MSAL settles on the platform's token endpoint once per process.
  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      requests.push({ path: url.pathname, query: Object.fromEntries(url.searchParams), secretHeader: req.headers['x-identity-header'] as string | undefined });
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    // MSAL reads the platform's variables from the process environment when it asks for a token.
    process.env.IDENTITY_ENDPOINT = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/msi/token`;
    process.env.IDENTITY_HEADER = 'platform-secret';
  });
  beforeEach(() => {
    requests = [];
  });
  afterAll(async () => {
    restore('IDENTITY_ENDPOINT', saved.endpoint);
    restore('IDENTITY_HEADER', saved.header);
    server.close();
    await once(server, 'close');
  });

  it("asks for a token for the app's user-assigned identity, by client id", async () => {
    const expiresOn = Math.floor(Date.now() / 1000) + 3600;
    answer = { status: 200, body: { access_token: 'token-for-the-app', expires_on: String(expiresOn), resource: 'https://cognitiveservices.azure.com', token_type: 'Bearer', client_id: CLIENT_ID } };

    const token = await credentialFor(process.env, CLIENT_ID).getToken(SCOPE);

    expect(token?.token).toBe('token-for-the-app');
    expect(requests).toEqual([
      { path: '/msi/token', query: expect.objectContaining({ client_id: CLIENT_ID, resource: 'https://cognitiveservices.azure.com' }) as unknown, secretHeader: 'platform-secret' },
    ]);
  });

  it("reports the platform's managed-identity error, not a chain of developer logins", async () => {
    answer = { status: 400, body: { statusCode: 400, message: `No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.` } };

    const failure = await credentialFor(process.env, UNKNOWN_CLIENT_ID).getToken(SCOPE).then(
      () => new Error('getToken succeeded'),
      (error: unknown) => error as Error,
    );

    expect(failure.message).toContain('No User Assigned or Delegated Managed Identity found');
    expect(failure.message).not.toMatch(/AzureCliCredential|AzureDeveloperCliCredential|EnvironmentCredential/);
    expect(requests.map((r) => r.query.client_id)).toContain(UNKNOWN_CLIENT_ID);
  });
});

function restore(name: string, value: string | undefined): void {
  if (value === undefined) Reflect.deleteProperty(process.env, name);
  else process.env[name] = value;
}
