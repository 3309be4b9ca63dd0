// What a person sees when a file will not do: a text file, a camcorder's .MTS, a big file that is not a
// video, a file over MAX_UPLOAD_MB. The dialog reads the first bytes (as the server sniffs them) and creates
// no video for such a file. An upload that is cancelled leaves a video the dialog can retry or remove, and
// leaving the page while bytes move asks first.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { request } from '../helpers/http.js';
import { ROOT, startServer } from '../helpers/server.js';
import { launchBrowser, newContext, openPage } from './browser.js';
import { chooseUpload, signUpInBrowser } from './site.js';

const SAMPLE = join(ROOT, 'test/fixtures/sample.webm');
const MIB = 1024 * 1024;

describe('upload errors in Chromium', () => {
  it('refuses files that will not do before creating a video, and lets a failed upload be retried or removed', async (t) => {
    const server = await startServer({ env: { MAX_UPLOAD_MB: '1' } });
    t.after(() => server.close());
    const dir = mkdtempSync(join(tmpdir(), 'moviedash-e2e-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'Shopping: milk, bread, film for the camera\n');
    const camcorder = join(dir, '00001.MTS');
    const ffmpeg = spawnSync('ffmpeg', ['-v', 'error', '-i', join(ROOT, 'test/fixtures/sample.mp4'), '-c', 'copy', '-f', 'mpegts', camcorder]);
    assert.equal(ffmpeg.status, 0, ffmpeg.stderr.toString());
    const bigNonVideo = join(dir, 'backup.mp4');
    writeFileSync(bigNonVideo, Buffer.alloc(40 * MIB, 'backup data '));
    const tooBig = join(dir, 'long-take.webm');
    writeFileSync(tooBig, Buffer.concat(Array.from({ length: 4 }, () => readFileSync(SAMPLE))));

    const browser = await launchBrowser();
    t.after(() => browser.close());
    const { page, problems } = await openPage(await newContext(browser), server.url);
    page.setDefaultTimeout(15_000);
    const error = page.locator('#upload-dialog [data-error]');
    await signUpInBrowser(page, server.url, 'grace');
    const videoCount = async () => (await request(server, 'GET', '/user/grace/videos')).body.videos.length;

    const refused = [
      { what: 'a text file', file: notes, says: '“notes.txt” is not a video file. Choose an MP4, MOV, WebM, MKV or Ogg video.' },
      {
        what: 'a camcorder .MTS (a video in a container browsers cannot play), naming its format',
        file: camcorder,
        says: '“00001.MTS” is an MPEG transport stream (.MTS/.M2TS from camcorders, .ts): a video, but in a format browsers cannot play. Convert it to MP4 first, for example: ffmpeg -i in.mts -c:v libx264 -crf 23 -c:a aac out.mp4',
      },
      { what: 'a 40 MB file that is not a video', file: bigNonVideo, says: '“backup.mp4” is not a video file. Choose an MP4, MOV, WebM, MKV or Ogg video.' },
      { what: 'a file over MAX_UPLOAD_MB', file: tooBig, says: 'Too big: “long-take.webm” is 1.6 MB and the largest upload is 1 MB.' },
    ];
    for (const { what, file, says } of refused) {
      await t.test(`says why it will not take ${what}, and creates no video`, async () => {
        await chooseUpload(page, 'Holiday', file);
        await error.getByText(says, { exact: true }).waitFor();
        await page.click('[data-submit]');
        await error.getByText(says, { exact: true }).waitFor();
        assert.equal(await page.locator('#upload-file[aria-invalid="true"]').count(), 1);
        assert.equal(await videoCount(), 0, 'no video was created for it');
        await page.keyboard.press('Escape');
      });
    }

    // 64 KiB/s keeps the 400 KB fixture moving for seconds: time to cancel, and to try to leave.
    const cdp = await page.context().newCDPSession(page);
    const throttle = (uploadThroughput: number) =>
      cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput });

    await t.test('asks before the page is left while bytes move', async () => {
      await throttle(64 * 1024);
      await chooseUpload(page, 'Harbour at dusk', SAMPLE);
      await page.click('[data-submit]');
      await page.locator('[data-progress]:not([value="0"])').waitFor({ state: 'attached' });
      const asked = page.waitForEvent('dialog');
      await page.close({ runBeforeUnload: true });
      assert.equal((await asked).type(), 'beforeunload');
      assert.equal(page.isClosed(), false, 'the person chose to stay');
      const index = problems.findIndex((problem) => problem.startsWith('dialog opened: beforeunload'));
      assert.notEqual(index, -1);
      problems.splice(index, 1);
    });

    await t.test('offers to retry or remove the video after a cancelled upload', async () => {
      await page.click('#upload-dialog [data-cancel]');
      await error.getByText('Upload cancelled. Try again, rename the video, or remove it.').waitFor();
      assert.equal(await page.textContent('[data-submit]'), 'Try again');
      await page.locator('#upload-dialog [data-remove]').waitFor();
      assert.equal(await videoCount(), 1);
      await page.click('#upload-dialog [data-remove]');
      await page.locator('#upload-dialog').waitFor({ state: 'hidden' });
      await page.getByText('No videos yet').first().waitFor();
      assert.equal(await videoCount(), 0, 'removed from the dialog');
    });

    await t.test('retries a cancelled upload into the same video, renamed', async () => {
      await chooseUpload(page, 'Harbour at dusk', SAMPLE);
      await page.click('[data-submit]');
      await page.locator('[data-progress]:not([value="0"])').waitFor({ state: 'attached' });
      await page.click('#upload-dialog [data-cancel]');
      await error.getByText('Upload cancelled').waitFor();
      await throttle(-1);
      await page.fill('#upload-name', 'Harbour at dusk, take 2');
      await page.click('[data-submit]');
      await page.locator('#upload-dialog').waitFor({ state: 'hidden' });
      await page.locator('.video-item .badge.ready').waitFor();
      const videos = (await request(server, 'GET', '/user/grace/videos')).body.videos;
      assert.deepEqual(videos.map((video: { name: string; status: string }) => [video.name, video.status]), [['Harbour at dusk, take 2', 'ready']]);
      // Nothing moves: the page closes without asking (a question would be dismissed, keeping it open).
      const closed = page.waitForEvent('close');
      await page.close({ runBeforeUnload: true });
      await closed;
    });

    assert.deepEqual(problems, []);
  });
});
