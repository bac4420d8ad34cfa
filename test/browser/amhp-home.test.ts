import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { demoReferrers } from '../../infra/local/seed.ts';
import { BROWSER_TEST_TIMEOUT_MS, PHONE, expectAccessible as axe, haveChromium, launchBrowser, screenshot as shoot, signIn, warnIfNoChromium } from '../support/browser.ts';
import { localApi, localToken } from '../support/local-api.ts';

/**
 * The AMHP's home on a 390 px phone (Debian's chromium, driven by playwright-core): after accepting,
 * the referral is listed with the number to call back and where the person is first, as tap-to-call
 * and text; one button per next step records it, and the stage moves on; delays start and end, the
 * relative consulted is recorded, and a child's referral carries the U18 marker. axe-core checks
 * WCAG 2.2 A and AA.
 */

warnIfNoChromium('AMHP home browser tests');
const [gp] = demoReferrers;

let runtime: LocalRuntime;
let browser: Browser;
let page: Page;

const expectAccessible = (name: string) => axe(page, name);
const screenshot = (name: string) => shoot(page, name);
const api = localApi(() => runtime.url);
const login = (username: string) => localToken(runtime.url, username);

/** A GP's s136 referral about someone born on `dateOfBirth`, accepted by whichever AMHP was paged. */
async function acceptedReferral(dateOfBirth: string) {
  const submitted = await api('POST', '/api/referrals', await login('gp'), {
    referrer: { name: 'Dr Gill Price', kind: 'gp', organisation: 'Leeds Central Surgery', phone: gp.phone },
    subject: {
      givenName: 'Zebedee',
      familyName: 'Quartermaine',
      dateOfBirth,
      nhsNumber: '943 476 5919',
      currentLocation: { kind: 'place_of_safety', description: 'Suite 2', postcode: 'LS1 4AP' },
    },
    legal: { status: 's136', detentionStart: new Date(Date.now() - 3 * 3_600_000).toISOString() },
    reason: 'Found on the bridge parapet',
    risks: ['Risk to self'],
    urgency: 'immediate',
  });
  expect(submitted.status).toBe(202);
  const { id, reference } = submitted.body as { id: string; reference: string };
  const sms = await runtime.outbox.waitFor((m) => m.direction === 'outbound' && m.body.includes(reference), 10_000);
  const amhp = (await runtime.deps.directory.staffByPhone(sms.phone))?.id ?? '';
  expect((await api('POST', `/api/referrals/${id}/accept`, await login(amhp))).status).toBe(200);
  return { id, reference, amhp };
}

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

