// Waits for a child server's "listening on http://HOST:PORT" line (moviedash's start-up log, and the Fastify reference's).
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { hasExited } from '../lib/procs.js';

const LISTENING = /listening on http:\/\/[^\s:]+:(\d+)/;

/** `output()` returns everything the child printed so far (a pipe's buffer or its log file). */
export async function waitForPort(child: ChildProcess, output: () => string, what: string, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = LISTENING.exec(output());
    if (match) return Number(match[1]);
    if (hasExited(child)) throw new Error(`${what} exited with ${child.exitCode ?? child.signalCode} before listening:\n${output()}`);
    if (Date.now() > deadline) throw new Error(`${what} did not start within ${timeoutMs} ms:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What was appended to the file after this call (a restarted server logs to the same file). */
export function fileReader(path: string): () => string {
  const from = existsSync(path) ? statSync(path).size : 0;
  return () => {
    try {
      return readFileSync(path).subarray(from).toString('utf8');
    } catch {
      return '';
    }
  };
}
