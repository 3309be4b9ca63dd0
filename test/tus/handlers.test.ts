// The tus routes spoken by hand over real sockets: every header the contract names, every refusal.
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createVideo, request, signUp, type TestUser } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { putRaw, RawConnection, requestHead, waitUntil } from '../helpers/upload.js';
import {
  createUpload,
  fakeMp4,
  OFFSET_OCTET_STREAM,
  patchBytes,
  tusRequest,
  uploadMetadata,
  uploadOffset,
  type TusResponse,
} from '../helpers/tus.js';

const MAX_UPLOAD_MB = 2;
const MiB = 1024 * 1024;
/** A PDF named like a video: what a user may pick by mistake. */
const notAVideo = (size: number) => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size - 9)]);

let server: TestServer;
let owner: TestUser;
let stranger: TestUser;

before(async () => {
  server = await startServer({ env: { MAX_UPLOAD_MB: String(MAX_UPLOAD_MB) } });
  owner = await signUp(server);
  stranger = await signUp(server);
});
after(() => server.close());

const freshVideoId = async (user = owner): Promise<string> => (await createVideo(server, user)).id;

function assertError(res: TusResponse, status: number, code: string, mentions?: RegExp): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.error_code, code);
  if (mentions) assert.match(res.body.error, mentions);
}

/** The partial file of the upload at path (`/tus/<id>`) in VIDEO_DIR, if there is one. */
function partialFileOf(path: string): string | undefined {
  const name = readdirSync(server.videoDir).find((file) => file.endsWith(`.${path.slice('/tus/'.length)}.resumable`));
  return name && join(server.videoDir, name);
}

async function videoJson(id: string): Promise<any> {
  return (await request(server, 'GET', `/user/${owner.name}/videos/${id}`)).body;
}

async function streamedSha256(id: string): Promise<string> {
  const res = await fetch(`${server.url}/videos/${id}`);
  assert.equal(res.status, 200);
  return createHash('sha256').update(Buffer.from(await res.arrayBuffer())).digest('hex');
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('OPTIONS /tus', () => {
  it('answers 204 with the version, the extensions and Tus-Max-Size = MAX_UPLOAD_MB, no Tus-Resumable needed', async () => {
    const res = await tusRequest(server, 'OPTIONS', '/tus', { withoutVersion: true });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('tus-resumable'), '1.0.0');
    assert.equal(res.headers.get('tus-version'), '1.0.0');
    assert.deepEqual(res.headers.get('tus-extension')!.split(','), ['creation', 'creation-with-upload', 'termination', 'expiration']);
    assert.equal(res.headers.get('tus-max-size'), String(MAX_UPLOAD_MB * MiB));
  });
});

describe('Tus-Resumable', () => {
  it('is on every answer of the tus routes, errors and 405s included', async () => {
    const path = await createUpload(server, owner, await freshVideoId(), 100);
    const answers = await Promise.all([
      tusRequest(server, 'POST', '/tus'),
      tusRequest(server, 'HEAD', path),
      tusRequest(server, 'HEAD', path, { sid: stranger.sid }),
      tusRequest(server, 'HEAD', '/tus/0123456789abcdef0123456789abcdef', { sid: owner.sid }),
      tusRequest(server, 'PATCH', path, { sid: owner.sid, withoutVersion: true }),
      tusRequest(server, 'GET', path),
      tusRequest(server, 'PUT', '/tus'),
      tusRequest(server, 'POST', '/tus', { sid: owner.sid, headers: { 'Upload-Length': '1', 'Upload-Metadata': 'bad!' } }),
    ]);
    assert.deepEqual(answers.map((res) => res.status), [401, 401, 403, 404, 412, 405, 405, 400]);
    for (const res of answers) assert.equal(res.headers.get('tus-resumable'), '1.0.0', `on the ${res.status}`);
  });

  for (const [method, path] of [['POST', '/tus'], ['HEAD', '/tus/x'], ['PATCH', '/tus/x'], ['DELETE', '/tus/x']] as const) {
    it(`is required: ${method} without it is 412 with Tus-Version, before anything else`, async () => {
      const res = await tusRequest(server, method, path, { withoutVersion: true });
      assert.equal(res.status, 412);
      assert.equal(res.headers.get('tus-version'), '1.0.0');
      if (method !== 'HEAD') assertError(res, 412, '011', /Tus-Resumable/);
    });
  }

  it('must be 1.0.0: another version is 412', async () => {
    const res = await tusRequest(server, 'POST', '/tus', { withoutVersion: true, headers: { 'Tus-Resumable': '0.2.2' } });
    assertError(res, 412, '011', /must be 1\.0\.0, got "0\.2\.2"/);
  });
});

