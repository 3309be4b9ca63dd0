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
