import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signUp, type TestUser } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { RawConnection, requestHead, waitUntil } from '../helpers/upload.js';

let server: TestServer;
let user: TestUser;

before(async () => {
  server = await startServer();
  user = await signUp(server);
});
after(() => server.close());

describe('Expect: 100-continue on JSON routes', () => {
  it('sends 100 Continue before reading a JSON body, then answers 201', async () => {
    const body = JSON.stringify({ name: 'continued' });
    const conn = await RawConnection.open(server);
    const head = { 'X-Session-Id': user.sid, 'Content-Type': 'application/json', 'Content-Length': body.length, Expect: '100-continue' };
    await conn.write(requestHead('POST', `/user/${user.name}/videos`, head));
    await conn.waitForText('HTTP/1.1 100 Continue\r\n\r\n');
    await conn.write(body);
    const res = await conn.response();
    conn.destroy();
    assert.equal(res.status, 201);
    assert.equal(res.body.name, 'continued');
  });

  it('answers 401 without a 100 when the session is missing, then closes', async () => {
    const conn = await RawConnection.open(server);
    await conn.write(requestHead('POST', `/user/${user.name}/videos`, { 'Content-Length': 20, Expect: '100-continue' }));
    const res = await conn.response();
    assert.equal(res.status, 401);
    assert.doesNotMatch(conn.text, /100 Continue/);
    assert.match(res.head, /\r\nConnection: close/i);
    await waitUntil('the server closes the connection', () => conn.isClosed);
  });
});