describe('POST /tus', () => {
  it('creates an upload: 201, Location /tus/<id>, Upload-Expires a day ahead as an HTTP-date', async () => {
    const res = await tusRequest(server, 'POST', '/tus', {
      sid: owner.sid,
      headers: { 'Upload-Length': '1000', 'Upload-Metadata': uploadMetadata({ video_id: await freshVideoId(), filename: 'clip.mp4' }) },
    });
    assert.equal(res.status, 201);
    assert.match(res.headers.get('location')!, /^\/tus\/[0-9a-f]{32}$/);
    assert.equal(res.headers.get('content-length'), '0');
    const expires = Date.parse(res.headers.get('upload-expires')!);
    assert.match(res.headers.get('upload-expires')!, / GMT$/);
    assert.ok(Math.abs(expires - (Date.now() + 24 * 3600_000)) < 60_000, res.headers.get('upload-expires')!);
  });

  const lengths: { what: string; value?: string; status: number; code: string }[] = [
    { what: 'missing', status: 400, code: '011' },
    { what: 'empty', value: '', status: 400, code: '011' },
    { what: 'negative', value: '-1', status: 400, code: '011' },
    { what: 'a fraction', value: '1.5', status: 400, code: '011' },
    { what: 'not a number', value: 'abc', status: 400, code: '011' },
    { what: 'zero', value: '0', status: 400, code: '011' },
    { what: 'one byte over MAX_UPLOAD_MB', value: String(MAX_UPLOAD_MB * MiB + 1), status: 413, code: '008' },
    { what: 'huge', value: '99999999999999999999999999', status: 413, code: '008' },
  ];
  for (const { what, value, status, code } of lengths) {
    it(`refuses an Upload-Length that is ${what} with ${status} (${code})`, async () => {
      const videoId = await freshVideoId();
      const headers: Record<string, string> = { 'Upload-Metadata': uploadMetadata({ video_id: videoId }) };
      if (value !== undefined) headers['Upload-Length'] = value;
      assertError(await tusRequest(server, 'POST', '/tus', { sid: owner.sid, headers }), status, code, /Upload-Length/);
      // Nothing was created: the video can still be uploaded.
      await createUpload(server, owner, videoId, 10);
    });
  }

  it('takes an Upload-Length of exactly MAX_UPLOAD_MB', async () => {
    await createUpload(server, owner, await freshVideoId(), MAX_UPLOAD_MB * MiB);
  });

  const metadata: { what: string; header?: (id: string) => string; mentions: RegExp }[] = [
    { what: 'missing', mentions: /Upload-Metadata: is required/ },
    { what: 'without video_id', header: () => uploadMetadata({ filename: 'clip.mp4' }), mentions: /must name the video/ },
    { what: 'with a video_id that is not base64', header: (id) => `video_id ${id}`, mentions: /base64/ },
    { what: 'with a video_id that is not an id', header: () => uploadMetadata({ video_id: '../../etc/passwd' }), mentions: /video_id must be a video id/ },
    { what: 'with an empty video_id', header: () => 'video_id', mentions: /video_id must be a video id/ },
    { what: 'with video_id twice', header: (id) => `${uploadMetadata({ video_id: id })},${uploadMetadata({ video_id: id })}`, mentions: /twice/ },
    { what: 'with an empty pair', header: (id) => `${uploadMetadata({ video_id: id })},,`, mentions: /empty/ },
  ];
  for (const { what, header, mentions } of metadata) {
    it(`refuses Upload-Metadata ${what} with 400 (011)`, async () => {
      const headers: Record<string, string> = { 'Upload-Length': '10' };
      if (header) headers['Upload-Metadata'] = header(await freshVideoId());
      assertError(await tusRequest(server, 'POST', '/tus', { sid: owner.sid, headers }), 400, '011', mentions);
    });
  }

  it('parses hostile Upload-Metadata of 14 KiB in linear time: GET /healthz meanwhile answers within 200 ms', async () => {
    const size = 14 * 1024;
    const headers = [
      'k ' + 'A'.repeat(size),
      'k ' + 'A'.repeat(size - 3) + '===',
      ','.repeat(size),
      'k'.repeat(size),
      ('a ' + '='.repeat(40) + ',').repeat(size / 43),
      ('k YQ==,').repeat(size / 7),
      ' '.repeat(size) + 'k',
    ];
    const post = (header: string) => tusRequest(server, 'POST', '/tus', { sid: owner.sid, headers: { 'Upload-Length': '10', 'Upload-Metadata': header } });
    // A first round unmeasured: what is timed is the parser on a warm server, not the JIT compiler.
    for (const header of headers) await post(header);
    await fetch(`${server.url}/healthz`);
    let slowest = 0;
    let isDone = false;
    const probe = (async () => {
      while (!isDone) {
        const started = performance.now();
        assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
        slowest = Math.max(slowest, performance.now() - started);
      }
    })();
    for (let round = 0; round < 5; round++) {
      for (const header of headers) {
        assertError(await post(header), 400, '011', /Upload-Metadata/);
      }
    }
    isDone = true;
    await probe;
    assert.ok(slowest < 200, `GET /healthz took ${slowest.toFixed(0)} ms`);
  });

  it('accepts metadata keys it does not know', async () => {
    const res = await tusRequest(server, 'POST', '/tus', {
      sid: owner.sid,
      headers: { 'Upload-Length': '10', 'Upload-Metadata': `${uploadMetadata({ filetype: 'video/mp4', video_id: await freshVideoId() })},is_confidential` },
    });
    assert.equal(res.status, 201);
  });

  it('answers 401 without a session, 404 for an unknown video, 403 for another user\'s video', async () => {
    const post = (videoId: string, sid?: string) =>
      tusRequest(server, 'POST', '/tus', { sid, headers: { 'Upload-Length': '10', 'Upload-Metadata': uploadMetadata({ video_id: videoId }) } });
    assertError(await post(await freshVideoId()), 401, '002');
    assertError(await post(randomUUID(), owner.sid), 404, '006', /video/);
    assertError(await post(await freshVideoId(stranger), owner.sid), 403, '005');
  });

  it('answers 409 (007) for a video that is already uploaded', async () => {
    const videoId = await freshVideoId();
    assert.equal((await putRaw(server, `/upload/${videoId}`, fakeMp4(5000), owner.sid)).status, 201);
    const res = await tusRequest(server, 'POST', '/tus', {
      sid: owner.sid,
      headers: { 'Upload-Length': '10', 'Upload-Metadata': uploadMetadata({ video_id: videoId }) },
    });
    assertError(res, 409, '007', /already uploaded/);
  });

  it('answers 409 (007) while another upload of the video holds bytes', async () => {
    const videoId = await freshVideoId();
    const path = await createUpload(server, owner, videoId, 10_000);
    assert.equal((await patchBytes(server, owner, path, 0, fakeMp4(10_000).subarray(0, 5000))).status, 204);
    const res = await tusRequest(server, 'POST', '/tus', {
      sid: owner.sid,
      headers: { 'Upload-Length': '10000', 'Upload-Metadata': uploadMetadata({ video_id: videoId }) },
    });
    assertError(res, 409, '007', /being uploaded/);
  });

  it('replaces an upload of the same owner that never got a byte (its Location was lost on the way)', async () => {
    const videoId = await freshVideoId();
    const lost = await createUpload(server, owner, videoId, 5000);
    const again = await createUpload(server, owner, videoId, 5000);
    assert.notEqual(again, lost);
    assert.equal((await tusRequest(server, 'HEAD', lost, { sid: owner.sid })).status, 404);
    assert.equal((await patchBytes(server, owner, again, 0, fakeMp4(5000))).status, 204);
    assert.equal((await videoJson(videoId)).status, 'ready');
  });

  describe('with the first bytes (creation-with-upload)', () => {
    it('creates the upload and stores them: 201 with Upload-Offset; the whole file makes the video ready', async () => {
      const videoId = await freshVideoId();
      const file = fakeMp4(300_000);
      const res = await tusRequest(server, 'POST', '/tus', {
        sid: owner.sid,
        headers: { 'Upload-Length': String(file.length), 'Upload-Metadata': uploadMetadata({ video_id: videoId }), 'Content-Type': OFFSET_OCTET_STREAM },
        body: file,
      });
      assert.equal(res.status, 201);
      assert.equal(res.headers.get('upload-offset'), String(file.length));
      const video = await videoJson(videoId);
      assert.deepEqual([video.status, video.size, video.mime], ['ready', file.length, 'video/mp4']);
      assert.equal(await streamedSha256(videoId), sha256(file));
    });

    it('takes part of the file, and PATCH goes on from there', async () => {
      const videoId = await freshVideoId();
      const file = fakeMp4(100_000);
      const res = await tusRequest(server, 'POST', '/tus', {
        sid: owner.sid,
        headers: { 'Upload-Length': String(file.length), 'Upload-Metadata': uploadMetadata({ video_id: videoId }), 'Content-Type': OFFSET_OCTET_STREAM },
        body: file.subarray(0, 40_000),
      });
      assert.equal(res.status, 201);
      assert.equal(res.headers.get('upload-offset'), '40000');
      const path = res.headers.get('location')!;
      assert.equal((await patchBytes(server, owner, path, 40_000, file.subarray(40_000))).headers.get('upload-offset'), '100000');
      assert.equal(await streamedSha256(videoId), sha256(file));
    });

    it('refuses bytes of another Content-Type with 415 and creates nothing', async () => {
      const videoId = await freshVideoId();
      const res = await tusRequest(server, 'POST', '/tus', {
        sid: owner.sid,
        headers: { 'Upload-Length': '100', 'Upload-Metadata': uploadMetadata({ video_id: videoId }), 'Content-Type': 'video/mp4' },
        body: fakeMp4(100),
      });
      assertError(res, 415, '009', /offset\+octet-stream/);
      await createUpload(server, owner, videoId, 100);
    });

    it('frees the video when the connection breaks before the 201: nobody learnt the Location to resume it', async () => {
      const videoId = await freshVideoId();
      const file = fakeMp4(MiB);
      const connection = await RawConnection.open(server);
      await connection.write(
        requestHead('POST', '/tus', {
          'X-Session-Id': owner.sid,
          'Tus-Resumable': '1.0.0',
          'Upload-Length': file.length,
          'Upload-Metadata': uploadMetadata({ video_id: videoId }),
          'Content-Type': OFFSET_OCTET_STREAM,
          'Content-Length': file.length,
        }),
      );
      await connection.write(file.subarray(0, 300_000));
      connection.destroy();
      // The server notices the cut when it reads on; until then the video is still held (409).
      let put = await putRaw(server, `/upload/${videoId}`, file, owner.sid);
      for (let tries = 0; put.status === 409 && tries < 50; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        put = await putRaw(server, `/upload/${videoId}`, file, owner.sid);
      }
      assert.equal(put.status, 201, JSON.stringify(put.body));
      assert.equal(await streamedSha256(videoId), sha256(file));
      assert.deepEqual(readdirSync(server.videoDir).filter((name) => name.startsWith(`.${videoId}.`)), []);
    });

    it('refuses a body longer than Upload-Length with 413 and creates nothing', async () => {
      const videoId = await freshVideoId();
      const res = await tusRequest(server, 'POST', '/tus', {
        sid: owner.sid,
        headers: { 'Upload-Length': '100', 'Upload-Metadata': uploadMetadata({ video_id: videoId }), 'Content-Type': OFFSET_OCTET_STREAM },
        body: fakeMp4(101),
      });
      assertError(res, 413, '008');
      await createUpload(server, owner, videoId, 100);
    });
  });
});

