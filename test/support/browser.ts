/**
 * What every browser test shares: Debian's chromium driven by playwright-core, a phone-sized
 * screen, the local runtime's stand-in for Cognito's sign-in page, axe-core's WCAG 2.2 A/AA check
 * and the artifacts (screenshots, axe results) in test-results/browser/ (git-ignored).
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

/** A journey takes 15–20 s alone; beside the rest of the suite on two cores it can take three times that. */
export const BROWSER_TEST_TIMEOUT_MS = 90_000;

/** Says, once per suite, that it is skipped and how to install the browser. */
export function warnIfNoChromium(suite: string): void {
  if (!haveChromium) console.warn(`${suite} SKIPPED: ${CHROMIUM} is missing. Install it with: apt-get update && apt-get install -y chromium`);
}

export const ARTIFACTS = new URL('../../test-results/browser/', import.meta.url);
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** A 390 px phone, as a police officer, a GP on a home visit or an AMHP on call would use. */
export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** Chromium, headless, with the artifacts folder ready. */
export async function launchBrowser(): Promise<Browser> {
  await mkdir(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

export interface AxeTally {
  page: string;
  violations: number;
  passes: number;
  incomplete: number;
}

/** No WCAG 2.2 A/AA violation; the full result is kept as `axe-<name>.json`, and its counts go to `tally` when given. */
export async function expectAccessible(page: Page, name: string, tally?: AxeTally[]): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  await writeFile(new URL(`axe-${name}.json`, ARTIFACTS), JSON.stringify(results, null, 2));
  tally?.push({ page: name, violations: results.violations.length, passes: results.passes.length, incomplete: results.incomplete.length });
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

export const screenshot = (page: Page, name: string) => page.screenshot({ path: new URL(`${name}.png`, ARTIFACTS).pathname, fullPage: true });

/**
 * On the local runtime's sign-in page (the stand-in for Cognito's hosted UI), signs in as a demo
 * user chosen by their label (`/PC Sam Hill/`), or as anyone by username ("Someone else").
 * `beforeSignIn` runs on the sign-in page first (to check it, say).
 */
export async function completeSignIn(page: Page, who: string | RegExp, beforeSignIn?: () => Promise<void>): Promise<void> {
  await expect.poll(() => page.url()).toContain('/local/sign-in');
  await beforeSignIn?.();
  if (typeof who === 'string') {
    await page.getByLabel('Someone else').check();
    await page.getByLabel('Username').fill(who);
  } else {
    await page.getByLabel(who).check();
  }
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Opens `url` signed out, signs in as `who` and is sent back to it. */
export async function signIn(page: Page, url: string, who: string | RegExp, beforeSignIn?: () => Promise<void>): Promise<void> {
  await page.goto(url);
  await completeSignIn(page, who, beforeSignIn);
  await page.waitForURL(url);
}
