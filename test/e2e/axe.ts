// axe-core's audit in a page. axe is injected as an inline script, which the pages' CSP forbids: audits
// run in a context made with bypassCSP (auditContext), never in the contexts the other checks use.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { newContext } from './browser.js';
import { runAxe, type AxeSummary } from './in-page.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Impacts the issue asks to be free of: moderate and above. */
const REPORTED = new Set(['moderate', 'serious', 'critical']);

export function auditContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return newContext(browser, { ...options, bypassCSP: true });
}

/**
 * Violations of impact moderate or above, one readable line each (`rule (impact): target`), and the rules
 * that passed; over the whole page, or only the element `within` names (an open modal dialog).
 */
export async function audit(page: Page, within: string | null = null): Promise<{ violations: string[]; passed: string[] }> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ content: AXE_SOURCE });
  const summary: AxeSummary = await page.evaluate(runAxe, within);
  const violations = summary.violations
    .filter((violation) => REPORTED.has(violation.impact ?? ''))
    .flatMap((violation) => violation.targets.map((target) => `${violation.id} (${violation.impact}): ${target}`));
  return { violations, passed: summary.passed };
}
