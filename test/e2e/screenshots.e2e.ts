// Screenshots of the three pages on a laptop (1280x800) and a phone (390x844), with real uploads,
// posters grabbed by the browser and a few comments. The desktop ones are the README's pictures: with
// UPDATE_SCREENSHOTS=1 they are copied to docs/screenshots (each run differs: port, clock, share URL).
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { request, signUp } from '../helpers/http.js';
import { ROOT, startServer } from '../helpers/server.js';
import { DESKTOP, launchBrowser, newContext, openPage, PHONE } from './browser.js';
import { areImagesInViewLoaded, isPlayerIdle } from './in-page.js';
import { postComment, signUpInBrowser, uploadInBrowser } from './site.js';

const SHOTS = join(ROOT, 'test/e2e/screenshots');
const DOCS = join(ROOT, 'docs/screenshots');
const UPDATE_DOCS = process.env.UPDATE_SCREENSHOTS === '1';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

async function shoot(page: Page, name: string): Promise<void> {
  // Chromium's media controls fade their loading spinner out after the media is idle.
  await page.waitForTimeout(1500);
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path });
  assert.deepEqual(readFileSync(path).subarray(0, 8), PNG_SIGNATURE);
  if (UPDATE_DOCS && name.endsWith('-desktop')) copyFileSync(path, join(DOCS, `${name}.png`));
}

describe('screenshots', () => {
  it('shows each page with its posters loaded on a laptop and a phone', async (t) => {
    mkdirSync(SHOTS, { recursive: true });
    if (UPDATE_DOCS) mkdirSync(DOCS, { recursive: true });
    const server = await startServer();
    t.after(() => server.close());
    const browser = await launchBrowser();
    t.after(() => browser.close());
    const origin = server.url;

    const owner = await openPage(await newContext(browser), origin);
    owner.page.setDefaultTimeout(20_000);
    await signUpInBrowser(owner.page, origin, 'maya');
    await uploadInBrowser(owner.page, 'Morning run along the canal', join(ROOT, 'test/fixtures/sample.mp4'));
    await uploadInBrowser(owner.page, 'Cat vs. laser pointer (round 3)', join(ROOT, 'test/fixtures/sample.webm'));
    const featured = await uploadInBrowser(owner.page, 'Harbour at dusk', join(ROOT, 'test/fixtures/sample.webm'));
    const sid = (await owner.page.context().cookies()).find((cookie) => cookie.name === 'session')!.value;
    await request(server, 'PATCH', `/user/maya/videos/${featured}`, {
      sid,
      body: { description: 'The old harbour of Rotterdam, a few minutes before the last ferry of the day.' },
    });
    const captions = await fetch(`${origin}/upload/${featured}/captions/en`, {
      method: 'PUT',
      headers: { 'X-Session-Id': sid },
      body: 'WEBVTT\n\n00:00:00.500 --> 00:00:04.000\nGulls over the harbour wall\n',
    });
    assert.equal(captions.status, 201);
    const friend = await signUp(server, 'lin');
    await request(server, 'POST', `/videos/${featured}/comments`, { sid: friend.sid, body: { content: 'The light at 0:08 is unreal. Where was this?' } });
    await postComment(owner.page, 'Rotterdam, just before the ferry left. Thanks!');
    assert.deepEqual(owner.problems, []);

    for (const [device, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
      await t.test(`the front page on a ${device}`, async () => {
        const { page, problems } = await openPage(await newContext(browser, { viewport }), origin);
        await page.goto(`${origin}/`);
        assert.equal(await page.locator('.video-card').count(), 3);
        await page.waitForFunction(areImagesInViewLoaded);
        await shoot(page, `home-${device}`);
        assert.deepEqual(problems, []);
        await page.context().close();
      });

      await t.test(`the user's page on a ${device}`, async () => {
        const context = await newContext(browser, { viewport, storageState: await owner.page.context().storageState() });
        const { page, problems } = await openPage(context, origin);
        await page.goto(`${origin}/userhome#${featured}`);
        await page.locator('.comment').nth(1).waitFor();
        await page.waitForFunction(isPlayerIdle, '[data-player]');
        await page.waitForFunction(areImagesInViewLoaded);
        await shoot(page, `userhome-${device}`);
        assert.deepEqual(problems, []);
        await context.close();
      });

      await t.test(`the watch page on a ${device}`, async () => {
        const { page, problems } = await openPage(await newContext(browser, { viewport }), origin);
        await page.goto(`${origin}/watch/${featured}`);
        await page.locator('.comment').nth(1).waitFor();
        await page.waitForFunction(isPlayerIdle, 'video');
        await page.waitForFunction(areImagesInViewLoaded);
        await shoot(page, `watch-${device}`);
        assert.deepEqual(problems, []);
        await page.context().close();
      });
    }
  });
});