describe('HEAD /tus/:upload-id', () => {
  it('answers 200 with Upload-Offset, Upload-Length, Upload-Expires and Cache-Control: no-store', async () => {
    const path = await createUpload(server, owner, await freshVideoId(), 9000);
    await patchBytes(server, owner, path, 0, fakeMp4(9000).subarray(0, 4321));
    const res = await tusRequest(server, 'HEAD', path, { sid: owner.sid });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('upload-offset'), '4321');
    assert.equal(res.headers.get('upload-length'), '9000');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.ok(Date.parse(res.headers.get('upload-expires')!) > Date.now());
  });

  it('answers 404 for an unknown or malformed upload id, 403 for another user\'s upload, 401 without a session', async () => {
    const path = await createUpload(server, owner, await freshVideoId(), 10);
    assert.equal((await tusRequest(server, 'HEAD', '/tus/0123456789abcdef0123456789abcdef', { sid: owner.sid })).status, 404);
    assert.equal((await tusRequest(server, 'HEAD', '/tus/..%2F..%2Fetc', { sid: owner.sid })).status, 404);
    assert.equal((await tusRequest(server, 'HEAD', path, { sid: stranger.sid })).status, 403);
    assert.equal((await tusRequest(server, 'HEAD', path)).status, 401);
  });
});

