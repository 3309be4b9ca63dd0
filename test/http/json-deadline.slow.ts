// The body deadline on the real server, waited out in real time (30 s): in `npm run test:slow`, beside the other
// suites that take their time, so that `npm test` stays quick.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { request as requestJson } from '../helpers/http.js';
import { startServer } from '../helpers/server.js';
import { RawConnection, requestHead } from '../helpers/upload.js';

describe('readJsonObject() deadline', () => {
  // The slow client: an anonymous POST /user declaring 60000 bytes and sending them one at a time.
  it('answers 408 with 011 to a POST /user body that does not arrive within 30 s, and closes the connection', async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    const conn = await RawConnection.open(server);
    t.after(() => conn.destroy());
    await conn.write(requestHead('POST', '/user', { 'Content-Type': 'application/json', 'Content-Length': 60_000 }));
    const started = Date.now();
    const drip = setInterval(() => void conn.write('{'), 1000);
    t.after(() => clearInterval(drip));

    const res = await conn.response(40_000);
    const tookS = (Date.now() - started) / 1000;
    assert.equal(res.status, 408);
    assert.deepEqual(res.body, { error: 'Invalid request: the body did not arrive within 30 s', error_code: '011' });
    assert.match(res.head, /\r\nconnection: close/i);
    assert.ok(tookS >= 29 && tookS < 38, `answered after ${tookS} s`);
    await new Promise<void>((resolve) => {
      const check = setInterval(() => conn.isClosed && (clearInterval(check), resolve()), 50);
    });
    // The server was serving others all along.
    assert.equal((await requestJson(server, 'GET', '/healthz')).status, 200);
  });
});
