import { isIPv6 } from 'node:net';

/**
 * How many leading bits of an IPv6 address name one client for rate limits: an end site (a home, an office, a cloud
 * VPC) is given a /56 or more (RFC 6177), and every address in it is the same client's to use, so counted per
 * address a single stranger sends from as many addresses as it likes. /56 as express-rate-limit counts by default.
 */
export const IPV6_CLIENT_PREFIX = 56;

/**
 * The key a client's attempts are counted under (the ingest's rate limit, the console's sign-in limit), from the
 * address `clientAddress` reports: an IPv6 address by its /56 (`2001:db8:0:100::/56`), an IPv4-mapped one
 * (`::ffff:203.0.113.7`, how a dual-stack socket reports an IPv4 client) as that IPv4 address, anything else as it is.
 */
export function addressBlock(address: string): string {
  const bare = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  if (!isIPv6(bare)) return address;
  const groups = ipv6Groups(bare);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff)
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  const kept = groups.map((group, i) => {
    const bits = Math.min(16, Math.max(0, IPV6_CLIENT_PREFIX - 16 * i));
    return bits === 16 ? group : group & ~(0xffff >> bits) & 0xffff;
  });
  const prefix = kept.slice(0, Math.ceil(IPV6_CLIENT_PREFIX / 16)).map((g) => g.toString(16));
  return `${prefix.join(':')}::/${IPV6_CLIENT_PREFIX}`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a dotted IPv4 tail read as two groups). */
function ipv6Groups(address: string): number[] {
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  const text = dotted
    ? address.slice(0, dotted.index) +
      [(+dotted[1]! << 8) | +dotted[2]!, (+dotted[3]! << 8) | +dotted[4]!].map((g) => g.toString(16)).join(':')
    : address;
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const start = parse(head);
  const end = tail === undefined ? [] : parse(tail);
  return [...start, ...Array<number>(8 - start.length - end.length).fill(0), ...end];
}
