// The floor: what node:http itself pays for the same bytes, written in a few lines as anyone would. One
// fs.read per range into a fresh buffer and res.end; the first 64 KiB of each file kept in memory (a
// player's probe); a whole file through createReadStream. No checks, logs or metrics. Compiled to plain JS
// by the bench, like the Fastify reference.
import { createReadStream, fstatSync, openSync, read, readSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const FILES_DIR = process.env.FILES_DIR!;
const HEAD_BYTES = 64 * 1024;
const RANGE = /^bytes=(\d+)-(\d+)$/;

const files = new Map(['small.mp4', 'large.mp4'].map((name) => {
  const path = join(FILES_DIR, name);
  const fd = openSync(path, 'r');
  const head = Buffer.allocUnsafe(HEAD_BYTES);
  readSync(fd, head, 0, HEAD_BYTES, 0);
  return [`/files/${name}`, { path, fd, size: fstatSync(fd).size, head }];
}));

const server = createServer((req, res) => {
  const file = files.get(req.url!);
  if (!file) {
    res.writeHead(404).end();
    return;
  }
  const range = RANGE.exec(req.headers.range ?? '');
  if (!range) {
    res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': file.size, 'Accept-Ranges': 'bytes' });
    createReadStream(file.path).pipe(res);
    return;
  }
  const start = Number(range[1]);
  const end = Math.min(Number(range[2]), file.size - 1);
  const headers = { 'Content-Type': 'video/mp4', 'Content-Length': end - start + 1, 'Content-Range': `bytes ${start}-${end}/${file.size}`, 'Accept-Ranges': 'bytes' };
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
