import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { demoReferrers, demoStaff } from '../../infra/local/seed.ts';
import { BROWSER_TEST_TIMEOUT_MS, PHONE, completeSignIn, expectAccessible as axe, haveChromium, launchBrowser, screenshot as shoot, warnIfNoChromium } from '../support/browser.ts';
import { localApi, localToken } from '../support/local-api.ts';

/**
 * An on-call AMHP in a real browser (Debian's chromium, driven by playwright-core) on a phone-sized
 * screen: open the link in the page, accept, follow "View referral details", sign in, and read the
 * referral with its statutory clock first. axe-core checks each page for WCAG 2.2 A and AA.
 */

warnIfNoChromium('AMHP browser tests');
const [asha] = demoStaff;
const [gp] = demoReferrers;

let runtime: LocalRuntime;
let browser: Browser;
let page: Page;

const expectAccessible = (name: string) => axe(page, name);
const screenshot = (name: string) => shoot(page, name);

beforeAll(async () => {
  if (!haveChromium) return;
  runtime = await startLocalRuntime({ port: 0, seed: true });
  browser = await launchBrowser();
  page = await (await browser.newContext(PHONE)).newPage();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

describe.runIf(haveChromium)('an AMHP in the browser', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('accepts by the texted link, then signs in to read the details, the clock first', async () => {
    const submitted = await localApi(runtime.url)('POST', '/api/referrals', await localToken(runtime.url, 'gp'), {
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
    });
    expect(submitted.status).toBe(202);
    const { reference } = submitted.body as { reference: string };
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
    await completeSignIn(page, asha.id);
    await expect.poll(() => page.getByRole('heading', { name: reference }).isVisible()).toBe(true);
    expect(page.url()).toMatch(/\/amhp\/referrals\/[0-9A-Z]{26}$/);
    await expect.poll(() => page.getByText('Zebedee Quartermaine').isVisible()).toBe(true);
    expect(await page.locator('#clock-expiry').textContent()).toMatch(/Section 136 expires/);
    await expectAccessible('amhp-referral');
    await screenshot('amhp-referral');
  });
});
