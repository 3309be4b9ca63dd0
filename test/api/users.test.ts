import assert from 'node:assert/strict';
import { before, after, describe, it } from 'node:test';
import { request, signUp } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe('users and sessions', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  describe('POST /user', () => {
    it('answers 201 with a session id and sets the HttpOnly session cookie', async () => {
      const res = await request(server, 'POST', '/user', { body: { user_name: 'signup_ok', pwd: 'password1' } });
      assert.equal(res.status, 201);
      assert.equal(res.body.success, true);
      assert.match(res.body.session_id, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(res.headers.get('set-cookie'), `session=${res.body.session_id}; HttpOnly; SameSite=Lax; Path=/`);
    });

    it('answers 409 with 007 for a taken name, in any letter case', async () => {
      await signUp(server, 'taken_name');
      for (const name of ['taken_name', 'TAKEN_NAME']) {
        const res = await request(server, 'POST', '/user', { body: { user_name: name, pwd: 'password1' } });
        assert.equal(res.status, 409);
        assert.equal(res.body.error_code, '007');
      }
    });

    const invalid = [
      { what: 'an empty name', body: { user_name: '', pwd: 'password1' }, field: 'user_name' },
      { what: 'a 65-character name', body: { user_name: 'a'.repeat(65), pwd: 'password1' }, field: 'user_name' },
      { what: 'a name with a space', body: { user_name: 'bad name', pwd: 'password1' }, field: 'user_name' },
      { what: 'a name with a slash', body: { user_name: 'a/b', pwd: 'password1' }, field: 'user_name' },
      { what: 'a number as name', body: { user_name: 42, pwd: 'password1' }, field: 'user_name' },
      { what: 'the name "."', body: { user_name: '.', pwd: 'password1' }, field: 'user_name' },
      { what: 'the name ".."', body: { user_name: '..', pwd: 'password1' }, field: 'user_name' },
      { what: 'a missing name', body: { pwd: 'password1' }, field: 'user_name' },
      { what: 'a 7-character password', body: { user_name: 'shortpwd', pwd: '1234567' }, field: 'pwd' },
      { what: 'a 257-character password', body: { user_name: 'longpwd', pwd: 'p'.repeat(257) }, field: 'pwd' },
      { what: 'a missing password', body: { user_name: 'nopwd' }, field: 'pwd' },
      { what: 'an array as password', body: { user_name: 'arrpwd', pwd: ['password1'] }, field: 'pwd' },
    ];
    for (const { what, body, field } of invalid) {
      it(`answers 400 with 011 naming ${field} for ${what}`, async () => {
        const res = await request(server, 'POST', '/user', { body });
        assert.equal(res.status, 400);
        assert.equal(res.body.error_code, '011');
        assert.match(res.body.error, new RegExp(field));
      });
    }

    it('accepts 64-character names and 256-character passwords at the limits', async () => {
      const res = await request(server, 'POST', '/user', { body: { user_name: 'b'.repeat(64), pwd: 'é'.repeat(256) } });
      assert.equal(res.status, 201);
    });

    const badBodies = [
      { what: 'invalid JSON', body: '{"user_name": "x",', status: 400, code: '001' },
      { what: 'an array', body: '[]', status: 400, code: '001' },
      { what: 'a string', body: '"hello"', status: 400, code: '001' },
      { what: 'null', body: 'null', status: 400, code: '001' },
      { what: 'an empty body', body: '', status: 400, code: '001' },
      { what: 'a 100 KiB body', body: JSON.stringify({ user_name: 'big', pwd: 'x'.repeat(100 * 1024) }), status: 413, code: '008' },
    ];
    for (const { what, body, status, code } of badBodies) {
      it(`answers ${status} with ${code} for ${what} and creates nobody`, async () => {
        const res = await request(server, 'POST', '/user', { body });
        assert.equal(res.status, status);
        assert.equal(res.body.error_code, code);
        assert.equal(typeof res.body.error, 'string');
        const signIn = await request(server, 'POST', '/user/big', { body: { user_name: 'big', pwd: 'x'.repeat(100) } });
        assert.equal(signIn.status, 401);
      });
    }

    it('answers 400 with 001 for a body that is not valid UTF-8 and creates nobody', async () => {
      const body = Buffer.concat([Buffer.from('{"user_name":"bad_utf8","pwd":"pass'), Buffer.from([0xff, 0xfe]), Buffer.from('word"}')]);
      const res = await fetch(`${server.url}/user`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      assert.equal(res.status, 400);
      assert.equal(((await res.json()) as { error_code: string }).error_code, '001');
      const signIn = await request(server, 'POST', '/user/bad_utf8', { body: { pwd: 'pass\ufffd\ufffdword' } });
      assert.equal(signIn.status, 401);
    });

    it('answers 413 for a chunked 100 KiB body without Content-Length', async () => {
      const chunk = new TextEncoder().encode(JSON.stringify({ user_name: 'chunky', pwd: 'x'.repeat(100 * 1024) }));
      const body = new ReadableStream({ start(c) { c.enqueue(chunk); c.close(); } });
      const res = await fetch(`${server.url}/user`, { method: 'POST', body, duplex: 'half' } as RequestInit);
      assert.equal(res.status, 413);
      assert.equal(((await res.json()) as { error_code: string }).error_code, '008');
    });
  });

  describe('POST /user/:username (sign in)', () => {
    it('answers 200 with a new session for the right password', async () => {
      const user = await signUp(server, 'signin_ok', 'password1');
      const res = await request(server, 'POST', '/user/signin_ok', { body: { user_name: 'signin_ok', pwd: 'password1' } });
      assert.equal(res.status, 200);
      assert.equal(res.body.success, true);
      assert.notEqual(res.body.session_id, user.sid);
      assert.match(res.headers.get('set-cookie') ?? '', /^session=.+; HttpOnly; SameSite=Lax; Path=\/$/);
    });

    it('answers 401 with 002 for a wrong password and for an unknown user alike', async () => {
      await signUp(server, 'signin_bad', 'password1');
      const wrong = await request(server, 'POST', '/user/signin_bad', { body: { user_name: 'signin_bad', pwd: 'password2' } });
      const unknown = await request(server, 'POST', '/user/nobody_here', { body: { user_name: 'nobody_here', pwd: 'password1' } });
      for (const res of [wrong, unknown]) {
        assert.equal(res.status, 401);
        assert.equal(res.body.error_code, '002');
      }
      assert.equal(wrong.body.error, unknown.body.error);
    });

    it('answers 400 when the body names another user than the path', async () => {
      await signUp(server, 'signin_mismatch', 'password1');
      const res = await request(server, 'POST', '/user/signin_mismatch', { body: { user_name: 'someone_else', pwd: 'password1' } });
      assert.equal(res.status, 400);
      assert.equal(res.body.error_code, '011');
    });
  });

  describe('GET /user/:username', () => {
    it('answers 200 with id, user_name and created_at to the user', async () => {
      const user = await signUp(server, 'get_me');
      const res = await request(server, 'GET', '/user/get_me', { sid: user.sid });
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.body).sort(), ['created_at', 'id', 'user_name']);
      assert.equal(res.body.user_name, 'get_me');
      assert.ok(!Number.isNaN(Date.parse(res.body.created_at)));
    });

    it('authenticates with the session cookie as well as X-Session-Id', async () => {
      const user = await signUp(server, 'cookie_me');
      const res = await request(server, 'GET', '/user/cookie_me', { headers: { Cookie: `session=${user.sid}` } });
      assert.equal(res.status, 200);
    });

    it('answers 401 without a session or with an unknown one', async () => {
      await signUp(server, 'get_anon');
      for (const sid of [undefined, 'x'.repeat(43), 'not-a-session']) {
        const res = await request(server, 'GET', '/user/get_anon', sid === undefined ? {} : { sid });
        assert.equal(res.status, 401);
        assert.equal(res.body.error_code, '002');
      }
    });

    it("answers 403 for another user's record and 404 for an unknown user", async () => {
      const alice = await signUp(server, 'get_alice');
      await signUp(server, 'get_bob');
      const other = await request(server, 'GET', '/user/get_bob', { sid: alice.sid });
      assert.equal(other.status, 403);
      assert.equal(other.body.error_code, '005');
      const missing = await request(server, 'GET', '/user/get_nobody', { sid: alice.sid });
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error_code, '006');
    });
  });

  describe('DELETE /user/:username/session (sign out)', () => {
    it('answers 204, ends that session only, and clears the cookie', async () => {
      const user = await signUp(server, 'signout_me', 'password1');
      const second = await request(server, 'POST', '/user/signout_me', { body: { user_name: 'signout_me', pwd: 'password1' } });
      const res = await request(server, 'DELETE', '/user/signout_me/session', { sid: user.sid });
      assert.equal(res.status, 204);
      assert.match(res.headers.get('set-cookie') ?? '', /^session=; .*Max-Age=0/);
      assert.equal((await request(server, 'GET', '/user/signout_me', { sid: user.sid })).status, 401);
      assert.equal((await request(server, 'GET', '/user/signout_me', { sid: second.body.session_id })).status, 200);
    });

    it("answers 403 for another user's session path and 401 without a session", async () => {
      const alice = await signUp(server, 'signout_alice');
      await signUp(server, 'signout_bob');
      assert.equal((await request(server, 'DELETE', '/user/signout_bob/session', { sid: alice.sid })).status, 403);
      assert.equal((await request(server, 'DELETE', '/user/signout_alice/session')).status, 401);
    });
  });

  describe('DELETE /user/:username (delete the account)', () => {
    it('answers 204, ends every session of the account and frees the name', async () => {
      const user = await signUp(server, 'delete_me', 'password1');
      const second = await request(server, 'POST', '/user/delete_me', { body: { user_name: 'delete_me', pwd: 'password1' } });
      const res = await request(server, 'DELETE', '/user/delete_me', { sid: user.sid, body: { pwd: 'password1' } });
      assert.equal(res.status, 204);
      for (const sid of [user.sid, second.body.session_id]) {
        assert.equal((await request(server, 'GET', '/user/delete_me', { sid })).status, 401);
      }
      assert.equal((await request(server, 'GET', '/user/delete_me/videos')).status, 404);
      await signUp(server, 'delete_me', 'password2');
    });

    it('answers 401 for a wrong password and keeps the account', async () => {
      const user = await signUp(server, 'delete_wrong', 'password1');
      const res = await request(server, 'DELETE', '/user/delete_wrong', { sid: user.sid, body: { pwd: 'password9' } });
      assert.equal(res.status, 401);
      assert.equal(res.body.error_code, '002');
      assert.equal((await request(server, 'GET', '/user/delete_wrong', { sid: user.sid })).status, 200);
    });

    it('answers 400 without a password, 403 for another account, 401 without a session', async () => {
      const alice = await signUp(server, 'delete_alice', 'password1');
      await signUp(server, 'delete_bob', 'password1');
      const noPwd = await request(server, 'DELETE', '/user/delete_alice', { sid: alice.sid, body: {} });
      assert.equal(noPwd.status, 400);
      assert.equal(noPwd.body.error_code, '011');
      const other = await request(server, 'DELETE', '/user/delete_bob', { sid: alice.sid, body: { pwd: 'password1' } });
      assert.equal(other.status, 403);
      const anon = await request(server, 'DELETE', '/user/delete_alice', { body: { pwd: 'password1' } });
      assert.equal(anon.status, 401);
    });
  });

  describe('cookie-only state changes from another site', () => {
    it('refuses a cross-origin cookie-only POST with 403 and creates nothing', async () => {
      const user = await signUp(server, 'csrf_target');
      const attempts: Record<string, string>[] = [
        { Cookie: `session=${user.sid}`, Origin: 'http://evil.example' },
        { Cookie: `session=${user.sid}`, 'Sec-Fetch-Site': 'cross-site' },
        { Cookie: `session=${user.sid}`, Origin: 'null' },
      ];
      for (const headers of attempts) {
        const res = await request(server, 'POST', '/user/csrf_target/videos', { headers, body: { name: 'evil' } });
        assert.equal(res.status, 403);
        assert.equal(res.body.error_code, '005');
      }
      const list = await request(server, 'GET', '/user/csrf_target/videos');
      assert.deepEqual(list.body.videos, []);
    });

    it('refuses a sign-up or sign-in that another site started (login CSRF)', async () => {
      await signUp(server, 'csrf_login', 'password1');
      const headers = { Origin: 'http://evil.example', 'Sec-Fetch-Site': 'cross-site' };
      const up = await request(server, 'POST', '/user', { headers, body: { user_name: 'csrf_new', pwd: 'password1' } });
      assert.equal(up.status, 403);
      assert.equal(up.body.error_code, '005');
      assert.equal(up.headers.get('set-cookie'), null);
      const signIn = await request(server, 'POST', '/user/csrf_login', { headers, body: { user_name: 'csrf_login', pwd: 'password1' } });
      assert.equal(signIn.status, 403);
      assert.equal(signIn.headers.get('set-cookie'), null);
      assert.equal((await request(server, 'POST', '/user/csrf_new', { body: { user_name: 'csrf_new', pwd: 'password1' } })).status, 401);
    });

    it('accepts the same request from the site itself or with X-Session-Id', async () => {
      const user = await signUp(server, 'csrf_ok');
      const host = new URL(server.url).host;
      const sameOrigin = await request(server, 'POST', '/user/csrf_ok/videos', {
        headers: { Cookie: `session=${user.sid}`, Origin: `http://${host}`, 'Sec-Fetch-Site': 'same-origin' },
        body: { name: 'mine' },
      });
      assert.equal(sameOrigin.status, 201);
      const byHeader = await request(server, 'POST', '/user/csrf_ok/videos', {
        sid: user.sid,
        headers: { Origin: 'http://elsewhere.example' },
        body: { name: 'by header' },
      });
      assert.equal(byHeader.status, 201);
    });
  });
});

describe('sessions across restarts (their lifetime: test/auth/session-lifetime.test.ts)', () => {
  it('keeps a session across a restart', async (t) => {
    let server = await startServer();
    t.after(() => server.close());
    const user = await signUp(server, 'restart_me');
    server = await server.restart();
    const res = await request(server, 'GET', '/user/restart_me', { sid: user.sid });
    assert.equal(res.status, 200);
  });
});
