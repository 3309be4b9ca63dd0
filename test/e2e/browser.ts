// Debian's Chromium driven by playwright-core (no downloaded browsers), and a guard on every page that
// records what must never happen: console errors, uncaught exceptions, JS dialogs, requests to other hosts.
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

export interface GuardedPage {
  page: Page;
  /** Everything that went wrong on the page, as readable lines; a clean run leaves it empty. */
  problems: string[];
  /** The next "Leave page?" question (beforeunload) is expected and answered Leave; resolves once it was. */
  confirmLeaving(): Promise<void>;
}

const LEAVE_QUESTION_TIMEOUT_MS = 15_000;

/** expectedConsoleErrors: console error texts that the test provokes on purpose (a 415 answer). */
export async function openPage(
  context: BrowserContext,
  origin: string,
  expectedConsoleErrors: RegExp[] = [],
): Promise<GuardedPage> {
  const page = await context.newPage();
  const problems: string[] = [];
  let leave: (() => void) | undefined;
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (expectedConsoleErrors.some((pattern) => pattern.test(message.text()))) return;
    problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    if (dialog.type() === 'beforeunload' && leave) {
      void dialog.accept().then(leave);
      leave = undefined;
      return;
    }
    problems.push(`dialog opened: ${dialog.type()} ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('request', (request) => {
    const url = request.url();
    if (new URL(url).origin !== origin) problems.push(`request to another origin: ${url}`);
  });
  const confirmLeaving = () =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the page did not ask "Leave page?"')), LEAVE_QUESTION_TIMEOUT_MS);
      leave = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  return { page, problems, confirmLeaving };
}

export function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({ viewport: DESKTOP, locale: 'en-GB', timezoneId: 'Europe/Amsterdam', ...options });
}
