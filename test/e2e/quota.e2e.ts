// What a person sees with a storage quota (USER_QUOTA_MB): the space left in the upload dialog, and the 507
// message when a file does not fit.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, startServer } from '../helpers/server.js';
import { launchBrowser, newContext, openPage } from './browser.js';
import { chooseUpload, signUpInBrowser, uploadInBrowser } from './site.js';

const SAMPLE = join(ROOT, 'test/fixtures/sample.webm');

describe('a storage quota in Chromium', () => {
  it('shows the space left, then explains a file that does not fit and keeps its video pending', async (t) => {
    const server = await startServer({ env: { USER_QUOTA_MB: '1' } });
    t.after(() => server.close());
    const browser = await launchBrowser();
    t.after(() => browser.close());
    // The 507 is the server's answer we provoke; Chromium logs every 5xx resource as a console error.
    const { page, problems } = await openPage(await newContext(browser), server.url, [/status of 507/]);
    page.setDefaultTimeout(15_000);
    const hint = page.locator('#upload-limit');
    const error = page.locator('#upload-dialog [data-error]');

    await signUpInBrowser(page, server.url, 'quota');
    await page.click('[data-open-upload]');
    await hint.filter({ hasText: 'Space left' }).waitFor();
    assert.match((await hint.textContent()) ?? '', /Space left: 1\.0 MB of 1\.0 MB\.$/);
    await page.keyboard.press('Escape');

    // Two 400 KB files (and their posters) fit in 1 MiB; a third does not.
    await uploadInBrowser(page, 'First', SAMPLE);
    await uploadInBrowser(page, 'Second', SAMPLE);
    await chooseUpload(page, 'Third', SAMPLE);
    await hint.filter({ hasText: /Space left: \d+ KB of 1\.0 MB/ }).waitFor();
    await page.click('[data-submit]');
    await error.filter({ hasText: /\S/ }).waitFor();
    assert.match((await error.textContent()) ?? '', /^No room for this file \(Over your storage quota of 1 MiB: .+\)\.$/);
    await page.locator('.video-item .badge.pending').waitFor();
    assert.deepEqual(problems, []);
  });
});
