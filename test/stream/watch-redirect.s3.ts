// The watch page in Debian's Chromium with S3_DELIVERY=redirect: the player follows the 302 to the bucket (or the
// CDN of S3_PUBLIC_URL), which the page's Content-Security-Policy must let it load media from.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, newContext } from '../e2e/browser.js';
import { isPlaying, playMuted } from '../e2e/in-page.js';
import { signUp } from '../helpers/http.js';
import { seedReadyVideo } from '../helpers/seed-video.js';
import { ROOT, startServer, type TestServer } from '../helpers/server.js';

const MP4 = join(ROOT, 'test/fixtures/sample.mp4');
const PLAYER = 'video[data-player]';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser.close());

/** Plays the video on its watch page; resolves with the console errors meanwhile (a request the page's CSP refused). */
async function play(server: TestServer, videoId: string): Promise<string[]> {
  const context = await newContext(browser);
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(`${server.url}/watch/${videoId}`);
    await page.evaluate(playMuted, PLAYER);
    await page.waitForFunction(isPlaying, PLAYER);
    return errors;
  } finally {
    await context.close();
  }
}

describe('the watch page with S3_DELIVERY=redirect', () => {
  it('plays the video the player is redirected to in the bucket', async (t) => {
    const server = await startServer({ storage: 's3', env: { S3_DELIVERY: 'redirect' } });
    t.after(() => server.close());
    const videoId = await seedReadyVideo(server, await signUp(server), MP4, 'video/mp4');
    assert.deepEqual(await play(server, videoId), []);
  });

  it("lets pages load media from S3_PUBLIC_URL's origin (a CDN), and from nowhere else", async (t) => {
    const server = await startServer({ storage: 's3', env: { S3_DELIVERY: 'redirect', S3_PUBLIC_URL: 'https://cdn.example.com/moviedash/' } });
    t.after(() => server.close());
    const policy = (await fetch(`${server.url}/`)).headers.get('content-security-policy')!;
    assert.match(policy, /(^|; )media-src 'self' blob: https:\/\/cdn\.example\.com(;|$)/);
  });
});

describe('the watch page with S3_DELIVERY=proxy', () => {
  it('lets pages load media from the site alone', async (t) => {
    const server = await startServer({ storage: 's3' });
    t.after(() => server.close());
    const policy = (await fetch(`${server.url}/`)).headers.get('content-security-policy')!;
    assert.match(policy, /(^|; )media-src 'self' blob:(;|$)/);
  });
});
