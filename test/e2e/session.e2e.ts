// Sessions as a person meets them: one that is used lives past SESSION_TTL_MIN; one that ends while a page
// is open makes every action say so in words, the header stops claiming "Signed in as", and "Sign in again"
// brings the person back to the same page with the typed comment kept.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { signUp } from '../helpers/http.js';
import { seedReadyVideo } from '../helpers/seed-video.js';
import { ROOT, startServer } from '../helpers/server.js';
import { launchBrowser, newContext, openPage } from './browser.js';
import { PASSWORD, signInContext } from './site.js';

// 6 s: long enough to sign in and act, short enough to wait out.
const TTL_MIN = 0.1;
const IDLE_MS = TTL_MIN * 60_000 + 1500;
const DRAFT = 'A long thought about the harbour light, typed before the session ran out';

describe('sessions in Chromium', () => {
  it('lives while used, and when it ends says so on every action and signs in again back to the same place', async (t) => {
    const server = await startServer({ env: { SESSION_TTL_MIN: String(TTL_MIN) } });
    t.after(() => server.close());
    const browser = await launchBrowser();
    t.after(() => browser.close());
    const origin = server.url;
    const owner = await signUp(server, 'iris', PASSWORD);
    const videoId = await seedReadyVideo(server, owner, join(ROOT, 'test/fixtures/sample.webm'), 'video/webm');
    // The 401s are the answers this test provokes; Chromium logs each as a console error.
    const { page, problems } = await openPage(await signInContext(await newContext(browser), origin, owner.sid), origin, [/status of 401/]);
    page.setDefaultTimeout(15_000);

    async function signInAgain(): Promise<void> {
      await page.getByRole('link', { name: 'Sign in again' }).first().click();
      await page.getByText('Sign in to go back to where you were').waitFor();
      await page.fill('#sign-in-name', owner.name);
      await page.fill('#sign-in-pwd', PASSWORD);
      await page.click('#sign-in button[type=submit]');
    }

    await t.test(`outlives SESSION_TTL_MIN (${TTL_MIN * 60} s) while it is used`, async () => {
      await page.goto(`${origin}/watch/${videoId}`);
      const startedAt = Date.now();
      // A comment every 2 s, for three idle timeouts: each use moves the session's end further out.
      for (let i = 1; Date.now() - startedAt < 3 * TTL_MIN * 60_000; i++) {
        await page.fill('#comment-text', `Still here, note ${i}`);
        await page.click('[data-comment-form] button[type=submit]');
        await page.locator('.comment-body', { hasText: `Still here, note ${i}` }).waitFor();
        await page.waitForTimeout(2000);
      }
      await page.locator('.site-header').getByText('Signed in as').waitFor();
      assert.equal(await page.locator('[data-comment-form] [data-error]').textContent(), '');
    });

    await t.test('on a watch page: posting says the session ended, and the comment survives signing in again', async () => {
      await page.goto(`${origin}/watch/${videoId}`);
      await page.fill('#comment-text', DRAFT);
      await page.waitForTimeout(IDLE_MS);
      await page.click('[data-comment-form] button[type=submit]');
      const error = page.locator('[data-comment-form] [data-error]');
      await error.getByText('Your session has ended. Sign in again to post your comment (it is kept here).').waitFor();
      assert.equal(await page.locator('.site-header').getByText('Signed in as').count(), 0, 'the header no longer claims a session');
      await page.locator('.site-header').getByText('Your session has ended').waitFor();
      await signInAgain();
      await page.waitForURL(`${origin}/watch/${videoId}`);
      assert.equal(await page.inputValue('#comment-text'), DRAFT);
      await page.click('[data-comment-form] button[type=submit]');
      await page.locator('.comment-body', { hasText: DRAFT }).waitFor();
      assert.equal(await page.inputValue('#comment-text'), '', 'a posted comment leaves no draft behind');
    });

    await t.test('on /userhome: upload and delete say so too, and signing in again returns to the selected video', async () => {
      await page.goto(`${origin}/userhome#${videoId}`);
      await page.locator('[data-video-title]').getByText('My video').waitFor();
      await page.waitForTimeout(IDLE_MS);
      await page.click('[data-delete]');
      await page.click('#confirm-dialog button[value=delete]');
      await page.locator('[data-toast]').getByText('was not deleted. Your session has ended. Sign in again to delete it.').waitFor();
      await page.click('[data-open-upload]');
      await page.fill('#upload-name', 'Second take');
      await page.setInputFiles('#upload-file', join(ROOT, 'test/fixtures/sample.mp4'));
      await page.click('[data-submit]');
      const error = page.locator('#upload-dialog [data-error]');
      await error.getByText('Your session has ended. Sign in again to upload').waitFor();
      await error.getByRole('link', { name: 'Sign in again' }).waitFor();
      await page.keyboard.press('Escape');
      await signInAgain();
      await page.waitForURL(`${origin}/userhome#${videoId}`);
      await page.locator('[data-video-title]').getByText('My video').waitFor();
      await page.locator('.site-header').getByText('Signed in as').waitFor();
    });

    assert.deepEqual(problems, []);
  });
});
