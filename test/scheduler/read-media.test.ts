import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MEDIA_INFO_VERSION } from '../../src/media/media-fields.js';
import { createVideo, request, signUp } from '../helpers/http.js';
import { samplePath, SAMPLES } from '../helpers/media-samples.js';
import { startServer } from '../helpers/server.js';
import { removeStoredFile } from '../helpers/stored-files.js';
import { putRaw } from '../helpers/upload.js';
import { openServerDb, waitFor } from './poll.js';

describe('the read-media task', () => {
  it('reads the files of videos uploaded before the media reader, in the background after a restart', async (t) => {
    let server = await startServer({ env: { SCHEDULER_INTERVAL_S: '0.1' } });
    t.after(() => server.close());
    const user = await signUp(server);
    const ids: Record<'mp4' | 'webm' | 'missing', string> = { mp4: '', webm: '', missing: '' };
    const files = { mp4: SAMPLES.h264Faststart, webm: SAMPLES.vp9, missing: SAMPLES.theora };
    for (const key of Object.keys(ids) as (keyof typeof ids)[]) {
      ids[key] = (await createVideo(server, user)).id;
      assert.equal((await putRaw(server, `/upload/${ids[key]}`, readFileSync(samplePath(files[key])), user.sid)).status, 201);
    }
    await server.stop();
    // As the rows were before the media columns existed; one file lost meanwhile.
    const db = new Database(join(server.dataDir, 'moviedash.db'));
    db.exec('UPDATE video_info SET duration_s = NULL, width = NULL, height = NULL, video_codec = NULL, audio_codec = NULL, media_version = 0');
    db.close();
    await removeStoredFile(server, ids.missing);

    server = await server.restart();
    const videoOf = async (id: string) => (await request(server, 'GET', `/user/${user.name}/videos/${id}`)).body;
    await waitFor('every video to be read', () => {
      const serverDb = openServerDb(server);
      try {
        const row = serverDb.prepare<[number], { n: number }>('SELECT count(*) AS n FROM video_info WHERE media_version < ?').get(MEDIA_INFO_VERSION);
        return row!.n === 0;
      } finally {
        serverDb.close();
      }
    });
    const [mp4Video, webmVideo, missingVideo] = await Promise.all([videoOf(ids.mp4), videoOf(ids.webm), videoOf(ids.missing)]);
    assert.deepEqual([mp4Video.video_codec, mp4Video.duration_s, mp4Video.playable], ['avc1.64000c', 2, 'yes']);
    assert.deepEqual([webmVideo.video_codec, webmVideo.width, webmVideo.playable], ['vp09.00.11.08', 320, 'yes']);
    assert.deepEqual([missingVideo.video_codec, missingVideo.playable], [null, 'unknown']);
    assert.match(server.stderr(), /media info: the file could not be read/);
  });
});
