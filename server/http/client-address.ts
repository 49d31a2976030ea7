// The address a request comes from, as the login throttle and lockout see it. The TCP peer, unless
// that peer is one of the reverse proxies named in TANDEM_TRUSTED_PROXIES: then X-Forwarded-For is
// read from the right, skipping trusted proxies, and the first other address is the client. With no
// trusted proxy configured (the default) the header is ignored: any client can write it, and an
// attacker rotating it would otherwise escape every per-address limit.
import { isIP, type BlockList } from 'node:net';
import { trustedProxyList } from '../config.ts';

/** `::ffff:1.2.3.4` is the IPv4 client 1.2.3.4 on a dual-stack socket. */
function plain(address: string): string {
  const a = address.trim().replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  return mapped ? mapped[1]! : a;
}

function trusted(list: BlockList | undefined, address: string): boolean {
  const family = isIP(address);
  if (!list || !family) return false;
  return list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** The client address of a request (a plain IPv4 or IPv6 address, or '' when the socket has none). */
export function clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, proxies: BlockList | undefined): string {
  const direct = plain(peer ?? '');
  if (!trusted(proxies, direct) || forwardedFor === undefined) return direct;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((h) => plain(h))
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    // A proxy that writes garbage is not a client address: stop at the last good one.
    if (!isIP(hop)) break;
    if (!trusted(proxies, hop)) return hop;
  }
  // Every hop is a trusted proxy (or the header is garbage): the closest one stands for the client.
  return direct;
}

/** clientAddress() with the trusted proxies of the configuration, parsed once. */
export function clientAddressOf(trustedProxies: readonly string[]): (peer: string | undefined, forwardedFor: string | string[] | undefined) => string {
  const proxies = trustedProxies.length > 0 ? trustedProxyList(trustedProxies) : undefined;
  return (peer, forwardedFor) => clientAddress(peer, forwardedFor, proxies);
}

/**
 * The key a per-address limit counts under (login throttle and lockout, HTTP and FastAGI connection
 * caps, the chat widget's limits): an IPv4 address as is (also when written `::ffff:1.2.3.4`), an
 * IPv6 address by its /64 — what one subscriber is usually given, so rotating inside it gains nothing.
 */
export function addressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const a = plain(address);
  if (!a.includes(':')) return a;
  const groups = ipv6Groups(a);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : a;
}

/** The eight 16-bit groups of an IPv6 address (zone dropped, `::` expanded), or undefined. */
function ipv6Groups(address: string): string[] | undefined {
  let text = address.split('%')[0]!.toLowerCase();
  // A trailing dotted quad (::1.2.3.4) is two groups.
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = text.slice(0, quad.index) + ((a << 8) | b).toString(16) + ':' + ((c << 8) | d).toString(16);
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return undefined;
  const groups = [...head, ...Array<string>(missing).fill('0'), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => parseInt(g, 16).toString(16));
}
