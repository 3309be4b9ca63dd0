// The protocol's own client, tus-js-client in Node, against the real server: dropped connections and a
// crashed server are resumed by the client by itself, and the video it leaves is byte for byte the file.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { after, before, describe, it } from 'node:test';
import { Upload, type DetailedError, type UploadOptions } from 'tus-js-client';
import { CuttingProxy } from '../helpers/cutting-proxy.js';
import { createVideo, request, signUp, type TestUser } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { putRaw, waitUntil } from '../helpers/upload.js';
import { createUpload, fakeMp4, patchBytes, uploadOffset } from '../helpers/tus.js';

const MiB = 1024 * 1024;
const MAX_UPLOAD_MB = 60;
const FILE = fakeMp4(50 * MiB);
const FILE_SHA256 = sha256(FILE);
// Long enough to outlast a server restart on a busy machine.
const RETRY_DELAYS = [0, 200, 500, 1000, 1000, 2000, 2000, 3000, 3000, 5000, 5000];

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

interface Outcome {
  /** Upload-Offset of every PATCH the client sent, in order. */
  patchOffsets: number[];
  upload: Upload;
}

/** Runs an upload to its end: resolves on success, rejects with the client's error. */
function runUpload(file: Buffer, user: TestUser, options: UploadOptions, onStart: (upload: Upload) => void = () => {}): Promise<Outcome> {
  const patchOffsets: number[] = [];
  return new Promise((resolve, reject) => {
    const upload = new Upload(file, {
      headers: { 'X-Session-Id': user.sid },
      retryDelays: RETRY_DELAYS,
      onBeforeRequest(req) {
        if (req.getMethod() === 'PATCH') patchOffsets.push(Number(req.getHeader('Upload-Offset')));
      },
      onSuccess: () => resolve({ patchOffsets, upload }),
      onError: reject,
      ...options,
    });
    upload.start();
    onStart(upload);
  });
}

/** The bytes of the server's resumable upload that are fsynced and recorded (its only one in these tests). */
function durableOffset(server: TestServer): number {
  const db = new Database(join(server.dataDir, 'moviedash.db'), { readonly: true });
  try {
    return (db.prepare('SELECT max(durable_offset) FROM resumable_uploads').pluck().get() as number | null) ?? 0;
  } finally {
    db.close();
  }
}

async function streamedSha256(server: TestServer, videoId: string): Promise<string> {
  const res = await fetch(`${server.url}/videos/${videoId}`);
  assert.equal(res.status, 200);
  return sha256(Buffer.from(await res.arrayBuffer()));
}

async function assertReadyAndIdentical(server: TestServer, user: TestUser, videoId: string): Promise<void> {
  const video = (await request(server, 'GET', `/user/${user.name}/videos/${videoId}`)).body;
  assert.deepEqual([video.status, video.size, video.mime], ['ready', FILE.length, 'video/mp4']);
  assert.equal(await streamedSha256(server, videoId), FILE_SHA256);
}

const statusOf = (error: unknown) => (error as DetailedError).originalResponse?.getStatus();

