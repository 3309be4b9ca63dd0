// The whole life of a video in a real browser: sign up, upload with progress (cancel, then retry), play,
// seek, comment with hostile text, watch signed out, delete, sign out.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { request } from '../helpers/http.js';
import { ROOT, startServer } from '../helpers/server.js';
import { launchBrowser, newContext, openPage } from './browser.js';
import { hasMetadata, isPlaying, playMuted, progressSeen, recordProgress, seekTo } from './in-page.js';
import { chooseUpload, postComment, signUpInBrowser } from './site.js';

const SAMPLE = join(ROOT, 'test/fixtures/sample.webm');
const HOSTILE = '<img src=x onerror=alert(1)>';

describe('the site in Chromium', () => {
  it('takes a video from upload to deletion, with no console error and no request to another host', async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    const browser = await launchBrowser();
    t.after(() => browser.close());
    const origin = server.url;
    const { page, problems } = await openPage(await newContext(browser), origin);
    page.setDefaultTimeout(15_000);

    await t.test('signs up and lands on /userhome', async () => {
      await signUpInBrowser(page, origin, 'ada');
      await page.getByText('No videos yet').waitFor();
    });

    await t.test('opens the upload dialog with the keyboard and closes it with Escape', async () => {
      await page.focus('[data-open-upload]');
      await page.keyboard.press('Enter');
      await page.locator('#upload-dialog').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#upload-name:focus').count(), 1, 'the name field has the focus');
      await page.keyboard.press('Escape');
      await page.locator('#upload-dialog').waitFor({ state: 'hidden' });
    });

    // 256 KiB/s makes the 400 KB fixture take over a second, so the progress bar has steps to show.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 256 * 1024 });

    await t.test('cancels an upload midway and keeps the video pending', async () => {
      await chooseUpload(page, 'Harbour at dusk', SAMPLE);
      await page.locator('[data-preview]').waitFor({ state: 'visible' });
      await page.click('[data-submit]');
      await page.locator('[data-progress]:not([value="0"])').waitFor({ state: 'attached' });
      await page.click('#upload-dialog [data-cancel]');
      await page.getByText('Upload cancelled').waitFor();
      await page.locator('.video-item .badge.pending').waitFor();
    });

    let videoId = '';
    await t.test('retries the upload with a progress bar that moves to 100%', async () => {
      await page.evaluate(recordProgress);
      await page.click('[data-submit]');
      await page.locator('#upload-dialog').waitFor({ state: 'hidden' });
      const seen = await page.evaluate(progressSeen);
      assert.ok(seen.some((value) => value > 0 && value < 100), `progress went straight to the end: ${seen}`);
      assert.equal(seen.at(-1), 100);
      assert.match((await page.textContent('[data-progress-text]')) ?? '', /^100%/);
      videoId = new URL(page.url()).hash.slice(1);
      assert.match(videoId, /^[0-9a-f-]{36}$/);
    });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

    await t.test('lists the video once, ready and selected', async () => {
      const items = page.locator('.video-item');
      await items.locator('.badge.ready').waitFor();
      assert.equal(await items.count(), 1, 'the retry reused the pending video');
      assert.equal(await items.first().getAttribute('aria-current'), 'true');
      assert.equal(await items.first().locator('.video-name').textContent(), 'Harbour at dusk');
      assert.equal(await page.textContent('[data-video-title]'), 'Harbour at dusk');
    });

    await t.test('plays the video', async () => {
      await page.evaluate(playMuted, '[data-player]');
      await page.waitForFunction(isPlaying, '[data-player]');
    });

    await t.test('seeks to 8 s', async () => {
      const position = await page.evaluate(seekTo, { selector: '[data-player]', seconds: 8 });
      assert.ok(Math.abs(position - 8) < 0.5, `currentTime is ${position}`);
    });

    await t.test('posts a comment whose HTML shows as text', async () => {
      await postComment(page, HOSTILE);
      assert.equal(await page.locator('.comment-body').first().textContent(), HOSTILE);
      assert.equal(await page.locator('img[src="x"]').count(), 0);
      await postComment(page, 'Lovely light at 0:08');
      assert.equal(await page.locator('.comment-body').first().textContent(), 'Lovely light at 0:08', 'newest first');
    });

    await t.test('shows the watch page to a visitor who is not signed in', async () => {
      const visitor = await openPage(await newContext(browser), origin);
      await visitor.page.goto(`${origin}/watch/${videoId}`);
      assert.equal(await visitor.page.textContent('h1'), 'Harbour at dusk');
      assert.equal(await visitor.page.textContent('.video-info .author'), 'ada');
      await visitor.page.locator('.comment-body', { hasText: HOSTILE }).waitFor();
      assert.equal(await visitor.page.locator('img[src="x"]').count(), 0);
      await visitor.page.getByRole('link', { name: 'Sign in', exact: true }).last().waitFor();
      await visitor.page.waitForFunction(hasMetadata, 'video');
      assert.equal(await visitor.page.inputValue('#share-link'), `${origin}/watch/${videoId}`);
      await visitor.page.click('[data-copy-share]');
      await visitor.page.locator('[data-copy-status]', { hasText: /\S/ }).waitFor();
      assert.deepEqual(visitor.problems, []);
      await visitor.page.context().close();
    });

    await t.test('pages the comments with "load more"', async () => {
      const sid = (await page.context().cookies()).find((cookie) => cookie.name === 'session')!.value;
      for (let i = 1; i <= 20; i++) {
        const res = await request(server, 'POST', `/videos/${videoId}/comments`, { sid, body: { content: `Note ${i}` } });
        assert.equal(res.status, 201);
      }
      await page.reload();
      await page.locator('.comment').nth(19).waitFor();
      assert.equal(await page.locator('.comment').count(), 20);
      assert.equal(await page.locator('.comment-body').first().textContent(), 'Note 20');
      await page.click('[data-load-more]');
      await page.locator('.comment').nth(21).waitFor();
      assert.equal(await page.locator('.comment-body').last().textContent(), HOSTILE, 'the oldest comes last');
      await page.locator('[data-load-more]').waitFor({ state: 'hidden' });
    });

    await t.test('deletes a comment', async () => {
      const count = await page.locator('.comment').count();
      await page.getByRole('button', { name: 'Delete comment by ada' }).first().click();
      await page.locator('.comment').nth(count - 1).waitFor({ state: 'detached' });
      assert.equal(await page.locator('.comment-body').first().textContent(), 'Note 19');
      const left = await request(server, 'GET', `/videos/${videoId}/comments?limit=100`);
      assert.equal(left.body.comments.length, count - 1);
    });

    await t.test('deletes the video after confirmation', async () => {
      await page.click('[data-delete]');
      await page.locator('#confirm-dialog').waitFor({ state: 'visible' });
      await page.click('#confirm-dialog button[value=delete]');
      await page.getByText('No videos yet').waitFor();
      assert.equal(await page.locator('.video-item').count(), 0);
      assert.equal((await fetch(`${origin}/watch/${videoId}`)).status, 404);
    });

    await t.test('signs out and cannot reach /userhome any more', async () => {
      await page.click('[data-sign-out]');
      await page.waitForURL(`${origin}/?signed-out`);
      await page.getByText('You are signed out').waitFor();
      await page.goto(`${origin}/userhome`);
      assert.equal(page.url(), `${origin}/`);
    });

    assert.deepEqual(problems, []);
  });
});