describe('PATCH /tus/:upload-id', () => {
  it('appends at the offset: 204 with the new Upload-Offset; the last byte makes the video ready, byte for byte', async () => {
    const videoId = await freshVideoId();
    const file = fakeMp4(1_500_000);
    const path = await createUpload(server, owner, videoId, file.length);
    const offsets = [0, 3, 5000, 700_000, file.length];
    for (let i = 0; i + 1 < offsets.length; i++) {
      const res = await patchBytes(server, owner, path, offsets[i]!, file.subarray(offsets[i], offsets[i + 1]));
      assert.equal(res.status, 204);
      assert.equal(res.headers.get('upload-offset'), String(offsets[i + 1]));
      assert.ok(Date.parse(res.headers.get('upload-expires')!) > Date.now());
      if (i + 2 < offsets.length) assert.equal((await videoJson(videoId)).status, 'pending');
    }
    const video = await videoJson(videoId);
    assert.deepEqual([video.status, video.size, video.mime], ['ready', file.length, 'video/mp4']);
    assert.equal(await streamedSha256(videoId), sha256(file));
    assert.equal(partialFileOf(path), undefined);
    // The finished upload is gone with its row.
    assert.equal((await tusRequest(server, 'HEAD', path, { sid: owner.sid })).status, 404);
  });

  it('publishes through the same step as a plain upload: the media info read from the file is the same', async () => {
    const sample = readFileSync(new URL('../fixtures/sample.mp4', import.meta.url));
    const [plainId, resumableId] = [await freshVideoId(), await freshVideoId()];
    assert.equal((await putRaw(server, `/upload/${plainId}`, sample, owner.sid)).status, 201);
    const path = await createUpload(server, owner, resumableId, sample.length);
    assert.equal((await patchBytes(server, owner, path, 0, sample)).status, 204);
    const fields = ['status', 'size', 'mime', 'duration_s', 'width', 'height', 'video_codec', 'audio_codec', 'playable'];
    const [plain, resumable] = [await videoJson(plainId), await videoJson(resumableId)];
    assert.equal(typeof resumable.duration_s, 'number');
    assert.deepEqual(fields.map((field) => resumable[field]), fields.map((field) => plain[field]));
  });

  it('answers 409 (007) for an Upload-Offset that is not the upload\'s, and changes nothing', async () => {
    const file = fakeMp4(20_000);
    const path = await createUpload(server, owner, await freshVideoId(), file.length);
    await patchBytes(server, owner, path, 0, file.subarray(0, 10_000));
    for (const offset of [0, 9999, 10_001, 19_999]) {
      assertError(await patchBytes(server, owner, path, offset, file.subarray(offset, offset + 10)), 409, '007', /Upload-Offset/);
    }
    assertError(await patchBytes(server, owner, path, 0, file).then((res) => res), 409, '007');
    assert.equal(await uploadOffset(server, owner, path), 10_000);
  });

  const offsets: { what: string; value?: string; status: number; code: string }[] = [
    { what: 'missing', status: 400, code: '011' },
    { what: 'negative', value: '-5', status: 400, code: '011' },
    { what: 'not a number', value: 'zero', status: 400, code: '011' },
    { what: 'beyond any upload', value: '99999999999999999999', status: 409, code: '007' },
  ];
  for (const { what, value, status, code } of offsets) {
    it(`answers ${status} (${code}) for an Upload-Offset that is ${what}`, async () => {
      const path = await createUpload(server, owner, await freshVideoId(), 100);
      const headers: Record<string, string> = { 'Content-Type': OFFSET_OCTET_STREAM };
      if (value !== undefined) headers['Upload-Offset'] = value;
      assertError(await tusRequest(server, 'PATCH', path, { sid: owner.sid, headers, body: fakeMp4(100) }), status, code, /Upload-Offset/);
    });
  }

  it('answers 415 (009) for a body that is not application/offset+octet-stream', async () => {
    const path = await createUpload(server, owner, await freshVideoId(), 100);
    const res = await tusRequest(server, 'PATCH', path, {
      sid: owner.sid,
      headers: { 'Content-Type': 'application/octet-stream', 'Upload-Offset': '0' },
      body: fakeMp4(100),
    });
    assertError(res, 415, '009', /offset\+octet-stream/);
  });

  it('answers 413 (008) for bytes past Upload-Length, keeping the upload as it was', async () => {
    const file = fakeMp4(5000);
    const path = await createUpload(server, owner, await freshVideoId(), file.length);
    await patchBytes(server, owner, path, 0, file.subarray(0, 1000));
    assertError(await patchBytes(server, owner, path, 1000, Buffer.concat([file.subarray(1000), Buffer.from('x')])), 413, '008', /Upload-Length 5000/);
    assert.equal(await uploadOffset(server, owner, path), 1000);
  });

  it('refuses a file that is not a video at its first 4 KiB: 415 (009), bytes removed, video still pending', async () => {
    const videoId = await freshVideoId();
    const file = notAVideo(600_000);
    const path = await createUpload(server, owner, videoId, 2 * MiB);
    assertError(await patchBytes(server, owner, path, 0, file), 415, '009', /MP4/);
    assert.equal((await tusRequest(server, 'HEAD', path, { sid: owner.sid })).status, 404);
    assert.equal(partialFileOf(path), undefined);
    assert.equal((await videoJson(videoId)).status, 'pending');
    // The video is free again.
    assert.equal((await putRaw(server, `/upload/${videoId}`, fakeMp4(5000), owner.sid)).status, 201);
  });

  it('refuses a finished file shorter than 4 KiB that is not a video, at its last byte', async () => {
    const videoId = await freshVideoId();
    const file = notAVideo(3000);
    const path = await createUpload(server, owner, videoId, file.length);
    assert.equal((await patchBytes(server, owner, path, 0, file.subarray(0, 1000))).status, 204);
    assertError(await patchBytes(server, owner, path, 1000, file.subarray(1000)), 415, '009');
    assert.equal(partialFileOf(path), undefined);
    assert.equal((await videoJson(videoId)).status, 'pending');
  });

  it('keeps the bytes of a PATCH cut off midway; the next HEAD says how many, and the upload finishes from there', async () => {
    const videoId = await freshVideoId();
    const file = fakeMp4(MAX_UPLOAD_MB * MiB);
    const path = await createUpload(server, owner, videoId, file.length);
    const connection = await RawConnection.open(server);
    await connection.write(
      requestHead('PATCH', path, {
        'X-Session-Id': owner.sid,
        'Tus-Resumable': '1.0.0',
        'Content-Type': OFFSET_OCTET_STREAM,
        'Upload-Offset': 0,
        'Content-Length': file.length,
      }),
    );
    const sent = 1_234_567;
    // Written to the kernel before the close: TCP delivers every one of them before the FIN.
    await connection.write(file.subarray(0, sent));
    connection.destroy();
    // The server reads the last bytes of the cut PATCH when it reads the close: a HEAD before that would take over
    // with what had arrived so far (see the next test), a smaller offset the client would resend from.
    await waitUntil('the cut PATCH to be logged', () => server.stdout().includes(`PATCH ${path} 499`));
    assert.equal(await uploadOffset(server, owner, path), sent);
    assert.equal((await patchBytes(server, owner, path, sent, file.subarray(sent))).status, 204);
    assert.equal(await streamedSha256(videoId), sha256(file));
  });

  it('takes over from a PATCH whose client went silent: the HEAD of the client\'s new connection gets every byte that arrived', async () => {
    const videoId = await freshVideoId();
    const file = fakeMp4(MAX_UPLOAD_MB * MiB);
    const path = await createUpload(server, owner, videoId, file.length);
    // A network that died without a FIN: the server still holds the old PATCH open, waiting for bytes.
    const silent = await RawConnection.open(server);
    await silent.write(
      requestHead('PATCH', path, {
        'X-Session-Id': owner.sid,
        'Tus-Resumable': '1.0.0',
        'Content-Type': OFFSET_OCTET_STREAM,
        'Upload-Offset': 0,
        'Content-Length': file.length,
      }),
    );
    const sent = 777_777;
    await silent.write(file.subarray(0, sent));
    await waitUntil('the PATCH to have begun', () => partialFileOf(path) !== undefined);
    // The old PATCH let go and recorded what it had read of the bytes sent (without it, the offset would be 0).
    const offset = await uploadOffset(server, owner, path);
    assert.ok(offset > 0 && offset <= sent, `offset ${offset}`);
    await waitUntil('the old connection to be closed', () => silent.isClosed);
    assert.equal((await patchBytes(server, owner, path, offset, file.subarray(offset))).status, 204);
    assert.equal(await streamedSha256(videoId), sha256(file));
  });

  it('counts no byte the offset does not (bytes left past it by a crash are cut before appending)', async () => {
    const videoId = await freshVideoId();
    const file = fakeMp4(50_000);
    const path = await createUpload(server, owner, videoId, file.length);
    await patchBytes(server, owner, path, 0, file.subarray(0, 20_000));
    // What a crash between a write and its record leaves: bytes in the file that the offset never counted.
    appendFileSync(partialFileOf(path)!, Buffer.alloc(7000, 0xee));
    assert.equal(await uploadOffset(server, owner, path), 20_000);
    assert.equal((await patchBytes(server, owner, path, 20_000, file.subarray(20_000))).status, 204);
    assert.equal(await streamedSha256(videoId), sha256(file));
  });

  it('ends an upload whose counted bytes are gone (a crash mid-publish moved them): 404, and the video is free', async () => {
    const videoId = await freshVideoId();
    const file = fakeMp4(30_000);
    const path = await createUpload(server, owner, videoId, file.length);
    await patchBytes(server, owner, path, 0, file.subarray(0, 10_000));
    unlinkSync(partialFileOf(path)!);
    assertError(await patchBytes(server, owner, path, 10_000, file.subarray(10_000)), 404, '006', /upload/);
    assert.equal((await tusRequest(server, 'HEAD', path, { sid: owner.sid })).status, 404);
    assert.equal(partialFileOf(path), undefined);
    assert.match(server.stdout(), new RegExp(`INFO resumable upload lost its bytes upload=${path.slice('/tus/'.length)}`));
    await createUpload(server, owner, videoId, file.length);
  });

  it('answers 403 for another user\'s upload and 404 for an unknown one, appending nothing', async () => {
    const path = await createUpload(server, owner, await freshVideoId(), 100);
    assertError(await patchBytes(server, stranger, path, 0, fakeMp4(100)), 403, '005');
    assertError(await patchBytes(server, owner, '/tus/0123456789abcdef0123456789abcdef', 0, fakeMp4(100)), 404, '006');
    assert.equal(await uploadOffset(server, owner, path), 0);
  });
});

