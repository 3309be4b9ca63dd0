// The listener's edge, seen from a raw socket: request targets and requests that never reach the router.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rawGet, rawRequest } from './helpers/http.js';
import { startServer, type TestServer } from './helpers/server.js';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server.close());

describe('request targets', () => {
  // RFC 9112 3.2.2: a server MUST accept the absolute-form, which proxies and some clients send.
  it('serves GET http://host/healthz (absolute-form) like GET /healthz', async () => {
    const res = await rawRequest(server, rawGet(`http://localhost:${server.port}/healthz`));
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body.toString()), { status: 'ok' });
  });

  it('keeps the query of an absolute-form target', async () => {
    const res = await rawRequest(server, rawGet(`http://localhost:${server.port}/videos?limit=0`));
    assert.equal(res.status, 400);
    assert.match(JSON.parse(res.body.toString()).error, /limit/);
  });

  it('answers 404 for an absolute-form target that leaves the site root, like http://host/../etc/passwd', async () => {
    const res = await rawRequest(server, rawGet(`http://localhost:${server.port}/statics/../../../etc/passwd`));
    assert.equal(res.status, 404);
    assert.equal(JSON.parse(res.body.toString()).error_code, '006');
  });
});

describe('requests node:http cannot parse', () => {
  const malformed = [
    { what: 'a header line without a colon', request: 'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\nConnection: close\r\n\r\n', status: 400, code: '011' },
    { what: 'a NUL in a header value', request: 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\nConnection: close\r\n\r\n', status: 400, code: '011' },
    // RFC 9112 3.2: an HTTP/1.1 request without Host gets 400; node:http's own refusal has an empty chunked body.
    { what: 'an HTTP/1.1 request without Host', request: 'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n', status: 400, code: '011' },
    { what: 'an unknown method FOO', request: 'FOO /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', status: 400, code: '011' },
    { what: 'two different Content-Lengths', request: 'POST /user HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n{}', status: 400, code: '011' },
    { what: 'headers over 16 KiB', request: rawGet('/healthz', `X-Big: ${'a'.repeat(20 * 1024)}\r\n`), status: 431, code: '008' },
    // The body's framing breaks after the route has started reading it: the handler has not answered yet.
    { what: 'a chunk size that is not hex', request: 'POST /user HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', status: 400, code: '011' },
    { what: 'chunk extensions over 16 KiB', request: `POST /user HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;${'a'.repeat(20 * 1024)}\r\nhello\r\n0\r\n\r\n`, status: 413, code: '008' },
  ];
  for (const { what, request, status, code } of malformed) {
    it(`answers ${status} with the JSON error ${code} for ${what}`, async () => {
      const res = await rawRequest(server, request);
      assert.equal(res.status, status);
      assert.match(res.head, /\r\nContent-Type: application\/json; charset=utf-8\r\n/i);
      const body = JSON.parse(res.body.toString());
      assert.equal(body.error_code, code);
      assert.equal(typeof body.error, 'string');
    });
  }

  it('keeps serving after a malformed request', async () => {
    await rawRequest(server, 'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');
    assert.equal((await rawRequest(server, rawGet('/healthz'))).status, 200);
  });
});
