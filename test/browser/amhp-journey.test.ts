import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { demoReferrers, demoStaff } from '../../infra/local/seed.ts';

/** A journey takes 15–20 s alone; beside the rest of the suite on two cores it can take three times that. */
const BROWSER_TEST_TIMEOUT_MS = 90_000;

/**
 * An on-call AMHP in a real browser (Debian's chromium, driven by playwright-core) on a phone-sized
 * screen: open the link in the page, accept, follow "View referral details", sign in, and read the
 * referral with its statutory clock first. axe-core checks each page for WCAG 2.2 A and AA.
 */

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(`AMHP browser tests SKIPPED: ${CHROMIUM} is missing. Install it with: apt-get update && apt-get install -y chromium`);
}

const ARTIFACTS = new URL('../../test-results/browser/', import.meta.url);
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
const [asha] = demoStaff;
const [gp] = demoReferrers;

let runtime: LocalRuntime;
let browser: Browser;
let page: Page;

async function expectAccessible(name: string) {
  const results = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  await writeFile(new URL(`axe-${name}.json`, ARTIFACTS), JSON.stringify(results, null, 2));
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

const screenshot = (name: string) => page.screenshot({ path: new URL(`${name}.png`, ARTIFACTS).pathname, fullPage: true });

beforeAll(async () => {
  if (!haveChromium) return;
  await mkdir(ARTIFACTS, { recursive: true });
  runtime = await startLocalRuntime({ port: 0, seed: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

describe.runIf(haveChromium)('an AMHP in the browser', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('accepts by the texted link, then signs in to read the details, the clock first', async () => {
    const token = ((await (await fetch(`${runtime.url}/local/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'gp' }) })).json()) as { token: string }).token;
    const submitted = await fetch(`${runtime.url}/api/referrals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        referrer: { name: 'Dr Gill Price', kind: 'gp', organisation: 'Leeds Central Surgery', phone: gp.phone },
        subject: {
          givenName: 'Zebedee',
          familyName: 'Quartermaine',
          dateOfBirth: '1987-03-14',
          nhsNumber: '943 476 5919',
          currentLocation: { kind: 'place_of_safety', description: 'Suite 2', postcode: 'LS1 4AP' },
        },
        legal: { status: 's136', detentionStart: new Date(Date.now() - 3 * 3_600_000).toISOString() },
        reason: 'Found on the bridge parapet, says voices tell him to jump',
        risks: ['Risk to self'],
        urgency: 'immediate',
      }),
    });
    const { reference } = (await submitted.json()) as { reference: string };
    const sms = await runtime.outbox.waitFor((m) => m.phone === asha.phone && m.body.includes(reference), 5_000);
    const link = /(http:\/\/\S+\/a\/\S+)/.exec(sms.body)?.[1] ?? '';

    await page.goto(link);
    await expect.poll(() => page.getByRole('heading', { name: `Accept ${reference}?` }).isVisible()).toBe(true);
    await expectAccessible('amhp-accept-link');
    expect(await page.content()).not.toContain('Quartermaine');
    await page.getByRole('button', { name: `Accept ${reference}` }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Referral accepted' }).isVisible()).toBe(true);
    await expectAccessible('amhp-accepted');
    await screenshot('amhp-accepted');

    await page.getByRole('button', { name: 'View referral details' }).click();
    await expect.poll(() => page.url()).toContain('/local/sign-in');
    await page.getByLabel('Someone else').check();
    await page.getByLabel('Username').fill(asha.id);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('heading', { name: reference }).isVisible()).toBe(true);
    expect(page.url()).toMatch(/\/amhp\/referrals\/[0-9A-Z]{26}$/);
    await expect.poll(() => page.getByText('Zebedee Quartermaine').isVisible()).toBe(true);
    expect(await page.locator('#clock-expiry').textContent()).toMatch(/Section 136 expires/);
    await expectAccessible('amhp-referral');
    await screenshot('amhp-referral');
  });
});
