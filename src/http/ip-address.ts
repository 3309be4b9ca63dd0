// IP addresses in one spelling each, so that a limit keyed by address cannot be dodged by writing the same
// address another way: IPv4 dotted-quad, IPv6 as RFC 5952 writes it, an IPv4-mapped IPv6 address as IPv4.
import { isIPv4, isIPv6 } from 'node:net';

const MAPPED_V4_PREFIX = '::ffff:';

/** The canonical form of an IP address (a zone `%eth0` is dropped), or undefined for anything else. */
export function canonicalIp(text: string): string | undefined {
  // node's isIPv4 refuses leading zeros, so a valid IPv4 address has one spelling already.
  if (isIPv4(text)) return text;
  const zone = text.indexOf('%');
  const address = zone === -1 ? text : text.slice(0, zone);
  if (!isIPv6(address)) return undefined;
  // The common case, a socket's IPv4 peer on a dual-stack listener: no need to parse.
  if (address.startsWith(MAPPED_V4_PREFIX) && isIPv4(address.slice(MAPPED_V4_PREFIX.length))) {
    return address.slice(MAPPED_V4_PREFIX.length);
  }
  const groups = ipv6Groups(address);
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return `${groups[6]! >> 8}.${groups[6]! & 0xff}.${groups[7]! >> 8}.${groups[7]! & 0xff}`;
  }
  return formatIpv6(groups);
}

/**
 * What a per-address limit counts by: an IPv4 address, or the /64 network of an IPv6 one (one subscriber is
 * handed a whole /64 and may use any address in it). Takes a canonical address.
 */
export function addressBlock(canonical: string): string {
  if (!canonical.includes(':')) return canonical;
  return `${formatIpv6([...ipv6Groups(canonical).slice(0, 4), 0, 0, 0, 0])}/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (an IPv4 tail such as ::1.2.3.4 included). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const tail: number[] = [];
  if (text.includes('.')) {
    const at = text.lastIndexOf(':');
    const [a, b, c, d] = text.slice(at + 1).split('.').map(Number) as [number, number, number, number];
    tail.push((a << 8) | b, (c << 8) | d);
    // ::1.2.3.4 -> ::, 64:ff9b::1.2.3.4 -> 64:ff9b::, 1:2:3:4:5:6:1.2.3.4 -> 1:2:3:4:5:6
    text = text.slice(0, at + 1);
    if (!text.endsWith('::')) text = text.slice(0, -1);
  }
  const gap = text.indexOf('::');
  const head = parseHalf(gap === -1 ? text : text.slice(0, gap));
  const rest = gap === -1 ? [] : parseHalf(text.slice(gap + 2));
  const zeros = 8 - tail.length - head.length - rest.length;
  return [...head, ...new Array<number>(gap === -1 ? 0 : zeros).fill(0), ...rest, ...tail];
}

function parseHalf(text: string): number[] {
  return text === '' ? [] : text.split(':').map((group) => parseInt(group, 16));
}

/** RFC 5952 4.2: the longest run of two or more zero groups (the first of equals) becomes `::`. */
function formatIpv6(groups: readonly number[]): string {
  let bestAt = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let end = i;
    while (end < 8 && groups[end] === 0) end++;
    if (end - i > bestLength) {
      bestAt = i;
      bestLength = end - i;
    }
    i = end;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestAt === -1) return hex.join(':');
  return `${hex.slice(0, bestAt).join(':')}::${hex.slice(bestAt + bestLength).join(':')}`;
}
