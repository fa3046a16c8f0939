/**
 * The video links are short-lived read-only SAS URLs; their `se` parameter is
 * when they stop working. The page asks the API for fresh ones before then.
 */

/** When the link stops working (ms since the epoch), or undefined when it does not say. */
export function linkExpiry(url: string): number | undefined {
  const expiry = new URL(url).searchParams.get('se');
  const time = expiry === null ? Number.NaN : Date.parse(expiry);
  return Number.isNaN(time) ? undefined : time;
}

/** How long until the links should be fetched again: a minute before the first expires, at least 5 s away. */
export function refreshDelay(urls: readonly string[], now: number): number | undefined {
  const expiries = urls.map(linkExpiry).filter((time) => time !== undefined);
  if (expiries.length === 0) return undefined;
  return Math.max(5_000, Math.min(...expiries) - 60_000 - now);
}
