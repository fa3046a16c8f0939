/**
 * Whether a callback URL may be called, and at which address. Checked when
 * a request arrives (a refusal is a 400 naming `callback.url`) and again
 * before every delivery on the addresses the name resolves to then, and the
 * delivery connects to the address that was checked — so neither a URL
 * naming an inside address nor a name re-pointed at one later opens a door
 * into the app's network.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { classifyAddress } from './address-rules';

export interface CallbackRules {
  /** Local runs: plain http, and loopback addresses, are allowed. */
  allowLocalHttp: boolean;
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

export type CallbackTarget =
  | { ok: true; url: URL; address: ResolvedAddress }
  /** `lasting`: the URL itself is refused (retrying cannot help); else the name did not resolve now. */
  | { ok: false; lasting: boolean; message: string };

export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

/** DNS answers that mean the name does not exist (rather than "try again"). */
const NO_SUCH_NAME = new Set(['ENOTFOUND', 'ENODATA']);

export async function vetCallbackUrl(raw: string, rules: CallbackRules, resolve: Resolver = systemResolver): Promise<CallbackTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refused('must be an absolute URL');
  }
  if (url.username !== '' || url.password !== '') return refused('must not carry a user name or password: requests are signed instead');
  const plainHttp = url.protocol === 'http:';
  if (url.protocol !== 'https:' && !(plainHttp && rules.allowLocalHttp)) {
    return refused(rules.allowLocalHttp ? 'must be an https (or, locally, http) URL' : 'must be an https URL');
  }
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: ResolvedAddress[];
  if (isIP(hostname) !== 0) {
    addresses = [{ address: hostname, family: isIP(hostname) }];
  } else {
    try {
      addresses = await resolve(hostname);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (NO_SUCH_NAME.has(code)) return refused(`names a host that does not exist (${hostname})`);
      return { ok: false, lasting: false, message: `could not be resolved now (${code || 'DNS error'})` };
    }
  }
  const first = addresses[0];
  if (first === undefined) return refused(`names a host with no address (${hostname})`);
  for (const { address } of addresses) {
    const kind = classifyAddress(address);
    if (kind === 'public' && !plainHttp) continue;
    if (kind === 'loopback' && rules.allowLocalHttp) continue;
    if (kind === 'public') return refused('must be an https URL: plain http is allowed for loopback addresses only');
    return refused(`reaches ${address}, a private, loopback or link-local address: callbacks go to public addresses only`);
  }
  return { ok: true, url, address: first };
}

function refused(message: string): CallbackTarget {
  return { ok: false, lasting: true, message };
}