describe.runIf(haveChromium)("the AMHP's home on a phone", { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('lists the accepted referral with the number to call and the place first, and records each next step', async () => {
    const { id, reference, amhp } = await acceptedReferral('1987-03-14');

    await signIn(page, `${runtime.url}/amhp`, amhp);
    await expect.poll(() => page.getByRole('heading', { name: 'Your open referrals' }).isVisible()).toBe(true);

    const card = page.getByRole('region', { name: reference });
    const call = card.getByRole('link', { name: '07700 900201' });
    expect(await call.getAttribute('href')).toBe(`tel:${gp.phone}`);
    expect(await card.locator(`[id="${id}-place"]`).textContent()).toMatch(/Health-based place of safety, Suite 2\s*LS1 4AP/);
    // The number to call and the place come before anything else on the card.
    const [callTop, stageTop] = await Promise.all([call.boundingBox(), card.locator(`[id="${id}-stage"]`).boundingBox()]);
    expect(callTop!.y).toBeLessThan(stageTop!.y);
    expect(await card.locator(`[id="${id}-stage"]`).textContent()).toMatch(/Accepted since \d\d:\d\d/);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await expectAccessible('amhp-home');
    await screenshot('amhp-home');

    await card.getByLabel('Minutes until you arrive (optional)').fill('30');
    await card.getByRole('button', { name: `I am on my way (${reference})` }).click();
    await expect.poll(() => card.locator(`[id="${id}-stage"]`).textContent()).toMatch(/On the way since/);
    await card.getByRole('button', { name: `Assessment started (${reference})` }).click();
    await expect.poll(() => card.locator(`[id="${id}-stage"]`).textContent()).toMatch(/Assessing since/);
    expect(await card.getByRole('button', { name: `Assessment started (${reference})` }).count()).toBe(0);

    await card.getByLabel('Waiting for').selectOption('s12_doctor');
    await card.getByRole('button', { name: `Start the delay (${reference})` }).click();
    await expect.poll(() => card.getByText(/Waiting for an s12 doctor since/).isVisible()).toBe(true);
    await expectAccessible('amhp-home-assessing');
    await screenshot('amhp-home-assessing');

    const view = (await api('GET', `/api/referrals/${id}`, await login('manager-dev'))).body as { stage: string; delays: unknown[]; timeline: { type: string; etaMinutes?: number }[] };
    expect(view).toMatchObject({ stage: 'assessment_started', delays: [{ reason: 's12_doctor', until: null }] });
    expect(view.timeline.find((entry) => entry.type === 'attending')).toMatchObject({ etaMinutes: 30 });
    expect(view.timeline.some((entry) => entry.type === 'viewed' && (entry as { what?: string }).what === 'callback_and_location')).toBe(true);
    // An adult: no U18 marker.
    expect(await card.locator(`[id="${id}-legal"]`).textContent()).toBe('s136, LS1');
  });

  it('records the nearest relative consulted and ends the delay with the forms on the card', async () => {
    const card = page.locator('section.dutyline-card').first();
    const reference = (await card.getByRole('heading', { level: 2 }).textContent()) ?? '';
    const id = ((await card.getAttribute('id')) ?? '').replace('referral-', '');
    await expect.poll(() => card.getByText('Nothing recorded yet.').isVisible()).toBe(true);
    await card.getByLabel('What happened with the nearest relative').selectOption('objected');
    await card.getByRole('button', { name: `Record nearest relative (${reference})` }).click();
    await expect.poll(() => card.locator(`[id="${id}-relative-recorded"]`).textContent()).toMatch(/^Nearest relative objected at \d\d:\d\d$/);

    await card.getByRole('button', { name: `No longer waiting (${reference})` }).click();
    await expect.poll(() => card.getByText(/Waiting for an s12 doctor since/).count()).toBe(0);
    expect(await card.getByText('Nothing is holding it up.').isVisible()).toBe(true);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await expectAccessible('amhp-home-relatives');
    await screenshot('amhp-home-relatives');

    const view = (await api('GET', `/api/referrals/${id}`, await login('manager-dev'))).body as { delays: { until: string | null }[]; timeline: { type: string }[] };
    expect(view.delays).toEqual([expect.objectContaining({ reason: 's12_doctor', until: expect.any(String) })]);
    expect(view.timeline.filter((entry) => entry.type === 'relative_consulted')).toEqual([expect.objectContaining({ role: 'nearest_relative', action: 'objected' })]);
    // The objection recorded here bars an s3 (MHA 1983 s11(4)): the page says why.
    await card.getByLabel('Decision').selectOption('application_s3');
    await card.getByRole('button', { name: `Record the decision (${reference})` }).click();
    await expect.poll(() => page.locator('.govuk-error-summary').textContent()).toMatch(/nearest relative objected/);
  });

  it("marks a child's referral U18 beside the legal status, and shows nothing else of their age", async () => {
    const { id, reference, amhp } = await acceptedReferral(`${new Date().getUTCFullYear() - 15}-01-01`);
    const childPage = await (await browser.newContext(PHONE)).newPage();
    try {
      await signIn(childPage, `${runtime.url}/amhp`, amhp);
      const card = childPage.getByRole('region', { name: reference });
      await expect.poll(() => card.locator(`[id="${id}-legal"]`).textContent()).toBe('s136 U18, LS1');
      expect(await card.locator(`[id="${id}-legal"] .govuk-tag`).textContent()).toBe('U18');
      expect(await card.textContent()).not.toMatch(/aged|born|\b(19|20)\d\d-\d\d-\d\d\b/);
      await axe(childPage, 'amhp-home-under-18');
      await shoot(childPage, 'amhp-home-under-18');
    } finally {
      await childPage.context().close();
    }
  });
});
