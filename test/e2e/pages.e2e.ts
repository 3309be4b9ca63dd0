// The edges of the pages: messages in plain words, sign-out on every page and its confirmation, the way
// back to a video after signing in, what a new user's page and a pending video look like, and modules
// that load at once instead of one import after another.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { request, signUp } from '../helpers/http.js';
import { seedReadyVideo } from '../helpers/seed-video.js';
import { ROOT, startServer } from '../helpers/server.js';
import { launchBrowser, newContext, openPage } from './browser.js';
import { PASSWORD, signInContext } from './site.js';

describe('the pages in Chromium', () => {
  it('words, sign-out, the way back, new users and module loading', async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    const browser = await launchBrowser();
    t.after(() => browser.close());
    const origin = server.url;
    const owner = await signUp(server, 'ada', PASSWORD);
    const videoId = await seedReadyVideo(server, owner, join(ROOT, 'test/fixtures/sample.webm'), 'video/webm');

    await t.test('the front page says what is wrong in words, and a sign-in error goes when the sign-up form is used', async () => {
      // The 400/401/409 answers are provoked here; Chromium logs each as a console error.
      const { page, problems } = await openPage(await newContext(browser), origin, [/status of 40[019]/]);
      await page.goto(`${origin}/`);
      const signInError = page.locator('#sign-in [data-error]');
      const signUpError = page.locator('#sign-up [data-error]');
      const cases = [
        { form: 'sign-in', name: 'ada', pwd: 'not the password', says: 'That user name and password do not match. Check both and try again.' },
        { form: 'sign-in', name: 'ada lovelace', pwd: PASSWORD, says: 'User names can use letters, digits, _ . and -, up to 64 characters.' },
        { form: 'sign-up', name: 'ada', pwd: 'short', says: 'Passwords need at least 8 characters.' },
        { form: 'sign-up', name: 'ada', pwd: PASSWORD, says: 'That user name is taken. Choose another one.' },
        { form: 'sign-up', name: 'ada lovelace', pwd: PASSWORD, says: 'User names can use letters, digits, _ . and -, up to 64 characters (no spaces).' },
      ];
      for (const { form, name, pwd, says } of cases) {
        await page.fill(`#${form}-name`, name);
        await page.fill(`#${form}-pwd`, pwd);
        await page.click(`#${form} button[type=submit]`);
        await page.locator(`#${form} [data-error]`).getByText(says, { exact: true }).waitFor();
      }
      await page.fill('#sign-in-name', 'ada');
      await page.fill('#sign-in-pwd', 'wrong again');
      await page.click('#sign-in button[type=submit]');
      await signInError.getByText('do not match').waitFor();
      await page.click('#sign-up-name');
      assert.equal(await signInError.textContent(), '', 'turning to the sign-up form clears the sign-in error');
      assert.equal(await page.locator('#sign-in [aria-invalid]').count(), 0);
      assert.equal(await signUpError.textContent(), '');
      assert.deepEqual(problems, []);
      await page.context().close();
    });

    await t.test("the watch page's Sign in comes back to the video", async () => {
      const { page, problems } = await openPage(await newContext(browser), origin);
      await page.goto(`${origin}/watch/${videoId}`);
      await page.locator('.site-header').getByRole('link', { name: 'Sign in' }).click();
      await page.fill('#sign-in-name', owner.name);
      await page.fill('#sign-in-pwd', PASSWORD);
      await page.click('#sign-in button[type=submit]');
      await page.waitForURL(`${origin}/watch/${videoId}`);
      await page.locator('#comment-text').waitFor();
      assert.deepEqual(problems, []);
      await page.context().close();
    });

    await t.test('signs out from the 404 page, and the front page confirms it', async () => {
      const context = await signInContext(await newContext(browser), origin, (await signUp(server)).sid);
      const { page, problems } = await openPage(context, origin, [/status of 404/]);
      const response = await page.goto(`${origin}/no/such/page`);
      assert.equal(response?.status(), 404);
      await page.click('[data-sign-out]');
      await page.waitForURL(`${origin}/?signed-out`);
      await page.getByRole('status').getByText('You are signed out.').waitFor();
      await page.goto(`${origin}/userhome`);
      assert.equal(page.url(), `${origin}/`, 'the session is gone');
      assert.deepEqual(problems, []);
      await page.context().close();
    });

    await t.test("a new user's page has its heading, and a pending video shows no play symbol", async () => {
      const newcomer = await signUp(server);
      const { page, problems } = await openPage(await signInContext(await newContext(browser), origin, newcomer.sid), origin);
      await page.goto(`${origin}/userhome`);
      await page.getByText('No videos yet').first().waitFor();
      assert.equal(await page.textContent('h1'), 'My videos');
      await request(server, 'POST', `/user/${newcomer.name}/videos`, { sid: newcomer.sid, body: { name: 'Waiting for its file' } });
      await page.reload();
      const thumb = page.locator('.video-item .thumb');
      await thumb.waitFor();
      assert.match((await thumb.getAttribute('src')) ?? '', /^\/statics\/images\/pending\.[0-9a-f]{8}\.svg$/);
      await page.getByText('This video has no file yet').waitFor();
      assert.deepEqual(problems, []);
      await page.context().close();
    });

    await t.test('fetches every script of a page once, all found in the HTML (modulepreload), none by an import chain', async () => {
      for (const path of ['/', '/userhome', `/watch/${videoId}`]) {
        // The front page sends a signed-in visitor on to /userhome: it is seen signed out.
        const context = path === '/' ? await newContext(browser) : await signInContext(await newContext(browser), origin, owner.sid);
        const { page, problems } = await openPage(context, origin);
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Network.enable');
        const modules: { url: string; initiator: string }[] = [];
        cdp.on('Network.requestWillBeSent', (event) => {
          if (/\/statics\/.+\.js$/.test(event.request.url)) modules.push({ url: event.request.url, initiator: event.initiator.type });
        });
        await page.goto(origin + path);
        await page.waitForLoadState('load');
        const preloaded = await page.locator('link[rel=modulepreload]').evaluateAll((links) => links.map((link) => link.getAttribute('href')));
        assert.ok(preloaded.length >= 2, `${path} preloads its modules`);
        assert.deepEqual(modules.map(({ initiator }) => initiator), modules.map(() => 'parser'), `${path}: ${JSON.stringify(modules)}`);
        assert.equal(new Set(modules.map(({ url }) => url)).size, modules.length, `${path}: a module was fetched twice`);
        // The entry module, any classic script (/userhome's tus-js-client) and the preloads.
        const scripts = await page.locator('script[src]').count();
        assert.equal(modules.length, preloaded.length + scripts, `${path}: the entry and its preloads, nothing else`);
        assert.deepEqual(problems, []);
        await page.context().close();
      }
    });
  });
});
