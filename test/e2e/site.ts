// What a person does on the site, step by step through the real pages, for the browser tests.
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';

export const PASSWORD = 'correct horse battery';

export async function signUpInBrowser(page: Page, origin: string, userName: string): Promise<void> {
  await page.goto(`${origin}/`);
  await page.fill('#sign-up-name', userName);
  await page.fill('#sign-up-pwd', PASSWORD);
  await page.click('#sign-up button[type=submit]');
  await page.waitForURL(`${origin}/userhome`);
}

/** Fills the upload dialog and waits for the poster preview the page grabbed from the file. */
export async function chooseUpload(page: Page, name: string, file: string): Promise<void> {
  await page.click('[data-open-upload]');
  await page.fill('#upload-name', name);
  await page.setInputFiles('#upload-file', file);
}

/** Uploads through the dialog (poster included) and returns the new video's id (the page puts it in the URL fragment). */
export async function uploadInBrowser(page: Page, name: string, file: string): Promise<string> {
  await chooseUpload(page, name, file);
  await page.locator('[data-preview]').waitFor({ state: 'visible' });
  await page.click('[data-submit]');
  await page.locator('#upload-dialog').waitFor({ state: 'hidden' });
  await page.locator('[data-video-title]').getByText(name, { exact: true }).waitFor();
  const id = new URL(page.url()).hash.slice(1);
  assert.match(id, /^[0-9a-f-]{36}$/);
  // The poster follows the upload; the list shows it under a new URL once it is stored.
  await page.locator(`.video-item[data-id="${id}"] img[src*="/poster?v="]`).waitFor();
  return id;
}

export async function postComment(page: Page, text: string): Promise<void> {
  const before = await page.locator('.comment').count();
  await page.fill('#comment-text', text);
  await page.click('[data-comment-form] button[type=submit]');
  await page.locator('.comment').nth(before).waitFor();
}

/** A browser context signed in as a user made through the API (its session cookie set for origin). */
export async function signInContext(context: BrowserContext, origin: string, sid: string): Promise<BrowserContext> {
  await context.addCookies([{ name: 'session', value: sid, url: origin, httpOnly: true, sameSite: 'Lax' }]);
  return context;
}
