import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { demoReferrers } from '../../infra/local/seed.ts';

/** A journey takes 15–20 s alone; beside the rest of the suite on two cores it can take three times that. */
const BROWSER_TEST_TIMEOUT_MS = 90_000;

/**
 * The AMHP's home on a 390 px phone (Debian's chromium, driven by playwright-core): after accepting,
 * the referral is listed with the number to call back and where the person is first, as tap-to-call
 * and text; one button per next step records it, and the stage moves on. axe-core checks WCAG 2.2 A and AA.
 */

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(`AMHP home browser tests SKIPPED: ${CHROMIUM} is missing. Install it with: apt-get update && apt-get install -y chromium`);
}

const ARTIFACTS = new URL('../../test-results/browser/', import.meta.url);
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
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
const api = async (path: string, token: string, body?: unknown) =>
  fetch(`${runtime.url}${path}`, { method: body === undefined ? 'GET' : 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
const login = async (username: string) =>
  ((await (await fetch(`${runtime.url}/local/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username }) })).json()) as { token: string }).token;

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

describe.runIf(haveChromium)("the AMHP's home on a phone", { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('lists the accepted referral with the number to call and the place first, and records each next step', async () => {
    const submitted = await api('/api/referrals', await login('gp'), {
      referrer: { name: 'Dr Gill Price', kind: 'gp', organisation: 'Leeds Central Surgery', phone: gp.phone },
      subject: {
        givenName: 'Zebedee',
        familyName: 'Quartermaine',
        dateOfBirth: '1987-03-14',
        nhsNumber: '943 476 5919',
        currentLocation: { kind: 'place_of_safety', description: 'Suite 2', postcode: 'LS1 4AP' },
      },
      legal: { status: 's136', detentionStart: new Date(Date.now() - 3 * 3_600_000).toISOString() },
      reason: 'Found on the bridge parapet',
      risks: ['Risk to self'],
      urgency: 'immediate',
    });
    const { id, reference } = (await submitted.json()) as { id: string; reference: string };
    const sms = await runtime.outbox.waitFor((m) => m.direction === 'outbound' && m.body.includes(reference), 10_000);
    const amhp = (await runtime.deps.directory.staffByPhone(sms.phone))?.id ?? '';
    expect((await api(`/api/referrals/${id}/accept`, await login(amhp), {})).status).toBe(200);

    await page.goto(`${runtime.url}/amhp`);
    await expect.poll(() => page.url()).toContain('/local/sign-in');
    await page.getByLabel('Someone else').check();
    await page.getByLabel('Username').fill(amhp);
    await page.getByRole('button', { name: 'Sign in' }).click();
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

    const view = (await (await api(`/api/referrals/${id}`, await login('manager-dev'))).json()) as { stage: string; delays: unknown[]; timeline: { type: string; etaMinutes?: number }[] };
    expect(view).toMatchObject({ stage: 'assessment_started', delays: [{ reason: 's12_doctor', until: null }] });
    expect(view.timeline.find((entry) => entry.type === 'attending')).toMatchObject({ etaMinutes: 30 });
    expect(view.timeline.some((entry) => entry.type === 'viewed' && (entry as { what?: string }).what === 'callback_and_location')).toBe(true);
  });
});