describe('tus-js-client in Node', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ env: { MAX_UPLOAD_MB: String(MAX_UPLOAD_MB) } });
  });
  after(() => server.close());

  it('finishes a 50 MiB upload whose connection is cut at a third by itself, byte for byte', async (t) => {
    const proxy = await CuttingProxy.start(server.port);
    t.after(() => proxy.close());
    const user = await signUp(server);
    const { id } = await createVideo(server, user);
    const cut = proxy.cutAt(Math.round(FILE.length / 3));

    const { patchOffsets } = await runUpload(FILE, user, {
      endpoint: `http://127.0.0.1:${proxy.port}/tus`,
      metadata: { video_id: id, filename: 'film.mp4' },
    });
    await cut;
    assert.equal(patchOffsets[0], 0);
    // It went on from what the server had kept, not from the start.
    assert.ok(patchOffsets.length >= 2 && patchOffsets.at(-1)! > 0, `PATCH offsets ${patchOffsets.join(', ')}`);
    await assertReadyAndIdentical(server, user, id);
  });

  it('finishes it after the server is killed (SIGKILL) mid-upload and started again, from its last checkpoint', async (t) => {
    let killed = await startServer();
    t.after(() => killed.close());
    const proxy = await CuttingProxy.start(killed.port);
    t.after(() => proxy.close());
    const user = await signUp(killed);
    const { id } = await createVideo(killed, user);
    // Past the first 16 MiB checkpoint, so the kill loses only the bytes after it.
    const held = proxy.holdAt(30 * MiB);
    const uploaded = runUpload(FILE, user, { endpoint: `http://127.0.0.1:${proxy.port}/tus`, metadata: { video_id: id } });

    await held;
    // The kill must come after that checkpoint is fsynced and recorded, which a busy disk can delay past the hold.
    await waitUntil('the 16 MiB checkpoint is recorded', () => durableOffset(killed) >= 16 * MiB, 15_000);
    await killed.kill();
    killed = await killed.restart();
    proxy.targetPort = killed.port;
    const { patchOffsets } = await uploaded;
    const resumedAt = patchOffsets.find((offset) => offset > 0);
    assert.ok(resumedAt !== undefined && resumedAt >= 16 * MiB && resumedAt < 30 * MiB, `PATCH offsets ${patchOffsets.join(', ')}`);
    await assertReadyAndIdentical(killed, user, id);
  });

  it('keeps every byte a 204 acknowledged when the server is killed (SIGKILL) right after it: the answer need not wait for fsync', async (t) => {
    let killed = await startServer();
    t.after(() => killed.close());
    const user = await signUp(killed);
    const { id } = await createVideo(killed, user);
    const path = await createUpload(killed, user, id, FILE.length);
    const acknowledged = 9 * MiB + 123;
    assert.equal((await patchBytes(killed, user, path, 0, FILE.subarray(0, acknowledged))).status, 204);
    await killed.kill();
    killed = await killed.restart();
    assert.equal(await uploadOffset(killed, user, path), acknowledged);
    const { patchOffsets } = await runUpload(FILE, user, { uploadUrl: killed.url + path });
    assert.deepEqual(patchOffsets, [acknowledged]);
    await assertReadyAndIdentical(killed, user, id);
  });

  it('counts only the fsynced bytes after a reboot of the machine, and the client finishes from there', async (t) => {
    let rebooted = await startServer();
    t.after(() => rebooted.close());
    const user = await signUp(rebooted);
    const { id } = await createVideo(rebooted, user);
    const path = await createUpload(rebooted, user, id, FILE.length);
    assert.equal((await patchBytes(rebooted, user, path, 0, FILE.subarray(0, 9 * MiB))).status, 204);
    await rebooted.stop();
    // What a power cut can leave: 9 MiB written in a boot that is over, of which only the first 4 MiB had been fsynced.
    const db = new Database(join(rebooted.dataDir, 'moviedash.db'));
    const row = db.prepare('SELECT upload_offset, durable_offset FROM resumable_uploads').get() as { upload_offset: number; durable_offset: number };
    assert.deepEqual(row, { upload_offset: 9 * MiB, durable_offset: 9 * MiB }, 'fsynced and recorded after the 204');
    db.prepare("UPDATE resumable_uploads SET durable_offset = ?, written_boot = 'a boot that is over'").run(4 * MiB);
    db.close();
    rebooted = await rebooted.restart();
    assert.equal(await uploadOffset(rebooted, user, path), 4 * MiB);
    const { patchOffsets } = await runUpload(FILE, user, { uploadUrl: rebooted.url + path });
    assert.deepEqual(patchOffsets, [4 * MiB]);
    await assertReadyAndIdentical(rebooted, user, id);
  });

  it('terminates an upload (abort(true) sends DELETE): its bytes are removed and the video is free again', async () => {
    const user = await signUp(server);
    const { id } = await createVideo(server, user);
    let upload: Upload | undefined;
    const firstChunk = new Promise<void>((resolve) => {
      void runUpload(FILE.subarray(0, 8 * MiB), user, {
        endpoint: `${server.url}/tus`,
        metadata: { video_id: id },
        chunkSize: MiB,
        onChunkComplete: () => resolve(),
      }, (started) => (upload = started));
    });
    await firstChunk;
    const partialFile = () => readdirSync(server.videoDir).filter((name) => name.endsWith(`.${upload!.url!.split('/').at(-1)}.resumable`));
    assert.equal(partialFile().length, 1);
    await upload!.abort(true);
    assert.deepEqual(partialFile(), []);
    const head = await fetch(upload!.url!, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0', 'X-Session-Id': user.sid } });
    assert.equal(head.status, 404);
    assert.equal((await putRaw(server, `/upload/${id}`, fakeMp4(5000), user.sid)).status, 201);
  });

  it('cannot resume another user\'s upload: the server answers 403 and the client gives up', async () => {
    const [owner, stranger] = [await signUp(server), await signUp(server)];
    const { id } = await createVideo(server, owner);
    const file = FILE.subarray(0, MiB);
    const uploadUrl = server.url + (await createUpload(server, owner, id, file.length));
    const error = await runUpload(file, stranger, { uploadUrl }).then(() => undefined, (e: unknown) => e);
    assert.equal(statusOf(error), 403);
  });

  const refusals: { what: string; status: number; file: () => Buffer; ready?: boolean }[] = [
    { what: 'a file that is not a video', status: 415, file: () => Buffer.concat([Buffer.from('%PDF-1.7\n'), FILE.subarray(9, MiB)]) },
    { what: 'a file over MAX_UPLOAD_MB', status: 413, file: () => Buffer.alloc(MAX_UPLOAD_MB * MiB + 1) },
    { what: 'a video that is already uploaded', status: 409, file: () => FILE.subarray(0, MiB), ready: true },
  ];
  for (const { what, status, file, ready } of refusals) {
    it(`reports ${status} for ${what}`, async () => {
      const user = await signUp(server);
      const { id } = await createVideo(server, user);
      if (ready) assert.equal((await putRaw(server, `/upload/${id}`, fakeMp4(5000), user.sid)).status, 201);
      const error = await runUpload(file(), user, { endpoint: `${server.url}/tus`, metadata: { video_id: id }, retryDelays: null }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.equal(statusOf(error), status);
      assert.equal((await request(server, 'GET', `/user/${user.name}/videos/${id}`)).body.status, ready ? 'ready' : 'pending');
    });
  }
});
