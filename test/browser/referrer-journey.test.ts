import { writeFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { demoStaff } from '../../infra/local/seed.ts';
import {
  ARTIFACTS,
  BROWSER_TEST_TIMEOUT_MS,
  CHROMIUM,
  PHONE,
  expectAccessible as axe,
  haveChromium,
  launchBrowser,
  screenshot,
  signIn as signInAt,
  warnIfNoChromium,
  type AxeTally,
} from '../support/browser.ts';

/**
 * A referrer's journey in a real browser (Debian's chromium, driven by playwright-core) on the
 * local runtime: sign in, fill the form on a phone-sized screen as a police officer and as a GP,
 * see the error summary for a bad NHS number, submit, and watch the status page turn to accepted
 * by itself when the AMHP replies on the local phone page. axe-core checks every page for WCAG
 * 2.2 A and AA. Screenshots and axe results go to test-results/ (git-ignored).
 */

/** On CI (.ci/run installs chromium) a missing browser is a failure; elsewhere the suite is skipped, and says so. */
const onCi = Boolean(process.env.CI);
if (!onCi) warnIfNoChromium('Browser tests');

describe.runIf(!haveChromium && onCi)('the browser on CI', () => {
  it(`is installed at ${CHROMIUM} (.ci/run installs it)`, () => {
    expect(haveChromium).toBe(true);
  });
});

const [asha] = demoStaff;

let runtime: LocalRuntime;
let browser: Browser;
const axeSummary: AxeTally[] = [];
const timings: Record<string, number> = {};

/**
 * What a scripted referrer does, counted as a person on a phone would do it: every character
 * typed, and every tap (into a box, on a choice, on a button; a drop-down is two). The estimate
 * is 0.3 s a character and 1.5 s a tap, the goal under 90 s for a police officer's s136 referral.
 */
const SECONDS_PER_CHARACTER = 0.3;
const SECONDS_PER_TAP = 1.5;
class Effort {
  characters = 0;
  taps = 0;
  async type(target: ReturnType<Page['getByLabel']>, text: string) {
    this.taps += 1;
    this.characters += text.length;
    await target.fill(text);
  }
  async tap(target: ReturnType<Page['getByLabel']>, action: 'check' | 'click' = 'click') {
    this.taps += 1;
    await (action === 'check' ? target.check() : target.click());
  }
  async choose(target: ReturnType<Page['getByLabel']>, option: string) {
    this.taps += 2;
    await target.selectOption(option);
  }
  get seconds() {
    return this.characters * SECONDS_PER_CHARACTER + this.taps * SECONDS_PER_TAP;
  }
  toString() {
    return `${this.characters} characters, ${this.taps} taps ≈ ${this.seconds.toFixed(1)} s`;
  }
}
const efforts: Record<string, Effort> = {};

/** A phone-sized screen, as a police officer or a GP on a home visit would use. */
async function phoneContext(): Promise<BrowserContext> {
  return browser.newContext({ ...PHONE, deviceScaleFactor: 1 });
}

/** No WCAG 2.2 A/AA violation; each page's counts go to the summary. */
const expectAccessible = (page: Page, name: string) => axe(page, name, axeSummary);

/** Signs in as a demo referrer on the way to the form, checking the sign-in page when asked. */
const signIn = (page: Page, who: RegExp, options: { checkPage?: boolean } = {}) =>
  signInAt(page, `${runtime.url}/referrals/new`, who, options.checkPage ? () => expectAccessible(page, 'local-sign-in') : undefined);

/** What a browser keeps: nothing personal may be in storage, cookies readable by script, or the URL. */
async function expectNothingKept(page: Page) {
  // Strings, not functions: they run in the page, and this project compiles without the DOM types.
  const kept = await page.evaluate('({ local: localStorage.length, session: sessionStorage.length, cookies: document.cookie })');
  expect(kept).toEqual({ local: 0, session: 0, cookies: '' });
  expect(page.url()).not.toMatch(/Zebedee|Quartermaine|9434765919|LS1/i);
}

beforeAll(async () => {
  if (!haveChromium) return;
  runtime = await startLocalRuntime({ port: 0, seed: true });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
  if (axeSummary.length > 0) {
    await writeFile(new URL('summary.json', ARTIFACTS), JSON.stringify({ axe: axeSummary, timingsMs: timings }, null, 2));
    console.log('axe (WCAG 2.2 A/AA):', axeSummary.map((s) => `${s.page}: ${s.violations} violations, ${s.passes} rules passed, ${s.incomplete} to review`).join('; '));
    console.log(
      `estimated time to submit (${SECONDS_PER_CHARACTER} s a character, ${SECONDS_PER_TAP} s a tap):`,
      Object.entries(efforts).map(([who, effort]) => `${who}: ${effort}`).join('; '),
    );
    console.log('scripted form fill (form shown → confirmation):', Object.entries(timings).map(([who, ms]) => `${who} ${ms.toFixed(0)} ms`).join(', '));
  }
});

describe.skipIf(!haveChromium)('a referrer in the browser', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('as a police officer: answers the police and place of safety questions revealed by their answers (arrived, when, which place), submits, and gets a reference', async () => {
    const context = await phoneContext();
    const page = await context.newPage();
    await signIn(page, /PC Sam Hill/, { checkPage: true });
    await expectAccessible(page, 'form');
    await screenshot(page, 'form-police-empty');

    const started = performance.now();
    const effort = (efforts['police officer, first referral'] = new Effort());
    // Police questions appear only once "Police officer" is chosen.
    await expect.poll(() => page.getByLabel('Collar number').isVisible()).toBe(false);
    await effort.type(page.getByLabel('Your organisation'), 'West Yorkshire Police');
    await effort.tap(page.getByLabel('Police officer'), 'check');
    await effort.choose(page.getByLabel('Police force'), 'West Yorkshire Police');
    await effort.type(page.getByLabel('Collar number'), 'WY4471');
    await effort.type(page.getByLabel('Given name'), 'Zebedee');
    await effort.type(page.getByLabel('Family name'), 'Quartermaine');
    await effort.type(page.getByRole('group', { name: 'Date of birth' }).getByLabel('Day'), '14');
    await effort.type(page.getByRole('group', { name: 'Date of birth' }).getByLabel('Month'), '3');
    await effort.type(page.getByRole('group', { name: 'Date of birth' }).getByLabel('Year'), '1987');
    await effort.type(page.getByLabel('If you do not know the NHS number, why not?'), 'Not known to the officer');
    await effort.tap(page.getByRole('group', { name: 'Where is the person now?' }).getByLabel('Health-based place of safety'), 'check');
    await effort.type(page.getByLabel('Postcode of where the person is now'), 'LS1 4AP');
    // The place of safety questions are asked only for s135 and s136; the holding power's start only for s5.
    const arrived = page.getByRole('group', { name: 'Have they arrived at the place of safety?' });
    await expect.poll(() => arrived.isVisible()).toBe(false);
    await effort.tap(page.getByLabel('Section 136'), 'check');
    await expect.poll(() => page.getByRole('group', { name: 'When did the holding power start?' }).isVisible()).toBe(false);
    await effort.tap(arrived.getByLabel('Yes, they have arrived'), 'check');
    const arrival = page.getByRole('group', { name: 'When?' });
    const arrivedAt = new Date(Date.now() - 45 * 60_000);
    const london = Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
        .formatToParts(arrivedAt)
        .map((part) => [part.type, part.value]),
    );
    await effort.type(arrival.getByLabel('Day'), london.day ?? '');
    await effort.type(arrival.getByLabel('Month'), london.month ?? '');
    await effort.type(arrival.getByLabel('Year'), london.year ?? '');
    await effort.type(arrival.getByLabel('Time (24-hour clock)'), `${london.hour}:${london.minute}`);
    await effort.tap(page.getByRole('group', { name: 'Which kind of place of safety?' }).getByLabel('Health-based place of safety'), 'check');
    await effort.tap(page.getByLabel('Immediately'), 'check');
    await effort.type(page.getByLabel('Why are you referring?'), 'Found on the bridge parapet, says voices tell him to jump');
    await effort.tap(page.getByLabel('Risk to self (self-harm or suicide)'), 'check');
    await screenshot(page, 'form-police-filled');
    await effort.tap(page.getByRole('button', { name: 'Send referral' }));
    await page.waitForURL(/\/referrals\/[0-9A-Z]{26}\/confirmation$/);
    timings.police = performance.now() - started;

    await expect.poll(() => page.getByRole('heading', { name: 'Referral sent' }).isVisible()).toBe(true);
    const reference = await page.locator('.govuk-panel__body strong').textContent();
    expect(reference).toMatch(/^EDT-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await expectAccessible(page, 'confirmation');
    await screenshot(page, 'confirmation-police');
    await expectNothingKept(page);
    expect(effort.seconds).toBeLessThan(90);
    await context.close();
  });

  it('as the same officer again: their own details are filled in, Now gives the arrival time, and it takes under 90 s', async () => {
    const context = await phoneContext();
    const page = await context.newPage();
    await signIn(page, /PC Sam Hill/);
    // Remembered from the first referral: who they are, their force and collar number.
    expect(await page.getByLabel('Your organisation').inputValue()).toBe('West Yorkshire Police');
    expect(await page.getByLabel('Police officer').isChecked()).toBe(true);
    expect(await page.getByLabel('Police force').inputValue()).toBe('West Yorkshire Police');
    expect(await page.getByLabel('Collar number').inputValue()).toBe('WY4471');
    // The nearest relative's questions are folded away until opened.
    expect(await page.getByLabel('Relationship to the person').isVisible()).toBe(false);

    const effort = (efforts['police officer, returning'] = new Effort());
    await effort.type(page.getByLabel('Given name'), 'Zebedee');
    await effort.type(page.getByLabel('Family name'), 'Quartermaine');
    await effort.type(page.getByRole('group', { name: 'Date of birth' }).getByLabel('Day'), '14');
    await effort.type(page.getByRole('group', { name: 'Date of birth' }).getByLabel('Month'), '3');
    await effort.type(page.getByRole('group', { name: 'Date of birth' }).getByLabel('Year'), '1987');
    await effort.type(page.getByLabel('If you do not know the NHS number, why not?'), 'Not known');
    await effort.tap(page.getByRole('group', { name: 'Where is the person now?' }).getByLabel('Health-based place of safety'), 'check');
    await effort.type(page.getByLabel('Postcode of where the person is now'), 'LS1 4AP');
    await effort.tap(page.getByLabel('Section 136'), 'check');
    await effort.tap(page.getByLabel('Yes, they have arrived'), 'check');
    const before = Date.now();
    await effort.tap(page.getByRole('button', { name: /^Now/ }));
    const arrival = page.getByRole('group', { name: 'When?' });
    expect(await arrival.getByLabel('Time (24-hour clock)').inputValue()).toMatch(/^\d{2}:\d{2}$/);
    expect(await arrival.getByLabel('Year').inputValue()).toBe(String(new Date(before).getUTCFullYear()));
    await effort.tap(page.getByRole('group', { name: 'Which kind of place of safety?' }).getByLabel('Health-based place of safety'), 'check');
    await effort.tap(page.getByLabel('Immediately'), 'check');
    await effort.type(page.getByLabel('Why are you referring?'), 'On the bridge parapet, hearing voices');
    await effort.tap(page.getByLabel('Risk to self (self-harm or suicide)'), 'check');
    await effort.tap(page.getByRole('button', { name: 'Send referral' }));
    await page.waitForURL(/\/referrals\/[0-9A-Z]{26}\/confirmation$/);
    // The confirmation gives the emergency duty team's number to call.
    expect(await page.locator('#edt-phone').getAttribute('href')).toMatch(/^tel:\+44\d{10}$/);
    await expectAccessible(page, 'confirmation-returning');
    console.log(`police s136 referral, returning officer: ${effort}`);
    expect(effort.seconds).toBeLessThan(90);
    expect(effort.seconds).toBeLessThan(efforts['police officer, first referral']?.seconds ?? 0);
    await context.close();
  });

  it('as a GP: sees the error summary for a bad NHS number, corrects it, and watches the status turn to accepted when the AMHP replies', async () => {
    const context = await phoneContext();
    const page = await context.newPage();
    await signIn(page, /Dr Gill Price/);

    const started = performance.now();
    await page.getByLabel('Your organisation').fill('Leeds Central Surgery');
    await page.getByLabel('GP', { exact: true }).check();
    await page.getByLabel('Given name').fill('Zebedee');
    await page.getByLabel('Family name').fill('Quartermaine');
    await page.getByRole('group', { name: 'Date of birth' }).getByLabel('Day').fill('14');
    await page.getByRole('group', { name: 'Date of birth' }).getByLabel('Month').fill('3');
    await page.getByRole('group', { name: 'Date of birth' }).getByLabel('Year').fill('1987');
    await page.getByLabel('NHS number', { exact: true }).fill('943 476 5918');
    await page.getByLabel('At home').check();
    await page.getByLabel('Postcode of where the person is now').fill('LS1 4AP');
    await page.getByLabel('Not detained').check();
    await page.getByLabel('Within 4 hours').check();
    await page.getByLabel('Why are you referring?').fill('Stopped eating, hearing voices since Tuesday');
    await page.getByLabel('Self-neglect').check();
    await page.getByRole('button', { name: 'Send referral' }).click();
    await page.waitForLoadState('domcontentloaded');
    const firstTry = performance.now() - started;

    // The error summary is shown, focused, and links to the field.
    const summary = page.locator('.govuk-error-summary');
    await expect.poll(() => summary.isVisible()).toBe(true);
    await expect.poll(() => page.evaluate("document.activeElement?.classList.contains('govuk-error-summary')")).toBe(true);
    expect(await summary.textContent()).toContain('NHS number is not a valid NHS number (the check digit does not match)');
    expect(await page.title()).toMatch(/^Error: /);
    await expectAccessible(page, 'form-with-errors');
    await screenshot(page, 'form-gp-errors');
    await summary.getByRole('link', { name: /NHS number/ }).click();
    await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('nhsNumber');

    const correcting = performance.now();
    await page.getByLabel('NHS number', { exact: true }).fill('943 476 5919');
    await page.getByRole('button', { name: 'Send referral' }).click();
    await page.waitForURL(/\/referrals\/[0-9A-Z]{26}\/confirmation$/);
    timings.gp = firstTry + (performance.now() - correcting);
    const reference = (await page.locator('.govuk-panel__body strong').textContent()) ?? '';

    await page.getByRole('link', { name: 'Follow this referral as it happens' }).click();
    await page.waitForURL(/\/referrals\/[0-9A-Z]{26}$/);
    await expect.poll(() => page.locator('#referral-headline').textContent(), { timeout: 10_000 }).toContain('The AMHP on duty has been asked to accept.');
    await expectAccessible(page, 'status-paging');
    await screenshot(page, 'status-paging');

    // The AMHP on duty replies on their (local) phone page.
    const phone = await context.newPage();
    await phone.goto(`${runtime.url}/phone/${encodeURIComponent(asha.phone)}`);
    await expect.poll(() => phone.locator('#messages').textContent(), { timeout: 10_000 }).toContain(reference);
    await expectAccessible(phone, 'phone');
    // Asha holds pages for both referrals, so the reply names this one by its short code.
    await phone.getByLabel('Reply').fill(`ACCEPT ${reference.slice(4, 8)}`);
    await phone.getByRole('button', { name: 'Send reply' }).click();
    await screenshot(phone, 'phone-asha');

    // The status page, left open, turns to accepted by itself.
    await expect.poll(() => page.locator('#referral-headline').textContent(), { timeout: 15_000 }).toContain('Accepted. Asha Patel will call you back.');
    expect(await page.locator('#accepted-by').textContent()).toBe('Asha Patel');
    expect(await page.locator('#call-back-by').textContent()).toMatch(/\d{2}:\d{2}/);
    expect(await page.locator('#live-announcer').textContent()).toBe('Accepted. Asha Patel will call you back.');
    await expectAccessible(page, 'status-accepted');
    await screenshot(page, 'status-accepted');
    await expectNothingKept(page);
    await context.close();
  });

  it('as a police officer en route: reports the arrival from the status page, with Now, and sees the 24 hours start', async () => {
    const context = await phoneContext();
    const page = await context.newPage();
    await signIn(page, /PC Sam Hill/);
    await page.getByLabel('Given name').fill('Zebedee');
    await page.getByLabel('Family name').fill('Quartermaine');
    await page.getByRole('group', { name: 'Date of birth' }).getByLabel('Day').fill('14');
    await page.getByRole('group', { name: 'Date of birth' }).getByLabel('Month').fill('3');
    await page.getByRole('group', { name: 'Date of birth' }).getByLabel('Year').fill('1987');
    await page.getByLabel('If you do not know the NHS number, why not?').fill('Not known');
    await page.getByLabel('Public place').check();
    await page.getByLabel('Postcode of where the person is now').fill('LS1 4AP');
    await page.getByLabel('Section 136').check();
    await page.getByLabel('Not yet: we are on the way').check();
    await page.getByRole('group', { name: 'Which kind of place of safety?' }).getByLabel('Health-based place of safety').check();
    await page.getByLabel('Immediately').check();
    await page.getByLabel('Why are you referring?').fill('On the bridge parapet, on the way to the s136 suite');
    await page.getByRole('button', { name: 'Send referral' }).click();
    await page.waitForURL(/\/referrals\/[0-9A-Z]{26}\/confirmation$/);
    await page.getByRole('link', { name: 'Follow this referral as it happens' }).click();
    await page.waitForURL(/\/referrals\/[0-9A-Z]{26}$/);

    // En route: the clock has not started, and the page asks about the arrival.
    expect(await page.locator('#place-of-safety-clock').textContent()).toContain('Not started');
    expect(await page.locator('#clock-expires').count()).toBe(0);
    const report = page.locator('#place-report');
    await expectAccessible(page, 'status-en-route');
    await report.getByLabel('Health-based place of safety').check();
    await report.getByLabel('Postcode of the place').fill('LS1 3EX');
    await report.getByRole('button', { name: /^Now/ }).click();
    expect(await report.getByLabel(/Time they arrived/).inputValue()).toMatch(/^\d{2}:\d{2}$/);
    await screenshot(page, 'status-report-arrival');
    await report.getByRole('button', { name: 'Report the arrival' }).click();
    await page.waitForLoadState('domcontentloaded');

    // Back on the status page: the 24 hours run from the arrival, and a move can be reported next.
    await expect.poll(() => page.locator('#place-of-safety-clock').textContent()).toMatch(/^Running: started .*, ends /);
    expect(await page.locator('#clock-expires').textContent()).toMatch(/\d{2}:\d{2}/);
    expect(await page.locator('.dutyline-timeline').textContent()).toContain('Arrived at the place of safety: the 24 hours started');
    expect(await page.getByRole('heading', { name: 'Have they been moved to another place of safety?' }).isVisible()).toBe(true);
    await expectAccessible(page, 'status-arrived');
    await screenshot(page, 'status-arrived');
    await expectNothingKept(page);
    await context.close();
  });

  it('works without JavaScript: conditional questions all shown, and the form still posts and redirects', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await signIn(page, /PC Sam Hill/);
    expect(await page.getByLabel('Collar number').isVisible()).toBe(true);
    expect(await page.getByRole('group', { name: 'When did the holding power start?' }).isVisible()).toBe(true);
    expect(await page.getByRole('group', { name: 'Have they arrived at the place of safety?' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Send referral' }).click();
    await page.waitForLoadState('domcontentloaded');
    // The officer's own details are remembered from their referrals above: only the rest is asked for.
    expect(await page.locator('.govuk-error-summary').textContent()).toContain("Enter the person's given name");
    expect(await page.locator('.govuk-error-summary').textContent()).not.toContain('Select who you are');
    await context.close();
  });
});
