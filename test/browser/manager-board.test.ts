import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { demoReferrers, demoStaff } from '../../infra/local/seed.ts';
import { changeReferral } from '../../shared/app/outbox.ts';
import { handoverListing, lastEndedPeriod } from '../../shared/domain/handover.ts';
import { BROWSER_TEST_TIMEOUT_MS, expectAccessible as axe, haveChromium, launchBrowser, screenshot as shoot, signIn, warnIfNoChromium } from '../support/browser.ts';
import { localApi, localToken } from '../support/local-api.ts';

/**
 * An EDT manager in a real browser (Debian's chromium, driven by playwright-core) on the local
 * runtime: sign in, watch the live board pick up a new referral without a reload with its clock
 * coloured, read the response-time charts and download their CSV, and record an outcome with the
 * form, after which the referral leaves the board. axe-core checks each page for WCAG 2.2 A/AA.
 */

warnIfNoChromium('Manager browser tests');
const [asha, , , manager] = demoStaff;
const [gp] = demoReferrers;

let runtime: LocalRuntime;
let browser: Browser;
let page: Page;
const tokens: Record<string, string> = {};

const login = (username: string): Promise<string> => localToken(runtime.url, username);

const api = localApi(() => runtime.url);

/** A referral on the board, paging, with a statutory clock `hoursLeft` from expiry when a status with one is given. */
async function refer(postcode: string, legal: { status: string; detentionStart?: string }) {
  const { status, body } = await api('POST', '/api/referrals', tokens.gp!, {
    referrer: { name: 'Dr Gill Price', kind: 'gp', organisation: 'Leeds Central Surgery', phone: gp.phone },
    subject: { givenName: 'Octavia', familyName: 'Pennyworth', dateOfBirth: '1990-01-01', nhsNumberUnknownReason: 'not known', currentLocation: { kind: 'home', postcode } },
    legal,
    reason: 'Urgent assessment needed',
    risks: [],
    urgency: 'immediate',
  });
  expect(status).toBe(202);
  const id = body.id as string;
  // Polled by hand: this also runs in beforeAll, where expect.poll is not available.
  for (let waited = 0; (await api('GET', `/api/referrals/${id}`, tokens.gp!)).body.status !== 'paging'; waited += 100) {
    if (waited > 10_000) throw new Error('the referral was not routed');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { id, reference: body.reference as string };
}

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

const expectAccessible = (name: string) => axe(page, `manager-${name}`);
const screenshot = (name: string) => shoot(page, `manager-${name}`);

let first: { id: string; reference: string };

beforeAll(async () => {
  if (!haveChromium) return;
  runtime = await startLocalRuntime({ port: 0, seed: true });
  tokens.gp = await login('gp');
  tokens.asha = await login(asha.id);
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
  // 21 hours into an s136 detention: 3 hours left, orange.
  first = await refer('LS1 4AP', { status: 's136', detentionStart: hoursAgo(21) });
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

describe.skipIf(!haveChromium)('an EDT manager in the browser', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('signs in and sees the live board, the clock coloured by the time left', async () => {
    await signIn(page, `${runtime.url}/manage/board`, manager.id);
    await expect.poll(() => page.getByRole('heading', { name: 'Live board' }).isVisible()).toBe(true);
    const row = page.locator(`tr[data-referral="${first.reference}"]`);
    await expect.poll(() => row.isVisible()).toBe(true);
    expect(await row.locator('[data-clock-level]').getAttribute('data-clock-level')).toBe('warning');
    expect(await row.locator('.govuk-tag--orange').textContent()).toMatch(/^s136: 2 h 5\d min left$/);
    expect(await row.textContent()).toContain('Paging Asha Patel');
    expect(await page.content()).not.toMatch(/Octavia|Pennyworth/);
    await expectAccessible('board');
    await screenshot('board');
  });

  it('picks up a new referral by itself, without a reload, soonest expiry first', async () => {
    await page.evaluate('window.__notReloaded = true');
    // 5 hours into an s5(4) holding power: 1 hour left, red, and first on the board.
    const urgent = await refer('LS2 7UE', { status: 's5_4', detentionStart: hoursAgo(5) });
    const row = page.locator(`tr[data-referral="${urgent.reference}"]`);
    await expect.poll(() => row.isVisible(), { timeout: 40_000, interval: 500 }).toBe(true);
    expect(await page.evaluate('window.__notReloaded')).toBe(true);
    expect(await row.locator('[data-clock-level]').getAttribute('data-clock-level')).toBe('critical');
    expect(await row.locator('.govuk-tag--red').first().textContent()).toMatch(/^s5\(4\): 5\d min left$/);
    const order = await page.locator('#board-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-referral')));
    expect(order.slice(0, 2)).toEqual([urgent.reference, first.reference]);
    expect(await page.locator('#live-announcer').textContent()).toMatch(/2 open referrals/);
    await screenshot('board-updated');
  }, 60_000);

  it('reads on a 390 px phone: state, stage and holder on screen, an overrun shown', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(`${runtime.url}/manage/board`);
      const row = page.locator(`tr[data-referral="${first.reference}"]`);
      await expect.poll(() => row.isVisible()).toBe(true);
      for (const label of ['State', 'Stage', 'Held by']) {
        const box = await row.locator(`td[data-label="${label}"]`).boundingBox();
        expect(box, label).not.toBeNull();
        expect(box!.x + box!.width, label).toBeLessThanOrEqual(390);
      }
      // 21 hours into the s136 and no assessment started: past the 3-hour standard (shared/domain/overruns.ts).
      expect(await row.locator('td[data-label="Stage"]').textContent()).toMatch(/Not accepted yet.*assessment not started 3 h after arrival/s);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await expectAccessible('board-phone');
      await screenshot('board-phone');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('shows the morning handover on a 390 px phone, and marks a listed referral received', async () => {
    // Listed as the handover job lists it, for the last out-of-hours period that ended.
    const now = new Date();
    const period = lastEndedPeriod(undefined, now)!;
    await changeReferral(runtime.deps, first.id, async (referral) => ({ ...referral, timeline: [...referral.timeline, handoverListing(period, undefined, now)] }));
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(`${runtime.url}/manage/handover`);
      const row = page.locator(`tr[data-referral="${first.reference}"]`);
      await expect.poll(() => row.getAttribute('data-handover')).toBe('awaiting');
      const cell = await row.locator('td[data-label="Day service"]').boundingBox();
      expect(cell!.x + cell!.width).toBeLessThanOrEqual(390);
      expect(await row.locator('td[data-label="Held by"]').textContent()).toContain('Asha');
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await expectAccessible('handover-phone');
      await screenshot('handover-phone');
      await row.getByRole('button', { name: `Mark ${first.reference} received` }).click();
      await expect.poll(() => page.locator('.govuk-notification-banner--success').textContent()).toContain(`${first.reference} is marked received`);
      expect(await page.locator(`tr[data-referral="${first.reference}"]`).getAttribute('data-handover')).toBe('received');
      await expectAccessible('handover-received');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('shows the response times as charts with their figures, and downloads them as CSV', async () => {
    expect((await api('POST', `/api/referrals/${first.id}/accept`, tokens.asha!)).status).toBe(200);
    await page.getByRole('link', { name: 'Response times' }).click();
    await page.waitForURL(/\/manage\/response-times$/);
    const charts = page.locator('svg[role="img"]');
    // Three response-time charts, and two of the assessment figures (hours lost by delay, the Home Office s136 table).
    expect(await charts.count()).toBe(5);
    const accept = page.locator('#chart-accept-by-day rect[data-series="Median (p50)"]');
    expect(await accept.count()).toBe(1);
    const hourBars = await page.locator('#chart-by-hour rect[data-series="All referrals"]').evaluateAll((bars) => bars.map((b) => Number(b.getAttribute('data-value'))));
    expect(hourBars.reduce((a, b) => a + b, 0)).toBe(2);
    expect(await page.locator('#all-referrals').textContent()).toContain('2');
    expect(await page.locator('#s136-referrals').textContent()).toContain('1');
    expect(await page.locator('#all-accept-count').textContent()).toBe('1');
    await expectAccessible('response-times');
    await screenshot('response-times');

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#csv-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^response-times-.*\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[1]).toMatch(/^all,all,all,All referrals,2,1,0,1,/);
  });

  it('records the outcome with the form, and the referral leaves the board', async () => {
    await page.goto(`${runtime.url}/manage/referrals/${first.id}`);
    await expectAccessible('audit');
    await page.getByRole('button', { name: 'Record the outcome' }).click();
    await page.waitForURL(`${runtime.url}/manage/referrals/${first.id}/close`);
    // The assessment's result is asked only once "Assessed" is chosen.
    const result = page.getByRole('group', { name: 'What did the assessment decide?' });
    expect(await result.isVisible()).toBe(false);
    await page.getByLabel('Assessed', { exact: true }).check();
    await expect.poll(() => result.isVisible()).toBe(true);
    await expectAccessible('close-form');
    await page.getByLabel('Detained under section 2').check();
    await page.getByRole('button', { name: 'Record the outcome' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Referral closed' }).isVisible()).toBe(true);
    await screenshot('closed');
    await page.getByRole('link', { name: 'Back to the live board' }).click();
    await page.waitForURL(`${runtime.url}/manage/board`);
    expect(await page.locator(`tr[data-referral="${first.reference}"]`).count()).toBe(0);
    expect(await page.locator('#board-summary').textContent()).toMatch(/^1 open referral/);
  });
});
