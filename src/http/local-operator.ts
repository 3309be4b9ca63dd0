// Operator endpoints (/metrics, /video-delete-record) answer only to someone on this machine. The peer is
// the socket's address; forwarding headers are the client's to write, so they are never believed, but
// their presence means a local reverse proxy relayed the request, and behind one the whole internet
// would otherwise look like loopback.
import type { IncomingMessage } from 'node:http';

const LOOPBACK_V4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
// An IPv4 peer of a dual-stack listener shows as ::ffff:127.0.0.1.
const LOOPBACK_V4_MAPPED = /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/i;

export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  return LOOPBACK_V4.test(address) || LOOPBACK_V4_MAPPED.test(address) || address === '::1';
}

/** A loopback socket, not relayed by a proxy, and not a page of another site in a local browser. */
export function isLocalOperator(req: IncomingMessage): boolean {
  const { headers } = req;
  const isRelayed = headers.forwarded !== undefined || headers['x-forwarded-for'] !== undefined || headers['x-real-ip'] !== undefined;
  const fetchSite = headers['sec-fetch-site'];
  const isCrossSite = fetchSite === 'cross-site' || fetchSite === 'same-site';
  return isLoopbackAddress(req.socket.remoteAddress) && !isRelayed && !isCrossSite;
}
