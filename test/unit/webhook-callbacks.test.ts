/**
 * Callback URLs: which addresses a webhook may reach (no SSRF door), how a
 * name's resolution is judged, and the Standard Webhooks signature as the
 * `standardwebhooks` package verifies it.
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { classifyAddress } from '../../src/webhooks/address-rules';
import { vetCallbackUrl, type Resolver } from '../../src/webhooks/callback-target';
import { signWebhook } from '../../src/webhooks/sign-webhook';

describe('addresses a webhook may reach', () => {
  it.each([
    ['93.184.216.34', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['10.0.0.5', 'not_public'],
    ['172.16.4.4', 'not_public'],
    ['172.31.255.255', 'not_public'],
    ['192.168.1.1', 'not_public'],
    ['169.254.169.254', 'not_public'],
    ['100.64.0.1', 'not_public'],
    ['0.0.0.0', 'not_public'],
    ['224.0.0.251', 'not_public'],
    ['255.255.255.255', 'not_public'],
    ['fd12:3456::1', 'not_public'],
    ['fe80::1', 'not_public'],
    ['::', 'not_public'],
    ['::ffff:10.0.0.1', 'not_public'],
    ['::ffff:a9fe:a9fe', 'not_public'],
    ['64:ff9b::a00:1', 'not_public'],
    ['2002:c0a8:101::1', 'not_public'],
    ['2002:5db8:d822::1', 'public'],
  ])('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });
});

const resolvesTo =
  (...addresses: string[]): Resolver =>
  () =>
    Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
const failsWith =
  (code: string): Resolver =>
  () =>
    Promise.reject(Object.assign(new Error(code), { code }));
const inAzure = { allowLocalHttp: false };
const locally = { allowLocalHttp: true };

describe('vetting a callback URL', () => {
  it('accepts https to a name that resolves to public addresses, and keeps the address it checked', async () => {
    const target = await vetCallbackUrl('https://hooks.example.com/video', inAzure, resolvesTo('93.184.216.34', '2606:4700::1'));
    expect(target).toMatchObject({ ok: true, address: { address: '93.184.216.34', family: 4 } });
  });

  it('refuses a name with any address inside, since a client may reach either', async () => {
    expect(await vetCallbackUrl('https://hooks.example.com/', inAzure, resolvesTo('93.184.216.34', '10.1.1.1'))).toEqual({
      ok: false,
      lasting: true,
      message: 'reaches 10.1.1.1, a private, loopback or link-local address: callbacks go to public addresses only',
    });
  });

  it('refuses plain http, loopback and a decimal-encoded loopback in Azure', async () => {
    expect(await vetCallbackUrl('http://hooks.example.com/', inAzure, resolvesTo('93.184.216.34'))).toMatchObject({ ok: false, message: 'must be an https URL' });
    expect(await vetCallbackUrl('https://127.0.0.1:8443/', inAzure)).toMatchObject({ ok: false, lasting: true });
    expect(await vetCallbackUrl('https://2130706433/', inAzure)).toMatchObject({ ok: false, message: expect.stringContaining('127.0.0.1') as unknown });
    expect(await vetCallbackUrl('https://localhost/', inAzure, resolvesTo('127.0.0.1'))).toMatchObject({ ok: false, lasting: true });
  });

  it('allows plain http to loopback locally, but still no private address and no plain http elsewhere', async () => {
    expect(await vetCallbackUrl('http://127.0.0.1:9000/hook', locally)).toMatchObject({ ok: true });
    expect(await vetCallbackUrl('http://[::1]:9000/hook', locally)).toMatchObject({ ok: true, address: { address: '::1', family: 6 } });
    expect(await vetCallbackUrl('http://192.168.0.10/hook', locally)).toMatchObject({ ok: false, lasting: true });
    expect(await vetCallbackUrl('http://hooks.example.com/', locally, resolvesTo('93.184.216.34'))).toMatchObject({
      ok: false,
      message: 'must be an https URL: plain http is allowed for loopback addresses only',
    });
  });

  it('refuses URLs that are not absolute, carry credentials or use another scheme', async () => {
    expect(await vetCallbackUrl('/relative', inAzure)).toMatchObject({ ok: false, message: 'must be an absolute URL' });
    expect(await vetCallbackUrl('https://user:pw@hooks.example.com/', inAzure, resolvesTo('93.184.216.34'))).toMatchObject({ ok: false, lasting: true });
    expect(await vetCallbackUrl('ftp://hooks.example.com/', inAzure)).toMatchObject({ ok: false, message: 'must be an https URL' });
  });

  it('tells a name that does not exist (lasting) from a lookup that may pass (try again)', async () => {
    expect(await vetCallbackUrl('https://nowhere.example/', inAzure, failsWith('ENOTFOUND'))).toMatchObject({ ok: false, lasting: true });
    expect(await vetCallbackUrl('https://flaky.example/', inAzure, failsWith('EAI_AGAIN'))).toEqual({ ok: false, lasting: false, message: 'could not be resolved now (EAI_AGAIN)' });
  });
});

describe('signing', () => {
  it('produces headers the standardwebhooks verifier accepts, and rejects when the body changes', () => {
    const key = randomBytes(32);
    const secret = `whsec_${key.toString('base64')}`;
    const body = JSON.stringify({ id: 'abc', status: 'succeeded' });
    const headers = signWebhook(key, 'request:abc:completed', new Date(), body);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+={0,2}$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual({ id: 'abc', status: 'succeeded' });
    expect(() => new Webhook(secret).verify(body.replace('succeeded', 'failed'), { ...headers })).toThrow(/signature/i);
  });
});
