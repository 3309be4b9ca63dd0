import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createVideo, request, signUp } from './helpers/http.js';
import { startServer } from './helpers/server.js';

describe('WORKERS=2', () => {
  it('serves from two worker processes that see a sign-out and a deletion at once, and stops with 0', async (t) => {
    const server = await startServer({ env: { WORKERS: '2' } });
    t.after(() => server.close());
    const user = await signUp(server);
    const video = await createVideo(server, user);
    // Each fresh connection is handed to the next worker in turn, so a run of requests reaches both,
    // and each worker has cached the session before the sign-out.
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${server.url}/user/${user.name}`, { headers: { 'X-Session-Id': user.sid, Connection: 'close' } });
      assert.equal(res.status, 200);
    }
    await request(server, 'DELETE', `/user/${user.name}/videos/${video.id}`, { sid: user.sid });
    await request(server, 'DELETE', `/user/${user.name}/session`, { sid: user.sid });
    for (let i = 0; i < 6; i++) {
      const headers = { 'X-Session-Id': user.sid, Connection: 'close' };
      assert.equal((await fetch(`${server.url}/user/${user.name}`, { headers })).status, 401);
      assert.equal((await fetch(`${server.url}/user/${user.name}/videos/${video.id}`, { headers })).status, 404);
    }
    assert.equal(await server.stop(), 0);
    assert.equal((server.stdout().match(/listening on http:/g) ?? []).length, 1);
    assert.equal((server.stdout().match(/INFO stopped/g) ?? []).length, 3);
  });
});
