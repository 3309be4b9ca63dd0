// The catalogue in Chromium: lengths on the poster cards, size in the details, the warning on an HEVC
// upload, resuming where a viewer stopped, search on / and /userhome, and editing a name and description.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { request, signUp } from '../helpers/http.js';
import { SAMPLES, samplePath } from '../helpers/media-samples.js';
import { seedReadyVideo } from '../helpers/seed-video.js';
import { ROOT, startServer } from '../helpers/server.js';
import { launchBrowser, newContext, openPage } from './browser.js';
import { currentTimeOf, hasMetadata, seekTo } from './in-page.js';
import { signInContext } from './site.js';

const SAMPLE = join(ROOT, 'test/fixtures/sample.webm');
const HEVC_WARNING =
  'H.265/HEVC: plays in Safari, not in Firefox and many Chrome installs. Re-encode to H.264, for example ffmpeg -i in.mov -c:v libx264 -crf 23 -c:a aac out.mp4';

describe('the catalogue in Chromium', () => {
  it('shows lengths, sizes and playability, resumes, searches and edits', async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    const browser = await launchBrowser();
    t.after(() => browser.close());
    const origin = server.url;
    const owner = await signUp(server, 'noa');
    const other = await signUp(server, 'sam');
    const harbour = await seedReadyVideo(server, owner, SAMPLE, 'video/webm');
    await request(server, 'PATCH', `/user/${owner.name}/videos/${harbour}`, { sid: owner.sid, body: { name: 'Harbour at dusk' } });
    const hevc = await seedReadyVideo(server, owner, samplePath(SAMPLES.hevc), 'video/mp4');
    await request(server, 'PATCH', `/user/${owner.name}/videos/${hevc}`, { sid: owner.sid, body: { name: 'Phone clip' } });
    const ferry = await seedReadyVideo(server, other, SAMPLE, 'video/webm');
    await request(server, 'PATCH', `/user/${other.name}/videos/${ferry}`, { sid: other.sid, body: { name: 'Harbour ferry', description: 'Leaving the harbour' } });
    const { page, problems } = await openPage(await signInContext(await newContext(browser), origin, owner.sid), origin);
    page.setDefaultTimeout(15_000);

    await t.test('puts the length on every poster card of the front page', async () => {
      const visitor = await openPage(await newContext(browser), origin);
      await visitor.page.goto(`${origin}/`);
      assert.deepEqual(await visitor.page.locator('.video-card .duration').allTextContents(), ['0:12', '0:02', '0:12']);
      assert.deepEqual(visitor.problems, []);
      await visitor.page.context().close();
    });

    await t.test('gives length, picture size and bytes in the details on /userhome, and lengths in the list', async () => {
      await page.goto(`${origin}/userhome#${harbour}`);
      await page.locator('[data-video-title]').getByText('Harbour at dusk').waitFor();
      assert.match((await page.textContent('[data-video-details]')) ?? '', /^Ready 0:12 · 320×240 · 398 KB · /);
      assert.deepEqual(await page.locator('.video-item .duration').allTextContents(), ['0:02', '0:12']);
      assert.equal(await page.locator('[data-playable-warning]').isHidden(), true, 'VP9/Opus plays everywhere');
    });

    await t.test('warns about an HEVC video, naming the fix', async () => {
      await page.click(`.video-item[data-id="${hevc}"]`);
      const warning = page.locator('[data-playable-warning]');
      await warning.waitFor();
      assert.equal(await warning.textContent(), HEVC_WARNING);
      assert.equal(await warning.locator('code').textContent(), 'ffmpeg -i in.mov -c:v libx264 -crf 23 -c:a aac out.mp4');
    });

    await t.test('edits the name and description, and the watch page shows the description as text', async () => {
      await page.click(`.video-item[data-id="${harbour}"]`);
      await page.click('[data-edit]');
      await page.fill('#edit-name', 'Harbour at dusk, Rotterdam');
      await page.fill('#edit-description', 'Filmed from the Erasmus bridge.\n<b>Not bold</b> & not markup');
      await page.click('#edit-dialog button[type=submit]');
      await page.locator('#edit-dialog').waitFor({ state: 'hidden' });
      await page.locator('[data-video-title]').getByText('Harbour at dusk, Rotterdam').waitFor();
      assert.equal(await page.textContent(`.video-item[data-id="${harbour}"] .video-name`), 'Harbour at dusk, Rotterdam');
      assert.equal(await page.textContent('[data-video-description]'), 'Filmed from the Erasmus bridge.\n<b>Not bold</b> & not markup');
      const visitor = await openPage(await newContext(browser), origin);
      await visitor.page.goto(`${origin}/watch/${harbour}`);
      assert.equal(await visitor.page.textContent('.description'), 'Filmed from the Erasmus bridge.\n<b>Not bold</b> & not markup');
      assert.equal(await visitor.page.locator('.description b').count(), 0);
      assert.match((await visitor.page.locator('.video-info .byline').nth(1).textContent()) ?? '', /^0:12 · 320×240$/);
      assert.deepEqual(visitor.problems, []);
      await visitor.page.context().close();
    });

    await t.test('searches from the front page', async () => {
      const visitor = await openPage(await newContext(browser), origin);
      await visitor.page.goto(`${origin}/`);
      await visitor.page.fill('#search-q', 'harb');
      await visitor.page.press('#search-q', 'Enter');
      await visitor.page.waitForURL(`${origin}/?q=harb#recent-title`);
      assert.equal(await visitor.page.textContent('#recent-title'), 'Videos matching “harb”');
      assert.deepEqual((await visitor.page.locator('.video-card .video-name').allTextContents()).sort(), ['Harbour at dusk, Rotterdam', 'Harbour ferry']);
      await visitor.page.fill('#search-q', 'submarine');
      await visitor.page.press('#search-q', 'Enter');
      await visitor.page.getByText('No video matches “submarine”.').waitFor();
      assert.deepEqual(visitor.problems, []);
      await visitor.page.context().close();
    });

    await t.test('searches every video from /userhome: own videos play here, others open their page', async () => {
      await page.fill('#library-q', 'ferry');
      await page.press('#library-q', 'Enter');
      await page.getByText('Videos matching “ferry”').waitFor();
      const found = page.locator('.video-list .video-item');
      assert.equal(await found.count(), 1);
      assert.equal(await found.getAttribute('href'), `/watch/${ferry}`);
      assert.equal(await found.locator('.video-item-meta').textContent(), 'by sam');
      await page.fill('#library-q', 'rotterdam');
      await page.press('#library-q', 'Enter');
      await page.locator(`button.video-item[data-id="${harbour}"]`).waitFor();
      await page.click('[data-search-clear]');
      await page.locator('.video-list .video-item').nth(1).waitFor();
      assert.equal(await page.inputValue('#library-q'), '');
    });

    await t.test('offers to resume where the viewer stopped', async () => {
      const visitor = await openPage(await newContext(browser), origin);
      await visitor.page.goto(`${origin}/watch/${harbour}`);
      await visitor.page.evaluate(seekTo, { selector: 'video', seconds: 8 });
      await visitor.page.reload();
      const resume = visitor.page.locator('[data-resume]');
      await resume.getByText('You stopped at 0:08.').waitFor();
      await visitor.page.click('[data-resume-play]');
      await resume.waitFor({ state: 'hidden' });
      assert.ok(Math.abs((await visitor.page.evaluate(currentTimeOf, 'video')) - 8) < 1);
      await visitor.page.reload();
      await resume.getByText(/^You stopped at 0:(08|09|10)\.$/).waitFor();
      await visitor.page.click('[data-resume-restart]');
      await visitor.page.reload();
      await visitor.page.waitForFunction(hasMetadata, 'video');
      assert.equal(await resume.isHidden(), true, 'starting over forgets the place');
      assert.deepEqual(visitor.problems, []);
      await visitor.page.context().close();
    });

    assert.deepEqual(problems, []);
  });
});
