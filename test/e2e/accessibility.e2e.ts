// axe-core on every page, light and dark: no violation of impact moderate or above on /, /userhome (a new
// user's, and a full one with each dialog open), /watch/:id and the 404 page; a video with captions passes
// the video-caption rule. The first check shows the audit does report what it should.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { request, signUp, type TestUser } from '../helpers/http.js';
import { seedReadyVideo } from '../helpers/seed-video.js';
import { ROOT, startServer } from '../helpers/server.js';
import { audit, auditContext } from './axe.js';
import { launchBrowser } from './browser.js';
import { addImageWithoutAlt } from './in-page.js';
import { signInContext } from './site.js';

const CAPTIONS = 'WEBVTT\n\n00:00:00.500 --> 00:00:04.000\nWaves on the harbour wall\n\n00:00:05.000 --> 00:00:09.000\n[gulls]\n';

async function addCaptions(server: { url: string }, user: TestUser, videoId: string, lang: string): Promise<void> {
  const res = await fetch(`${server.url}/upload/${videoId}/captions/${lang}`, { method: 'PUT', headers: { 'X-Session-Id': user.sid }, body: CAPTIONS });
  assert.equal(res.status, 201);
}

describe('accessibility (axe-core)', () => {
  it('finds no violation of impact moderate or above on any page', async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    const browser = await launchBrowser();
    t.after(() => browser.close());
    const origin = server.url;

    const owner = await signUp(server, 'maya');
    const newcomer = await signUp(server, 'noor');
    const friend = await signUp(server, 'lin');
    const featured = await seedReadyVideo(server, owner, join(ROOT, 'test/fixtures/sample.webm'), 'video/webm');
    await seedReadyVideo(server, owner, join(ROOT, 'test/fixtures/sample.mp4'), 'video/mp4');
    await request(server, 'POST', `/user/${owner.name}/videos`, { sid: owner.sid, body: { name: 'Still uploading' } });
    await addCaptions(server, owner, featured, 'en');
    await addCaptions(server, owner, featured, 'nl');
    await request(server, 'POST', `/videos/${featured}/comments`, { sid: friend.sid, body: { content: 'Where was this filmed?' } });
    await request(server, 'POST', `/videos/${featured}/comments`, { sid: owner.sid, body: { content: 'Rotterdam, at dusk.' } });

    async function openAudited(browserRef: Browser, path: string, sid: string | undefined, colorScheme: 'light' | 'dark'): Promise<Page> {
      const context = await auditContext(browserRef, { colorScheme });
      if (sid) await signInContext(context, origin, sid);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(origin + path);
      return page;
    }

    async function assertClean(page: Page, what: string, within: string | null = null): Promise<string[]> {
      const { violations, passed } = await audit(page, within);
      assert.deepEqual(violations, [], what);
      return passed;
    }

    await t.test('reports a violation it is shown: an image without alt text', async () => {
      const page = await openAudited(browser, '/', undefined, 'light');
      await page.evaluate(addImageWithoutAlt);
      const { violations } = await audit(page);
      assert.ok(violations.some((line) => line.startsWith('image-alt (critical)')), violations.join('\n'));
      await page.context().close();
    });

    for (const colorScheme of ['light', 'dark'] as const) {
      await t.test(`the front page (${colorScheme})`, async () => {
        const page = await openAudited(browser, '/', undefined, colorScheme);
        await page.locator('.video-card').nth(1).waitFor();
        await assertClean(page, `/ ${colorScheme}`);
        await page.context().close();
      });

      // The dark scheme changes colours only: the pages that show every kind of element are enough.
      if (colorScheme === 'light') await t.test(`a new user's /userhome (${colorScheme})`, async () => {
        const page = await openAudited(browser, '/userhome', newcomer.sid, colorScheme);
        await page.getByText('No videos yet').first().waitFor();
        const passed = await assertClean(page, `empty /userhome ${colorScheme}`);
        assert.ok(passed.includes('page-has-heading-one'));
        await page.context().close();
      });

      await t.test(`a full /userhome with each dialog open (${colorScheme})`, async () => {
        const page = await openAudited(browser, `/userhome#${featured}`, owner.sid, colorScheme);
        await page.locator('.comment').nth(1).waitFor();
        await assertClean(page, `full /userhome ${colorScheme}`);
        for (const [button, dialog] of [
          ['[data-open-upload]', '#upload-dialog'],
          ['[data-edit]', '#edit-dialog'],
          ['[data-captions]', '#captions-dialog'],
          ['[data-delete]', '#confirm-dialog'],
        ] as const) {
          await page.click(button);
          await page.locator(dialog).waitFor({ state: 'visible' });
          // The rest of the page is inert behind a modal dialog and was audited above.
          await assertClean(page, `/userhome with ${dialog} open, ${colorScheme}`, dialog);
          await page.keyboard.press('Escape');
          await page.locator(dialog).waitFor({ state: 'hidden' });
        }
        await page.context().close();
      });

      await t.test(`a watch page with captions (${colorScheme})`, async () => {
        const page = await openAudited(browser, `/watch/${featured}`, undefined, colorScheme);
        await page.locator('.comment').nth(1).waitFor();
        const passed = await assertClean(page, `/watch ${colorScheme}`);
        assert.ok(passed.includes('video-caption'), 'the video-caption rule passes');
        await page.context().close();
      });

      if (colorScheme === 'light') await t.test(`the 404 page (${colorScheme})`, async () => {
        const page = await openAudited(browser, '/no/such/page', owner.sid, colorScheme);
        await assertClean(page, `404 ${colorScheme}`);
        await page.context().close();
      });
    }
  });
});
