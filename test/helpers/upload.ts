// Uploading in tests: fetch (raw and FormData), an interactive raw socket for Expect/abort/chunked cases,
// and the check that VIDEO_DIR holds nothing but finished files.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import type { TestServer } from './server.js';

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

const FINAL_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\.poster)?$/;

/** VIDEO_DIR may hold only finished `<uuid>` and `<uuid>.poster` files: no temp file, nothing else. */
export function assertOnlyFinalFiles(server: TestServer): string[] {
  const names = readdirSync(server.videoDir);
  assert.deepEqual(names.filter((name) => !FINAL_NAME.test(name)), [], `stray files in VIDEO_DIR: ${names.join(', ')}`);
  return names;
}

export async function waitUntil(what: string, condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
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
