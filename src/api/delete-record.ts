// GET /video-delete-record/:vid-id, the Go original's operator endpoint: queues a video's deletion, for
// requests from this machine only (`curl http://127.0.0.1:8080/video-delete-record/<id>`).
import type { IncomingMessage } from 'node:http';
import { param, type RequestContext } from '../http/context.js';
import { forbidden, notFound } from '../http/errors.js';
import { sendJson } from '../http/respond.js';
import { isVideoId } from '../video-files.js';

const LOOPBACK_V4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const LOOPBACK_V4_MAPPED = /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/i;

/** 127.0.0.0/8, ::1, or 127.x mapped into IPv6 (a dual-stack listener's view of IPv4 loopback). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  return LOOPBACK_V4.test(address) || LOOPBACK_V4_MAPPED.test(address) || address === '::1';
}

/**
 * From the operator on this machine: a loopback socket, not relayed by a local reverse proxy (which would
 * make the whole internet look like loopback), and not a page of another site in a local browser.
 */
export function isLocalOperator(req: IncomingMessage): boolean {
  const { headers } = req;
  const isRelayed = headers.forwarded !== undefined || headers['x-forwarded-for'] !== undefined || headers['x-real-ip'] !== undefined;
  const fetchSite = headers['sec-fetch-site'];
  const isCrossSite = fetchSite === 'cross-site' || fetchSite === 'same-site';
  return isLoopbackAddress(req.socket.remoteAddress) && !isRelayed && !isCrossSite;
}

export function queueVideoDeletion(ctx: RequestContext): void {
  if (!isLocalOperator(ctx.req)) throw forbidden('Only the operator on this machine (loopback) may queue a deletion');
  const videoId = param(ctx, 'vid-id');
  if (!isVideoId(videoId)) throw notFound('video');
  ctx.app.store.deleteVideo(videoId, Date.now());
  sendJson(ctx.res, 200, { success: true, video_id: videoId });
}
