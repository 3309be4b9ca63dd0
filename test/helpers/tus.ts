// Speaking tus to the test server by hand (fetch), for the protocol's header details, and the video files
// tus tests upload: a valid MP4 head (ftyp + mdat) before random bytes, so the server takes it for a video.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { TestUser } from './http.js';
import type { TestServer } from './server.js';

export const TUS_HEADERS = { 'Tus-Resumable': '1.0.0' };
export const OFFSET_OCTET_STREAM = 'application/offset+octet-stream';

export interface TusResponse {
  status: number;
  headers: Headers;
  body: any;
}

export interface TusRequestOptions {
  sid?: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** Leave Tus-Resumable out (for the 412 tests). */
  withoutVersion?: boolean;
}

export async function tusRequest(server: TestServer, method: string, path: string, options: TusRequestOptions = {}): Promise<TusResponse> {
  const headers: Record<string, string> = { ...(options.withoutVersion ? {} : TUS_HEADERS), ...options.headers };
  if (options.sid) headers['X-Session-Id'] = options.sid;
  const res = await fetch(server.url + path, { method, headers, body: options.body });
  const text = await res.text();
  const body = text !== '' && res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text;
  return { status: res.status, headers: res.headers, body };
}

/** `video_id <base64>` plus any other pairs, as Upload-Metadata. */
export function uploadMetadata(pairs: Record<string, string>): string {
  return Object.entries(pairs)
    .map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`)
    .join(',');
}

/** POST /tus for the video; returns the upload's path (`/tus/<id>`). */
export async function createUpload(server: TestServer, user: TestUser, videoId: string, length: number): Promise<string> {
  const res = await tusRequest(server, 'POST', '/tus', {
    sid: user.sid,
    headers: { 'Upload-Length': String(length), 'Upload-Metadata': uploadMetadata({ video_id: videoId }) },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const location = res.headers.get('location');
  assert.match(location ?? '', /^\/tus\/[0-9a-f]{32}$/);
  return location!;
}

export function patchBytes(server: TestServer, user: TestUser, path: string, offset: number, bytes: Buffer): Promise<TusResponse> {
  return tusRequest(server, 'PATCH', path, {
    sid: user.sid,
    headers: { 'Content-Type': OFFSET_OCTET_STREAM, 'Upload-Offset': String(offset) },
    body: bytes,
  });
}

export async function uploadOffset(server: TestServer, user: TestUser, path: string): Promise<number> {
  const res = await tusRequest(server, 'HEAD', path, { sid: user.sid });
  assert.equal(res.status, 200);
  return Number(res.headers.get('upload-offset'));
}

/** size bytes that sniff as MP4: a 32-byte ftyp box, then an mdat box holding random bytes. */
export function fakeMp4(size: number): Buffer {
  const file = randomBytes(size);
  file.writeUInt32BE(32, 0);
  file.write('ftypisom', 4, 'latin1');
  file.writeUInt32BE(0x200, 12);
  file.write('isomiso2avc1mp41', 16, 'latin1');
  file.writeUInt32BE(size - 32, 32);
  file.write('mdat', 36, 'latin1');
  return file;
}
