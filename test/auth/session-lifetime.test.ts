// Sessions on the real server: sliding while used (SESSION_TTL_MIN), bounded from sign-in (SESSION_MAX_DAYS),
// and stored only as a hash. Small values, as the settings allow: 3 s idle, 8.6 s in all.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { request, signUp, type TestUser } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { openServerDb } from '../scheduler/poll.js';

const TTL_MS = 3000;
const MAX_MS = 0.0001 * 24 * 60 * 60_000;

let server: TestServer;

before(async () => {
  server = await startServer({ env: { SESSION_TTL_MIN: String(TTL_MS / 60_000), SESSION_MAX_DAYS: '0.0001' } });
});
after(() => server.close());

const ownRecord = (user: TestUser) => request(server, 'GET', `/user/${user.name}`, { sid: user.sid });

/** Uses the session every 500 ms until ms after `since` have passed; fails if any use is refused. */
async function useUntil(user: TestUser, since: number, ms: number): Promise<void> {
  while (Date.now() - since < ms) {
    const res = await ownRecord(user);
    assert.equal(res.status, 200, `refused ${Date.now() - since} ms after sign-in: ${JSON.stringify(res.body)}`);
    await sleep(500);
  }
}

describe('a session on the real server', { concurrency: true }, () => {
  it('outlives SESSION_TTL_MIN while it is used, then ends at SESSION_MAX_DAYS however much it is used', async () => {
    // The server signs the user in between these two instants.
    const signingUp = Date.now();
    const user = await signUp(server);
    const signedUp = Date.now();
    await useUntil(user, signingUp, 2 * TTL_MS);
    // Used right up to its absolute limit, and then refused.
    await useUntil(user, signingUp, MAX_MS - 1000);
    await sleep(Math.max(0, signedUp + MAX_MS + 500 - Date.now()));
    const res = await ownRecord(user);
    assert.deepEqual([res.status, res.body.error_code], [401, '002']);
  });

  it('ends after SESSION_TTL_MIN without use', async () => {
    const user = await signUp(server);
    assert.equal((await ownRecord(user)).status, 200);
    await sleep(TTL_MS + 1000);
    const res = await ownRecord(user);
    assert.deepEqual([res.status, res.body.error], [401, 'Session is unknown or has expired']);
  });

  it('is stored only as the SHA-256 of its id', async () => {
    const user = await signUp(server);
    const db = openServerDb(server);
    try {
      const stored = db.prepare<[], string>('SELECT id_hash FROM sessions').pluck().all();
      assert.ok(stored.includes(createHash('sha256').update(user.sid).digest('base64url')));
      assert.ok(!stored.includes(user.sid));
    } finally {
      db.close();
    }
  });
});
