// Uploads for scenario R from this process, one client for both ways so their ratio is about the server:
// a plain PUT of the whole file, and tus (POST /tus, then one PATCH per chunk on a kept-alive connection).
// Each body streams from disk in 1 MiB reads; nothing holds a chunk whole.
// The file is opened once per upload, as a client would, not once per PATCH.
import { closeSync, createReadStream, openSync } from 'node:fs';
import { Agent, request, type IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';

export interface TimedUpload {
  seconds: number;
  bytes: number;
}

const READ_BYTES = 1024 * 1024;

interface Reply {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

function send(url: string, method: string, headers: Record<string, string | number>, agent: Agent, body?: { fd: number; start: number; end: number }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (!body) req.end();
    else pipeline(createReadStream('', { fd: body.fd, start: body.start, end: body.end - 1, highWaterMark: READ_BYTES, autoClose: false }), req).catch(reject);
  });
}

function expect(reply: Reply, status: number, what: string): Reply {
  if (reply.status !== status) throw new Error(`${what} answered ${reply.status}: ${reply.body}`);
  return reply;
}

/** PUT /upload/:vid-id with the whole file as the body. */
export async function putWhole(baseUrl: string, sid: string, videoId: string, path: string, size: number): Promise<TimedUpload> {
  const agent = new Agent({ keepAlive: true });
  const fd = openSync(path, 'r');
  try {
    const started = performance.now();
    const headers = { 'X-Session-Id': sid, 'Content-Length': size };
    expect(await send(`${baseUrl}/upload/${videoId}`, 'PUT', headers, agent, { fd, start: 0, end: size }), 201, 'PUT /upload');
    return { seconds: (performance.now() - started) / 1000, bytes: size };
  } finally {
    agent.destroy();
    closeSync(fd);
  }
}

/** The whole tus exchange, timed from the POST to the last PATCH's 204. */
export async function tusUpload(baseUrl: string, sid: string, videoId: string, path: string, size: number, chunkBytes: number): Promise<TimedUpload> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const fd = openSync(path, 'r');
  try {
    const started = performance.now();
    const tus = { 'X-Session-Id': sid, 'Tus-Resumable': '1.0.0' };
    const metadata = `video_id ${Buffer.from(videoId).toString('base64')}`;
    const created = expect(await send(`${baseUrl}/tus`, 'POST', { ...tus, 'Upload-Length': size, 'Upload-Metadata': metadata }, agent), 201, 'POST /tus');
    const uploadUrl = baseUrl + created.headers.location;
    for (let offset = 0; offset < size; offset += chunkBytes) {
      const end = Math.min(size, offset + chunkBytes);
      const headers = { ...tus, 'Content-Type': 'application/offset+octet-stream', 'Upload-Offset': offset, 'Content-Length': end - offset };
      const patched = expect(await send(uploadUrl, 'PATCH', headers, agent, { fd, start: offset, end }), 204, `PATCH at ${offset}`);
      if (Number(patched.headers['upload-offset']) !== end) throw new Error(`PATCH at ${offset} left the offset at ${patched.headers['upload-offset']}, not ${end}`);
    }
    return { seconds: (performance.now() - started) / 1000, bytes: size };
  } finally {
    agent.destroy();
    closeSync(fd);
  }
}
