// What a person sees when an upload is refused: too big for MAX_UPLOAD_MB, or not a video (415).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, startServer } from '../helpers/server.js';
import { launchBrowser, newContext, openPage } from './browser.js';
import { chooseUpload, signUpInBrowser } from './site.js';

const SAMPLE = join(ROOT, 'test/fixtures/sample.webm');
const NOT_A_VIDEO = join(ROOT, 'test/fixtures/not-a-video.mp4');

describe('upload errors in Chromium', () => {
  it('explains a file over the limit and a file that is not a video, then takes a good file', async (t) => {
    const server = await startServer({ env: { MAX_UPLOAD_MB: '1' } });
    t.after(() => server.close());
    const dir = mkdtempSync(join(tmpdir(), 'moviedash-e2e-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const tooBig = join(dir, 'long-take.webm');
    writeFileSync(tooBig, Buffer.concat(Array.from({ length: 4 }, () => readFileSync(SAMPLE))));
    const browser = await launchBrowser();
    t.after(() => browser.close());
    // The 415 is the server's answer we provoke; Chromium logs every 4xx resource as a console error.
    const { page, problems } = await openPage(await newContext(browser), server.url, [/status of 415/]);
    page.setDefaultTimeout(15_000);
    const error = page.locator('#upload-dialog [data-error]');

    await signUpInBrowser(page, server.url, 'grace');

    await t.test('says a file over MAX_UPLOAD_MB is too big, before sending it', async () => {
      await chooseUpload(page, 'Long take', tooBig);
      await page.click('[data-submit]');
      await error.filter({ hasText: /\S/ }).waitFor();
      assert.equal(await error.textContent(), 'Too big: “long-take.webm” is 1.6 MB and the largest upload is 1 MB.');
      assert.equal(await page.locator('.video-item').count(), 0, 'no video was created for it');
    });

    await t.test('shows the 415 message for a file that is not a video and keeps the video pending', async () => {
      await page.setInputFiles('#upload-file', NOT_A_VIDEO);
      await page.click('[data-submit]');
      await error.filter({ hasText: 'Not a video' }).waitFor();
      assert.match((await error.textContent()) ?? '', /^Not a video: the server refused the file \(.+\)\.$/);
      await page.locator('.video-item .badge.pending').waitFor();
    });

    await t.test('uploads a good file into the same pending video', async () => {
      await page.setInputFiles('#upload-file', SAMPLE);
      await page.click('[data-submit]');
      await page.locator('#upload-dialog').waitFor({ state: 'hidden' });
      await page.locator('.video-item .badge.ready').waitFor();
      assert.equal(await page.locator('.video-item').count(), 1);
    });

    assert.deepEqual(problems, []);
  });
});
