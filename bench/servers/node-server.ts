// The floor: what node:http itself pays for the same bytes, written in a few lines as anyone would. One
// fs.read per range into a fresh buffer and res.end; the first 64 KiB of each file kept in memory (a
// player's probe); a whole file through createReadStream. No checks, logs or metrics. It answers with the
// headers a browser or cache acts on that moviedash sends too (ETag, Last-Modified, Cache-Control, nosniff),
// made once per file, so that a ratio against it measures the app's work and not the size of its answer
// (moviedash's X-Request-Id, like its access log, is left to the app). Compiled to plain JS by the bench,
// like the Fastify reference.
import { createReadStream, fstatSync, openSync, read, readSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const FILES_DIR = process.env.FILES_DIR!;
const HEAD_BYTES = 64 * 1024;
const RANGE = /^bytes=(\d+)-(\d+)$/;
const CACHE = 'public, max-age=31536000, immutable';

const files = new Map(['small.mp4', 'large.mp4'].map((name) => {
  const path = join(FILES_DIR, name);
  const fd = openSync(path, 'r');
  const head = Buffer.allocUnsafe(HEAD_BYTES);
  readSync(fd, head, 0, HEAD_BYTES, 0);
  const { size, mtimeMs } = fstatSync(fd);
  const mtimeS = Math.floor(mtimeMs / 1000);
  const etag = `"${mtimeS.toString(16)}-${size.toString(16)}"`;
  return [`/files/${name}`, { path, fd, size, head, etag, lastModified: new Date(mtimeS * 1000).toUTCString() }];
}));

const server = createServer((req, res) => {
  const file = files.get(req.url!);
  if (!file) {
    res.writeHead(404).end();
    return;
  }
  const range = RANGE.exec(req.headers.range ?? '');
  const { etag, lastModified } = file;
  if (!range) {
    res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': file.size, 'Accept-Ranges': 'bytes', ETag: etag, 'Last-Modified': lastModified, 'Cache-Control': CACHE, 'X-Content-Type-Options': 'nosniff' });
    createReadStream(file.path).pipe(res);
    return;
  }
  const start = Number(range[1]);
  const end = Math.min(Number(range[2]), file.size - 1);
  const headers = {
    'Content-Type': 'video/mp4', 'Content-Length': end - start + 1, 'Content-Range': `bytes ${start}-${end}/${file.size}`, 'Accept-Ranges': 'bytes',
    ETag: etag, 'Last-Modified': lastModified, 'Cache-Control': CACHE, 'X-Content-Type-Options': 'nosniff',
  };
  if (end < HEAD_BYTES) {
    res.writeHead(206, headers).end(file.head.subarray(start, end + 1));
    return;
  }
  const buffer = Buffer.allocUnsafe(end - start + 1);
  read(file.fd, buffer, 0, buffer.length, start, (error) => {
    if (error) res.destroy(error);
    else res.writeHead(206, headers).end(buffer);
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => process.exit(0));