describe('DELETE /tus/:upload-id', () => {
  it('ends the upload: 204, its bytes removed, the video still pending and free for another upload', async () => {
    const videoId = await freshVideoId();
    const path = await createUpload(server, owner, videoId, 100_000);
    await patchBytes(server, owner, path, 0, fakeMp4(100_000).subarray(0, 60_000));
    assert.ok(partialFileOf(path));
    const res = await tusRequest(server, 'DELETE', path, { sid: owner.sid });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('tus-resumable'), '1.0.0');
    assert.equal(partialFileOf(path), undefined);
    assert.equal((await tusRequest(server, 'HEAD', path, { sid: owner.sid })).status, 404);
    assert.equal((await videoJson(videoId)).status, 'pending');
    assert.equal((await putRaw(server, `/upload/${videoId}`, fakeMp4(5000), owner.sid)).status, 201);
  });

  it('answers 403 for another user\'s upload and leaves it alone', async () => {
    const path = await createUpload(server, owner, await freshVideoId(), 100);
    assertError(await tusRequest(server, 'DELETE', path, { sid: stranger.sid }), 403, '005');
    assert.equal(await uploadOffset(server, owner, path), 0);
  });
});

describe('one upload per video, whatever the route', () => {
  it('refuses a plain PUT or POST of a video a resumable upload holds with 409 (007), until it is terminated', async () => {
    const videoId = await freshVideoId();
    const path = await createUpload(server, owner, videoId, 100_000);
    assertError((await putRaw(server, `/upload/${videoId}`, fakeMp4(5000), owner.sid)) as TusResponse, 409, '007', /being uploaded/);
    const form = new FormData();
    form.append('file', new Blob([fakeMp4(5000)]), 'clip.mp4');
    const posted = await fetch(`${server.url}/upload/${videoId}`, { method: 'POST', headers: { 'X-Session-Id': owner.sid }, body: form });
    assert.equal(posted.status, 409);
    await tusRequest(server, 'DELETE', path, { sid: owner.sid });
    assert.equal((await putRaw(server, `/upload/${videoId}`, fakeMp4(5000), owner.sid)).status, 201);
  });
});
