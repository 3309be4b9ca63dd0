// Talking to the test server: JSON requests with a session, signing up users, and raw request lines.
import { connect } from 'node:net';
import type { TestServer } from './server.js';

export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as X-Session-Id. */
  sid?: string;
  headers?: Record<string, string>;
}

export async function request<T = any>(server: TestServer, method: string, path: string, options: RequestOptions = {}): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.sid) headers['X-Session-Id'] = options.sid;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['Content-Type'] ??= 'application/json';
  }
  return toJsonResponse(await fetch(server.url + path, { method, headers, body, redirect: 'manual' }));
}

/** GET on the operator listener (127.0.0.1:OPERATOR_PORT): /metrics, /healthz, /video-delete-record/:vid-id. */
export async function operatorGet<T = any>(server: TestServer, path: string): Promise<JsonResponse<T>> {
  return toJsonResponse(await fetch(server.operatorUrl + path));
}

async function toJsonResponse<T>(res: Response): Promise<JsonResponse<T>> {
  const text = await res.text();
  let parsed: unknown = text;
  if (res.headers.get('content-type')?.startsWith('application/json')) parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: parsed as T };
}

let userCounter = 0;

export interface TestUser {
  name: string;
  pwd: string;
  sid: string;
}

/** Signs up a fresh user and returns its session. */
export async function signUp(server: TestServer, name = `user${process.pid}_${++userCounter}`, pwd = 'correct horse'): Promise<TestUser> {
  const res = await request(server, 'POST', '/user', { body: { user_name: name, pwd } });
  if (res.status !== 201) throw new Error(`sign up failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { name, pwd, sid: res.body.session_id };
}

export async function createVideo(server: TestServer, user: TestUser, name = 'My video'): Promise<any> {
  const res = await request(server, 'POST', `/user/${user.name}/videos`, { sid: user.sid, body: { name } });
  if (res.status !== 201) throw new Error(`create video failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export interface RawResponse {
  status: number;
  head: string;
  body: Buffer;
}

/** Sends bytes exactly as given (fetch would normalise `../` and encodings) and reads until the server closes. */
export function rawRequest(server: TestServer, requestText: string | Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      const head = all.subarray(0, split === -1 ? all.length : split).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, head, body: split === -1 ? Buffer.alloc(0) : all.subarray(split + 4) });
    });
    socket.write(requestText);
  });
}

/** A GET request line for rawRequest, with Connection: close so the read ends. */
export function rawGet(path: string, extraHeaders = ''): string {
  return `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n${extraHeaders}\r\n`;
}
