// /userhome with a keyboard only (skip link, Tab order, a visible focus on the player, focus after posting
// a comment) and on a 390-px phone (the list within thumb's reach, a tapped video's player brought into
// view, a 200-character name that does not overflow the dialog or the toast).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { request, signUp } from '../helpers/http.js';
import { seedReadyVideo } from '../helpers/seed-video.js';
import { ROOT, startServer } from '../helpers/server.js';
import { launchBrowser, newContext, openPage, PHONE } from './browser.js';
import { activeElementSummary, boxOf, isInViewport, outlineOf, overflowsHorizontally, scrollToTop } from './in-page.js';
import { signInContext } from './site.js';

const SAMPLE = join(ROOT, 'test/fixtures/sample.webm');
const LONG_NAME = 'Timelapse_'.repeat(20);

describe('/userhome by keyboard and on a phone', () => {
  it('keeps keyboard users and phone users on track', async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    const browser = await launchBrowser();
    t.after(() => browser.close());
    const origin = server.url;
    const owner = await signUp(server, 'kai');
    const first = await seedReadyVideo(server, owner, SAMPLE, 'video/webm');
    const second = await seedReadyVideo(server, owner, SAMPLE, 'video/webm');
    await seedReadyVideo(server, owner, SAMPLE, 'video/webm');
    for (const content of ['First!', 'The colours at 0:04', 'Which camera?']) {
      await request(server, 'POST', `/videos/${second}/comments`, { sid: owner.sid, body: { content } });
    }

    await t.test('the skip link is the first Tab stop and leads to "Upload video" in one more', async () => {
      const { page, problems } = await openPage(await signInContext(await newContext(browser), origin, owner.sid), origin);
      await page.goto(`${origin}/userhome`);
      await page.locator('.video-item').nth(2).waitFor();
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(activeElementSummary), 'a: Skip to my videos');
      assert.ok(await page.evaluate(isInViewport, '.skip-link'), 'the focused skip link is on screen');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(activeElementSummary), 'button: Upload video');
      assert.deepEqual(problems, []);
      await page.context().close();
    });

    await t.test('"Upload video" is at most the fifth Tab stop without the skip link', async () => {
      const { page, problems } = await openPage(await signInContext(await newContext(browser), origin, owner.sid), origin);
      await page.goto(`${origin}/userhome`);
      await page.locator('.video-item').nth(2).waitFor();
      const stops: string[] = [];
      for (let i = 0; i < 5 && stops.at(-1) !== 'button: Upload video'; i++) {
        await page.keyboard.press('Tab');
        stops.push(await page.evaluate(activeElementSummary));
      }
      assert.equal(stops.at(-1), 'button: Upload video', stops.join(' | '));
      assert.deepEqual(problems, []);
      await page.context().close();
    });

    await t.test('the player shows where the focus is, and posting a comment leaves the focus in the box', async () => {
      const { page, problems } = await openPage(await signInContext(await newContext(browser), origin, owner.sid), origin);
      await page.goto(`${origin}/userhome#${second}`);
      await page.locator('.comment').nth(2).waitFor();
      await page.focus('[data-video-list] .video-item[aria-current="true"]');
      let summary = '';
      for (let i = 0; i < 10 && summary !== 'video: '; i++) {
        await page.keyboard.press('Tab');
        summary = await page.evaluate(activeElementSummary);
      }
      assert.equal(summary, 'video: ', 'Tab reaches the player after the list');
      // Drawn inside: the player's frame clips anything outside it.
      assert.equal(await page.evaluate(outlineOf, '[data-player]'), 'solid 3px -3px');
      await page.focus('#comment-text');
      await page.keyboard.type('Posted from the keyboard');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(activeElementSummary), 'button: Post comment');
      // The button is disabled while the comment is sent, which takes the focus off it.
      await page.keyboard.press('Enter');
      await page.locator('.comment-body', { hasText: 'Posted from the keyboard' }).waitFor();
      assert.equal(await page.evaluate(activeElementSummary), 'textarea: ');
      assert.deepEqual(problems, []);
      await page.context().close();
    });

    await t.test('on a phone the list comes before the comments, and a tapped video brings its player into view', async () => {
      const context = await signInContext(await newContext(browser, { viewport: PHONE, hasTouch: true, isMobile: true }), origin, owner.sid);
      const { page, problems } = await openPage(context, origin);
      await page.goto(`${origin}/userhome#${second}`);
      await page.locator('.comment').nth(2).waitFor();
      const [stage, library, comments] = await Promise.all(['[data-stage]', '#library', '[data-comments-slot]'].map((selector) => page.evaluate(boxOf, selector)));
      assert.ok(stage!.top < library!.top && library!.top < comments!.top, `stage ${stage!.top}, list ${library!.top}, comments ${comments!.top}`);
      assert.ok(library!.top < PHONE.height * 1.2, `the list starts ${library!.top}px down`);
      await page.evaluate(scrollToTop, '#library');
      assert.equal(await page.evaluate(isInViewport, '[data-player]'), false, 'scrolled down to the list, the player is out of view');
      await page.tap(`.video-item[data-id="${first}"]`);
      await page.waitForFunction(isInViewport, '[data-player]');
      assert.equal(new URL(page.url()).hash, `#${first}`);
      assert.deepEqual(problems, []);
      await context.close();
    });

    await t.test('a 200-character name without spaces stays inside the delete dialog and the toast on a phone', async () => {
      const long = await request(server, 'POST', `/user/${owner.name}/videos`, { sid: owner.sid, body: { name: LONG_NAME } });
      const context = await signInContext(await newContext(browser, { viewport: PHONE }), origin, owner.sid);
      const { page, problems } = await openPage(context, origin);
      await page.goto(`${origin}/userhome#${long.body.id}`);
      await page.locator('[data-video-title]').getByText(LONG_NAME).waitFor();
      await page.click('[data-delete]');
      await page.locator('#confirm-dialog').waitFor({ state: 'visible' });
      assert.equal(await page.evaluate(overflowsHorizontally, '#confirm-dialog'), false, 'the dialog overflows');
      await page.click('#confirm-dialog button[value=delete]');
      await page.locator('[data-toast]').getByText('Deleted').waitFor();
      assert.equal(await page.evaluate(overflowsHorizontally, '[data-toast]'), false, 'the toast overflows');
      assert.ok(await page.evaluate(isInViewport, '[data-toast]'));
      assert.equal(await page.evaluate(overflowsHorizontally, 'body'), false, 'the page scrolls sideways');
      assert.deepEqual(problems, []);
      await context.close();
    });
  });
});
