/**
 * Which addresses a webhook may reach: public unicast only. Private,
 * loopback, link-local (the cloud metadata endpoint), shared, multicast,
 * documentation and reserved ranges are refused, and so are IPv6 forms that
 * carry one of those IPv4 addresses inside (mapped, NAT64, 6to4). Loopback
 * is allowed only when local runs say so.
 */
import { BlockList, isIP } from 'node:net';

const NOT_PUBLIC = new BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) {
  NOT_PUBLIC.addSubnet(prefix, bits, 'ipv4');
}
for (const [prefix, bits] of [
  ['::', 128], ['::1', 128], ['100::', 64], ['2001::', 32], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) {
  NOT_PUBLIC.addSubnet(prefix, bits, 'ipv6');
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

export type AddressClass = 'public' | 'loopback' | 'not_public';

export function classifyAddress(address: string): AddressClass {
  const v4 = isIP(address) === 6 ? embeddedIpv4(address) : address;
  const family = isIP(v4) === 4 ? 'ipv4' : 'ipv6';
  if (LOOPBACK.check(v4, family)) return 'loopback';
  return NOT_PUBLIC.check(v4, family) ? 'not_public' : 'public';
}

/** The IPv4 address an IPv6 address stands for (mapped ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16), else the address itself. */
function embeddedIpv4(address: string): string {
  const groups = ipv6Groups(address);
  if (groups === undefined) return address;
  const v4 = (high: number, low: number) => [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  const zeros = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
  if (zeros(0, 5) && groups[5] === 0xffff) return v4(groups[6] ?? 0, groups[7] ?? 0);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) return v4(groups[6] ?? 0, groups[7] ?? 0);
  if (groups[0] === 0x2002) return v4(groups[1] ?? 0, groups[2] ?? 0);
  return address;
}

/** The eight 16-bit groups of an IPv6 address (`::` expanded, a trailing dotted quad read as two groups). */
function ipv6Groups(address: string): number[] | undefined {
  let text = address.split('%')[0] ?? address;
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const part = (s: string) => (s === '' ? [] : s.split(':').map((g) => Number.parseInt(g, 16)));
  const left = part(head);
  const right = tail === undefined ? [] : part(tail);
  const groups = tail === undefined ? left : [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}
