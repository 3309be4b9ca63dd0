// The ways a handler answers. Each sets every header before the body, so nothing can fail after the first byte.
import type { ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendNoContent(res: ServerResponse, headers: Record<string, string> = {}): void {
  sendHeadersOnly(res, 204, headers);
}

/** A status and headers with no body (tus answers this way: 201 Created, 200 to HEAD). */
export function sendHeadersOnly(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  // RFC 9110 8.6: a 204 has no Content-Length; any other status says its body is empty.
  res.writeHead(status, { 'Cache-Control': 'no-store', ...(status === 204 ? {} : { 'Content-Length': '0' }), ...headers });
  res.end();
}

export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { Location: location, 'Content-Length': 0, 'Cache-Control': 'no-store' });
  res.end();
}
