// Captions from the owner's side and the viewer's: added as SubRip and WebVTT on /userhome, shown by the
// player there and on the watch page (the track's cues load), refused in words when the file is wrong,
// and removed again.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { signUp } from '../helpers/http.js';
import { seedReadyVideo } from '../helpers/seed-video.js';
import { ROOT, startServer } from '../helpers/server.js';
import { launchBrowser, newContext, openPage } from './browser.js';
import { showCaptions } from './in-page.js';
import { signInContext } from './site.js';

describe('captions in Chromium', () => {
  it('are added and removed by the owner and shown by both players', async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    const dir = mkdtempSync(join(tmpdir(), 'moviedash-e2e-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const srt = join(dir, 'harbour.nl.srt');
    writeFileSync(srt, '1\r\n00:00:00,500 --> 00:00:03,000\r\nGolven tegen de <i>kademuur</i>\r\n\r\n2\r\n00:00:04,000 --> 00:00:06,000\r\n[meeuwen]\r\n');
    const vtt = join(dir, 'harbour.vtt');
    writeFileSync(vtt, 'WEBVTT\n\n00:00.500 --> 00:03.000\nWaves on the harbour wall\n');
    const broken = join(dir, 'broken.vtt');
    writeFileSync(broken, 'WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nBackwards\n');
    const browser = await launchBrowser();
    t.after(() => browser.close());
    const origin = server.url;
    const owner = await signUp(server, 'femke');
    const videoId = await seedReadyVideo(server, owner, join(ROOT, 'test/fixtures/sample.webm'), 'video/webm');
    // The 400 is the answer this test provokes; Chromium logs it as a console error.
    const { page, problems } = await openPage(await signInContext(await newContext(browser), origin, owner.sid), origin, [/status of 400/]);
    page.setDefaultTimeout(15_000);
    const dialog = page.locator('#captions-dialog');

    async function addCaptions(lang: string, file: string): Promise<void> {
      await page.fill('#captions-lang', lang);
      await page.setInputFiles('#captions-file', file);
      await dialog.locator('button[type=submit]').click();
    }

    await t.test('adds Dutch from SubRip and English from WebVTT on /userhome', async () => {
      await page.goto(`${origin}/userhome#${videoId}`);
      await page.click('[data-captions]');
      await dialog.getByText('No captions yet.').waitFor();
      await addCaptions('nl', srt);
      await dialog.getByText('Added Dutch captions: 2 cues.').waitFor();
      await addCaptions('en', vtt);
      await dialog.getByText('Added English captions: 1 cue.').waitFor();
      assert.deepEqual(await dialog.locator('.caption-item span').allTextContents(), ['English (en)', 'Dutch (nl)']);
    });

    await t.test('says in words why a file with a cue that ends before it starts is refused', async () => {
      await addCaptions('de', broken);
      await dialog.locator('[data-error]').getByText('“broken.vtt” could not be read: line 3: the cue ends before it starts.').waitFor();
      await page.keyboard.press('Escape');
    });

    await t.test('the /userhome player offers the tracks and shows their cues', async () => {
      assert.deepEqual(await page.locator('[data-player] track').evaluateAll((tracks) => tracks.map((track) => track.getAttribute('label'))), ['English', 'Dutch']);
      const cues = await page.evaluate(showCaptions, { selector: '[data-player]', index: 1 });
      assert.deepEqual(cues, ['Golven tegen de kademuur', '[meeuwen]']);
    });

    await t.test('the watch page shows them too', async () => {
      const { page: viewer, problems: viewerProblems } = await openPage(await newContext(browser), origin);
      await viewer.goto(`${origin}/watch/${videoId}`);
      const cues = await viewer.evaluate(showCaptions, { selector: 'video', index: 0 });
      assert.deepEqual(cues, ['Waves on the harbour wall']);
      assert.deepEqual(viewerProblems, []);
      await viewer.context().close();
    });

    await t.test('removes a language', async () => {
      await page.click('[data-captions]');
      await dialog.getByRole('button', { name: 'Remove the English captions' }).click();
      await dialog.getByText('Removed the English captions.').waitFor();
      assert.deepEqual(await dialog.locator('.caption-item span').allTextContents(), ['Dutch (nl)']);
      await page.keyboard.press('Escape');
      await page.locator('[data-player] track').nth(1).waitFor({ state: 'detached' });
      assert.equal(await page.locator('[data-player] track').getAttribute('srclang'), 'nl');
      assert.equal((await fetch(`${origin}/videos/${videoId}/captions/en`)).status, 404);
    });

    assert.deepEqual(problems, []);
  });
});
