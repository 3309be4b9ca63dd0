// Viewers on a slow link: raw sockets that request a whole file and read it at a few KiB/s, so the server
// holds many streams open that it can only feed slowly.
import { connect, type Socket } from 'node:net';

export interface SlowClientsResult {
  /** Clients whose response started with a 2xx status line. */
  ok: number;
  failed: number;
  bytesRead: number;
}

export async function holdSlowClients(url: string, count: number, bytesPerS: number, holdMs: number): Promise<SlowClientsResult> {
  const target = new URL(url);
  const sockets: Socket[] = [];
  const statuses: (number | null)[] = new Array(count).fill(null);
  let bytesRead = 0;
  const started = Date.now();
  for (let i = 0; i < count; i++) {
    const socket = connect(Number(target.port), target.hostname);
    let received = 0;
    socket.write(`GET ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nConnection: close\r\n\r\n`);
    socket.on('data', (chunk: Buffer) => {
      if (received === 0) statuses[i] = Number(/^HTTP\/1\.1 (\d{3})/.exec(chunk.subarray(0, 16).toString('latin1'))?.[1] ?? 0);
      received += chunk.length;
      bytesRead += chunk.length;
      // Over budget: stop reading until the budget has caught up, so the kernel buffers fill and the server must wait.
      const aheadMs = (received / bytesPerS) * 1000 - (Date.now() - started);
      if (aheadMs > 0) {
        socket.pause();
        setTimeout(() => socket.resume(), aheadMs).unref();
      }
    });
    socket.on('error', () => (statuses[i] ??= 0));
    sockets.push(socket);
  }
  await new Promise((resolve) => setTimeout(resolve, holdMs));
  for (const socket of sockets) socket.destroy();
  const ok = statuses.filter((s) => s !== null && s >= 200 && s < 300).length;
  return { ok, failed: count - ok, bytesRead };
}
