// Stream clients for limiter and leak tests: a client that reads the response head and then nothing more,
// so a large file's response cannot finish, and a way to wait for state the server reaches by itself.
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { TestServer } from '../helpers/server.js';

/** Big enough that loopback socket buffers cannot take the whole response of a client that stops reading. */
export const BIG_FILE_BYTES = 32 * 1024 * 1024;

/** An MP4 `ftyp` box, so uploads accept the file, then random bytes. */
export function writeBigFile(path: string): void {
  const ftyp = Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex');
  writeFileSync(path, Buffer.concat([ftyp, randomBytes(BIG_FILE_BYTES - ftyp.length)]));
}

export interface HeldStream {
  status: number;
  head: string;
  /** Body bytes that came in the same reads as the head. */
  bodyStart: Buffer;
  socket: Socket;
}

/** Sends GET path (with extra header lines) and resolves once the response head is in; from then on the socket is paused. */
export function holdStream(server: Pick<TestServer, 'port'>, path: string, headers: Record<string, string> = {}): Promise<HeldStream> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    let received = Buffer.alloc(0);
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`connection closed before a response head for ${path}`)));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.pause();
      socket.removeAllListeners('data');
      const head = received.subarray(0, end).toString('latin1');
      const bodyStart = received.subarray(end + 4);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, bodyStart, socket });
    });
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
    socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n${lines}\r\n`);
  });
}

/** Retries check until it passes or budgetMs is spent: for state the server reaches after a socket closes. */
export async function eventually(check: () => Promise<void>, budgetMs = 15_000): Promise<void> {
  const deadline = Date.now() + budgetMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
