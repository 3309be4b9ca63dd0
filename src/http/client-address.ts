// Who the client is, decided in one place for every limit, log line and metric: the socket's peer, or, when
// that peer is a reverse proxy named by TRUST_PROXY, the right-most X-Forwarded-For hop that is not itself a
// trusted proxy. Hops to the left of it were written by the client and are never believed; neither is the
// header from any peer that is not trusted.
import type { IncomingHttpHeaders } from 'node:http';
import { canonicalIp } from './ip-address.js';

/** The client of a request whose peer address is unknown (the socket closed before it was read). */
export const UNKNOWN_CLIENT = 'unknown';

export class ProxyTrust {
  readonly #trustsLoopback: boolean;
  readonly #trusted: ReadonlySet<string>;

  /** entries: `loopback` (127.0.0.0/8 and ::1) and IP addresses, as TRUST_PROXY lists them. */
  constructor(entries: readonly string[]) {
    const addresses = entries.filter((entry) => entry !== 'loopback');
    this.#trustsLoopback = addresses.length < entries.length;
    this.#trusted = new Set(addresses.map((address) => {
      const canonical = canonicalIp(address);
      if (canonical === undefined) throw new TypeError(`Not an IP address: ${JSON.stringify(address)}`);
      return canonical;
    }));
  }

  /** Whether a canonical address is a proxy whose X-Forwarded-For is believed. */
  isTrusted(address: string): boolean {
    if (this.#trustsLoopback && (address.startsWith('127.') || address === '::1')) return true;
    return this.#trusted.size > 0 && this.#trusted.has(address);
  }

  /** The client's canonical address, from the socket's peer address and the request's headers. */
  clientOf(peerAddress: string | undefined, headers: IncomingHttpHeaders): string {
    const peer = peerAddress === undefined ? undefined : canonicalIp(peerAddress);
    if (peer === undefined) return UNKNOWN_CLIENT;
    const forwardedFor = headers['x-forwarded-for'];
    if (forwardedFor === undefined || !this.isTrusted(peer)) return peer;
    return this.#rightmostUntrusted(peer, Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor);
  }

  /**
   * Walks the hops from the right (each proxy appends the address it received from). A hop that is not an
   * address stops the walk at the proxy that relayed it: nothing to its left can be vouched for.
   */
  #rightmostUntrusted(peer: string, forwardedFor: string): string {
    let client = peer;
    let end = forwardedFor.length;
    while (end > 0) {
      const comma = forwardedFor.lastIndexOf(',', end - 1);
      const hop = hopAddress(forwardedFor.slice(comma + 1, end));
      if (hop === undefined) return client;
      client = hop;
      if (!this.isTrusted(hop)) return hop;
      end = comma;
    }
    return client;
  }
}

/** One X-Forwarded-For element: `203.0.113.7`, `2001:db8::1`, or with a port (`203.0.113.7:5121`, `[2001:db8::1]:80`). */
export function hopAddress(element: string): string | undefined {
  const text = element.trim();
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    const rest = text.slice(close + 1);
    if (close === -1 || (rest !== '' && !/^:\d{1,5}$/.test(rest))) return undefined;
    return canonicalIp(text.slice(1, close));
  }
  const colon = text.indexOf(':');
  // One colon: an IPv4 address with a port. More: an IPv6 address, which has no port outside brackets.
  if (colon !== -1 && colon === text.lastIndexOf(':')) {
    return /^\d{1,5}$/.test(text.slice(colon + 1)) ? canonicalIp(text.slice(0, colon)) : undefined;
  }
  return canonicalIp(text);
}
