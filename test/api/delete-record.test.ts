import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createVideo, operatorGet, request, signUp } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../scheduler/poll.js';

function nonLoopbackIPv4(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((address) => address !== undefined && !address.internal && address.family === 'IPv4')?.address;
}

describe('GET /video-delete-record/:vid-id on the operator listener', () => {
  let server: TestServer;
  before(async () => {
    // The public port listens on every address, so the test can also come from outside loopback.
    server = await startServer({ env: { SCHEDULER_INTERVAL_S: '0.2', HOST: '0.0.0.0' } });
  });
  after(() => server.close());

  it('answers 200, deletes the metadata at once and the files soon after', async () => {
    const user = await signUp(server);
    const video = await createVideo(server, user);
    const paths = [join(server.videoDir, video.id), join(server.videoDir, `${video.id}.poster`)];
    for (const path of paths) writeFileSync(path, 'bytes');

    const res = await operatorGet(server, `/video-delete-record/${video.id}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { success: true, video_id: video.id });
    assert.equal((await request(server, 'GET', `/user/${user.name}/videos/${video.id}`)).status, 404);
    await waitFor('the files to go', () => paths.every((path) => !existsSync(path)));
  });

  it('answers 200 for an unknown well-formed id and removes its stray file', async () => {
    const id = randomUUID();
    const stray = join(server.videoDir, id);
    writeFileSync(stray, 'left behind');
    const res = await operatorGet(server, `/video-delete-record/${id}`);
    assert.equal(res.status, 200);
    await waitFor('the stray file to go', () => !existsSync(stray));
  });

  const badIds = ['nope', randomUUID().toUpperCase(), `${randomUUID()}.poster`, '..%2F..%2Fetc%2Fpasswd'];
  for (const badId of badIds) {
    it(`answers 404 with 006 for the id ${badId}`, async () => {
      const res = await operatorGet(server, `/video-delete-record/${badId}`);
      assert.equal(res.status, 404);
      assert.equal(res.body.error_code, '006');
    });
  }

  // A plain TCP forwarder, nginx without X-Forwarded-For, stunnel or `ssh -R` make every client loopback:
  // the public port must not serve the operator's paths to anyone, loopback included.
  const publicCases: { what: string; headers: Record<string, string> }[] = [
    { what: 'over loopback with no forwarding header', headers: {} },
    { what: 'relayed by a proxy (X-Forwarded-For)', headers: { 'X-Forwarded-For': '203.0.113.7' } },
  ];
  for (const { what, headers } of publicCases) {
    it(`answers 404 on the public port ${what}, and deletes nothing`, async () => {
      const user = await signUp(server);
      const video = await createVideo(server, user);
      const res = await request(server, 'GET', `/video-delete-record/${video.id}`, { headers });
      assert.equal(res.status, 404);
      assert.equal(res.body.error_code, '006');
      assert.equal((await request(server, 'GET', `/user/${user.name}/videos/${video.id}`)).status, 200);
    });
  }

  const external = nonLoopbackIPv4();
  it(`is not reachable from a non-loopback address of this machine (${external})`, async () => {
    assert.ok(external, 'this test needs a non-loopback IPv4 address on the machine (apt-get needs one anyway)');
    const user = await signUp(server);
    const video = await createVideo(server, user);
    await assert.rejects(fetch(`http://${external}:${server.operatorPort}/video-delete-record/${video.id}`));
    assert.equal((await fetch(`http://${external}:${server.port}/video-delete-record/${video.id}`)).status, 404);
    assert.equal((await request(server, 'GET', `/user/${user.name}/videos/${video.id}`)).status, 200);
  });
});
