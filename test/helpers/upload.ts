// Uploading in tests: fetch (raw and FormData), an interactive raw socket for Expect/abort/chunked cases,
// and the check that the storage (VIDEO_DIR, or the bucket) holds nothing but finished files.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import type { TestServer } from './server.js';
import { bucketOf, storedFileNames, unfinishedFiles } from './stored-files.js';

export interface UploadResponse {
  status: number;
  body: any;
}

async function toUploadResponse(res: Response): Promise<UploadResponse> {
  const text = await res.text();
  return { status: res.status, body: res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text };
}

/** PUT /upload/:vid-id with the file as the whole body, like `curl -T`. */
export async function putRaw(server: TestServer, path: string, body: Buffer, sid?: string): Promise<UploadResponse> {
  const headers: Record<string, string> = sid ? { 'X-Session-Id': sid } : {};
  return toUploadResponse(await fetch(server.url + path, { method: 'PUT', headers, body }));
}

/** POST /upload/:vid-id as multipart/form-data built by fetch's own FormData, like a browser. */
export async function postForm(server: TestServer, path: string, form: FormData, sid?: string): Promise<UploadResponse> {
  const headers: Record<string, string> = sid ? { 'X-Session-Id': sid } : {};
  return toUploadResponse(await fetch(server.url + path, { method: 'POST', headers, body: form }));
}

export function fileForm(file: Buffer, name = 'clip.mp4', field = 'file'): FormData {
  const form = new FormData();
  form.append(field, new Blob([file]), name);
  return form;
}

/**
 * The storage may hold only finished `<uuid>` and `<uuid>.poster` files: no temp file in VIDEO_DIR, no unfinished
 * multipart upload in the bucket, nothing else. Resolves with the finished files' names.
 */
export async function assertOnlyFinalFiles(server: TestServer): Promise<string[]> {
  const strays = await unfinishedFiles(server);
  assert.deepEqual(strays, [], `stray files in the storage: ${strays.join(', ')}`);
  return storedFileNames(server);
}

/**
 * Resolves once the upload on conn is under way: the bytes sent so far are being written to its temp file in
 * VIDEO_DIR, or (with a bucket, where nothing is sent before a whole part has gathered) the server has read them.
 */
export async function waitUntilUploadUnderWay(server: TestServer, conn: RawConnection): Promise<void> {
  if (!bucketOf(server)) {
    const tempFiles = () => readdirSync(server.videoDir).filter((name) => name.startsWith('.'));
    return waitUntil('the upload is being written', () => tempFiles().some((name) => statSync(join(server.videoDir, name)).size > 0));
  }
  return waitUntil('the server has read the bytes sent', () => unreadBytes(server, conn) === 0);
}

/** Resolves once the storage holds nothing unfinished: no temp file in VIDEO_DIR, no multipart upload in the bucket. */
export async function waitUntilNothingUnfinished(server: TestServer): Promise<void> {
  return waitUntil('nothing unfinished is left', async () => (await unfinishedFiles(server)).length === 0);
}

/** The bytes the kernel holds for the server on conn's connection that it has not read yet (/proc/net/tcp's rx_queue). */
function unreadBytes(server: TestServer, conn: RawConnection): number {
  const hexPort = (port: number) => port.toString(16).toUpperCase().padStart(4, '0');
  const local = `0100007F:${hexPort(server.port)}`;
  const remote = `0100007F:${hexPort(conn.localPort)}`;
  const line = readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .map((text) => text.trim().split(/\s+/))
    .find((fields) => fields[1] === local && fields[2] === remote);
  if (!line) throw new Error(`no server socket for the connection from port ${conn.localPort}`);
  return parseInt(line[4]!.split(':')[1]!, 16);
}

export async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A socket that writes exactly what it is told and lets the test wait for what the server says. */
export class RawConnection {
  readonly #socket: Socket;
  #received = Buffer.alloc(0);
  #isClosed = false;
  readonly #listeners = new Set<() => void>();

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk) => {
      this.#received = Buffer.concat([this.#received, chunk]);
      this.#notify();
    });
    // The server may close while we are still writing a body it refused: what it sent is what counts.
    socket.on('error', () => {});
    socket.on('close', () => {
      this.#isClosed = true;
      this.#notify();
    });
  }

  static open(server: TestServer): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  get text(): string {
    return this.#received.toString('latin1');
  }

  /** The client side's port (the server sees the connection from it). */
  get localPort(): number {
    return this.#socket.localPort!;
  }

  /** Resolves once the server closed the connection. */
  get isClosed(): boolean {
    return this.#isClosed;
  }

  write(data: string | Buffer): Promise<void> {
    return new Promise((resolve) => {
      if (this.#socket.destroyed) return resolve();
      this.#socket.write(data, () => resolve());
    });
  }

  /** Resolves with all text received once it contains `expected`; rejects if the socket closes first. */
  waitForText(expected: string, timeoutMs = 5000): Promise<string> {
    return this.#waitUntil(() => this.text.includes(expected), `"${expected}"`, timeoutMs);
  }

  /** Resolves with the first complete response after any 100 Continue: its status and JSON body. */
  async response(timeoutMs = 5000): Promise<{ status: number; head: string; body: any }> {
    const isComplete = () => parseFinalResponse(this.text) !== undefined;
    await this.#waitUntil(isComplete, 'a complete response', timeoutMs);
    return parseFinalResponse(this.text)!;
  }

  destroy(): void {
    this.#socket.destroy();
  }

  #notify(): void {
    for (const listener of this.#listeners) listener();
  }

  #waitUntil(condition: () => boolean, what: string, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (condition()) done(() => resolve(this.text));
        else if (this.#isClosed) done(() => reject(new Error(`connection closed before ${what}; got ${JSON.stringify(this.text)}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.text)}`))), timeoutMs);
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.#listeners.delete(check);
        settle();
      };
      this.#listeners.add(check);
      check();
    });
  }
}

function parseFinalResponse(text: string): { status: number; head: string; body: any } | undefined {
  const start = text.replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, '');
  const split = start.indexOf('\r\n\r\n');
  if (split === -1) return undefined;
  const head = start.slice(0, split);
  const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? 0);
  const body = start.slice(split + 4);
  if (body.length < length) return undefined;
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
  return { status, head, body: length > 0 ? JSON.parse(body.slice(0, length)) : undefined };
}

/** The head of a PUT/POST to path for RawConnection; headers are added as given. */
export function requestHead(method: string, path: string, headers: Record<string, string | number>): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `${method} ${path} HTTP/1.1\r\nHost: localhost\r\n${lines.join('')}\r\n`;
}

/** One chunk of a Transfer-Encoding: chunked body (an empty buffer is the last chunk). */
export function chunk(data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]);
}
