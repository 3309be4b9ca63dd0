import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signUp, type TestUser } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { chunk, RawConnection, requestHead, waitUntil } from '../helpers/upload.js';

let server: TestServer;
let user: TestUser;

before(async () => {
  server = await startServer();
  user = await signUp(server);
});
after(() => server.close());

describe('an error answered before the body is read', () => {
  it('reaches fetch while it is still sending a large body', async () => {
    const res = await fetch(`${server.url}/user/${user.name}/videos`, { method: 'POST', body: new Blob([Buffer.alloc(4 * 1024 * 1024)]) });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error_code: string }).error_code, '002');
  });

  it('answers 413 to a chunked JSON body over 64 KiB, logs it, and keeps the connection for the next request', async () => {
    const conn = await RawConnection.open(server);
    await conn.write(requestHead('POST', '/user', { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }));
    await conn.write(Buffer.concat([chunk(Buffer.alloc(200 * 1024, 'a')), chunk(Buffer.alloc(0))]));
    const first = await conn.response();
    assert.equal(first.status, 413);
    await conn.write(requestHead('GET', '/healthz', {}));
    await conn.waitForText('{"status":"ok"}');
    conn.destroy();
    // Regression: the access log read req.socket, which is null once the body loop let go of the request.
    await waitUntil('the access line is written', () => / POST \/user 413 /.test(server.stdout()));
    assert.doesNotMatch(server.stderr(), /uncaught exception/);
  });

  it('closes the connection when the unread body keeps coming', async () => {
    const conn = await RawConnection.open(server);
    await conn.write(requestHead('POST', `/user/${user.name}/videos`, { 'Content-Length': 100 * 1024 * 1024 }));
    const res = await conn.response();
    assert.equal(res.status, 401);
    await waitUntil('the server closes the connection', () => conn.isClosed, 10_000);
  });
});
