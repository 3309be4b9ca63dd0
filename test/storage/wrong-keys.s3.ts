// STORAGE=s3 with a secret key the bucket refuses: the server still starts and serves what needs no bucket, says
// so on /healthz (both listeners) and /metrics, and answers uploads with the contract's JSON 500; with the right key
// it is healthy again.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createVideo, operatorGet, request, signUp } from '../helpers/http.js';
import { startServer } from '../helpers/server.js';
import { fakeMp4 } from '../helpers/tus.js';
import { putRaw } from '../helpers/upload.js';

const MIB = 1024 * 1024;
const UNREACHABLE = { error: 'Video storage is unreachable', error_code: '004' };

describe('STORAGE=s3 with a wrong S3_SECRET_ACCESS_KEY', () => {
  it('starts, answers /healthz 500 on both listeners, refuses uploads with JSON 500, keeps serving, and recovers with the right key', async (t) => {
    const server = await startServer({ storage: 's3', env: { S3_SECRET_ACCESS_KEY: 'not-the-secret', MAX_UPLOAD_MB: '16' } });
    t.after(() => server.close());
    for (const health of [await request(server, 'GET', '/healthz'), await operatorGet(server, '/healthz')]) {
      assert.deepEqual([health.status, health.body], [500, UNREACHABLE]);
    }
    assert.match(server.stderr(), /storage: s3 does not answer\nS3Error: ListObjectsV2: SignatureDoesNotMatch/);
    assert.doesNotMatch(server.stderr(), /GET \/healthz failed/);

    const user = await signUp(server);
    for (const size of [1000, 7 * MIB]) {
      const { id } = await createVideo(server, user);
      const res = await putRaw(server, `/upload/${id}`, fakeMp4(size), user.sid);
      assert.deepEqual([res.status, res.body], [500, { error: 'Internal server error', error_code: '004' }], `a ${size}-byte upload`);
      assert.equal((await request(server, 'GET', `/user/${user.name}/videos/${id}`)).body.status, 'pending');
    }
    assert.equal((await request(server, 'GET', '/videos')).status, 200);
    const metrics = (await operatorGet(server, '/metrics')).body as string;
    assert.match(metrics, /^moviedash_storage_up 0$/m);
    assert.match(metrics, /^moviedash_storage_errors_total\{operation="(PutObject|UploadPart|CreateMultipartUpload)"\} [1-9]/m);
    assert.match(metrics, /^moviedash_storage_requests_total\{operation="ListObjectsV2",status="403"\} [1-9]/m);

    const fixed = await server.restart({ MAX_UPLOAD_MB: '16' });
    assert.deepEqual((await request(fixed, 'GET', '/healthz')).body, { status: 'ok' });
    const { id } = await createVideo(fixed, user);
    assert.equal((await putRaw(fixed, `/upload/${id}`, fakeMp4(7 * MIB), user.sid)).status, 201);
  });
});
