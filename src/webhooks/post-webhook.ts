/**
 * One delivery attempt: vet the URL again on what its name resolves to now,
 * connect to exactly that address (no second lookup a re-pointed name could
 * win), POST the signed body, and report the answer. Redirects are not
 * followed: a 3xx is a failed attempt. Never throws for the receiver's sake:
 * every outcome is a value the delivery orchestration decides on.
 */
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { vetCallbackUrl, type CallbackRules, type ResolvedAddress } from './callback-target';
import { signWebhook } from './sign-webhook';

export interface WebhookAttempt {
  url: string;
  webhookId: string;
  body: string;
}

export type AttemptOutcome =
  | { kind: 'delivered'; status: number }
  /** The receiver answered with something other than 2xx, or could not be reached: try again later. */
  | { kind: 'failed'; status: number | null; message: string }
  /** The URL may not be called (any more): no retry. */
  | { kind: 'refused'; message: string };

const ATTEMPT_TIMEOUT_MS = 10_000;

export async function postWebhook(attempt: WebhookAttempt, key: Buffer, rules: CallbackRules): Promise<AttemptOutcome> {
  const target = await vetCallbackUrl(attempt.url, rules);
  if (!target.ok) return target.lasting ? { kind: 'refused', message: `callback.url ${target.message}` } : { kind: 'failed', status: null, message: `callback.url ${target.message}` };
  const headers = { ...signWebhook(key, attempt.webhookId, new Date(), attempt.body), 'content-type': 'application/json', 'user-agent': 'sora-orchestrator-webhooks/1' };
  try {
    const status = await post(target.url, target.address, headers, attempt.body);
    if (status >= 200 && status < 300) return { kind: 'delivered', status };
    return { kind: 'failed', status, message: `the receiver answered HTTP ${status}` };
  } catch (error) {
    return { kind: 'failed', status: null, message: error instanceof Error ? error.message : String(error) };
  }
}

function post(url: URL, address: ResolvedAddress, headers: Record<string, string>, body: string): Promise<number> {
  // The checked address, whatever the resolver would say now; TLS still checks the certificate against the URL's name.
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all === true) (callback as (e: null, a: ResolvedAddress[]) => void)(null, [address]);
    else callback(null, address.address, address.family);
  };
  const options: RequestOptions = { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup: pinned, timeout: ATTEMPT_TIMEOUT_MS };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(url, options, (response) => {
      // The answer's body is not read: only its status counts.
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${ATTEMPT_TIMEOUT_MS / 1000} s`)));
    request.on('error', reject);
    request.end(body);
  });
}
