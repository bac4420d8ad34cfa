import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { makeHandler as makeLinkPage } from '../../../functions/acknowledge/accept-link.ts';
import { makeHandler as makeReferralPage } from '../../../functions/acknowledge/referral-page.ts';
import type { HttpEvent, HttpResult } from '../../../functions/commons/http.ts';
import { dynamoWrites, puts, stateWrites, tableHolds } from '../../support/aws.ts';
import { REFERENCE, REFERRAL_ID, asReferral, asha, ben, detailsItem, dev, pagingReferral, referralItem, subjectIdentifiers } from '../../support/dataset.ts';
import { NOW, TABLES } from '../../support/dependencies.ts';
import { loadEvent } from '../../support/events.ts';
import { handlerTest } from '../../support/handler-test.ts';

/** The ID tokens the fake verifier knows, with the claims Cognito would put in them. */
const tokens = new Map<string, Record<string, unknown>>([
  ['asha', { sub: 'sub-asha', 'cognito:groups': ['amhp'], 'custom:staffId': asha.id }],
  ['ben', { sub: 'sub-ben', 'cognito:groups': ['amhp'], 'custom:staffId': ben.id }],
  ['dev', { sub: 'sub-dev', 'cognito:groups': ['manager'], 'custom:staffId': dev.id }],
  ['gp', { sub: 'sub-gp', 'cognito:groups': ['referrer'] }],
]);

const leeds = handlerTest({
  referrals: () => [referralItem(pagingReferral()), detailsItem()],
  deps: { sessions: { verify: async (token) => tokens.get(token) ?? null } },
});

/** events/http-amhp-referral-page.json, signed in as `who` (or not at all). */
function pageEvent(who: string | null): HttpEvent {
  const event = loadEvent<HttpEvent>('http-amhp-referral-page');
  if (who === null) delete event.cookies;
  else event.cookies = [`__Host-dutyline_session=${who}`];
  return event;
}

/** The page as the browser reads it, decompressed. */
function text(result: HttpResult): string {
  const body = result.body ?? '';
  if (!result.isBase64Encoded) return body;
  const bytes = Buffer.from(body, 'base64');
  return (result.headers?.['content-encoding'] === 'br' ? brotliDecompressSync(bytes) : gunzipSync(bytes)).toString('utf8');
}

/** Views go to the audit trail's own items; a view never writes the referral's state (so never bumps its version). */
const viewedEntries = () => {
  return puts().filter((put) => put.TableName === TABLES.referrals && String(put.Item?.sk).startsWith('AUDIT#')).map((put) => put.Item?.entry);
};

describe('GET /amhp/referrals/{id} (the AMHP referral page)', () => {
  const page = makeReferralPage;

  it('sends someone not signed in to sign in, and back here afterwards, showing and writing nothing', async () => {
    const result = await page(leeds.deps)(pageEvent(null));
    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe(`/auth/login?next=${encodeURIComponent(`/amhp/referrals/${REFERRAL_ID}`)}`);
    expect(dynamoWrites()).toEqual([]);
  });

  it('shows the paged AMHP everything the referrer gave, the statutory clock first, and records the view before answering', async () => {
    const result = await page(leeds.deps)(pageEvent('asha'));
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ 'cache-control': 'no-store', 'content-security-policy': expect.stringContaining("frame-ancestors 'none'") });
    const html = text(result);
    for (const shown of [REFERENCE, 'Zebedee Quartermaine', '14 March 1987', '(aged 39)', '943 476 5919', '17 Juniper Crescent', 'commanding voices', 'Dr Gill Price']) expect(html).toContain(shown);
    const expiry = pagingReferral().clocks[0]?.expiresAt ?? '';
    expect(html.indexOf(`datetime="${expiry}"`)).toBeGreaterThan(0);
    expect(html.indexOf(`datetime="${expiry}"`)).toBeLessThan(html.indexOf('Zebedee'));
    expect(html).toContain('reply 1 to the text message');
    expect(viewedEntries()).toEqual([{ at: NOW.toISOString(), type: 'viewed', by: 'sub-asha', staffId: asha.id, what: 'details', via: 'web' }]);
    expect(stateWrites()).toEqual([]);
  });

  it('shows a manager of the team, and records their view', async () => {
    expect((await page(leeds.deps)(pageEvent('dev'))).statusCode).toBe(200);
    expect(viewedEntries()).toEqual([expect.objectContaining({ by: 'sub-dev', staffId: dev.id })]);
    expect(stateWrites()).toEqual([]);
  });

  it.each([
    ['an AMHP of the team who was not paged for it', 'ben'],
    ['the referrer, who has their own page', 'gp'],
  ])('refuses %s with 403, no details and no write', async (_who, token) => {
    const result = await page(leeds.deps)(pageEvent(token));
    expect(result.statusCode).toBe(403);
    const html = text(result);
    for (const identifier of subjectIdentifiers) expect(html).not.toContain(identifier);
    expect(dynamoWrites()).toEqual([]);
    for (const identifier of subjectIdentifiers) expect(leeds.recorded.text()).not.toContain(identifier);
  });

  it('refuses an AMHP who declined it, and one paged before someone else accepted it', async () => {
    tableHolds(TABLES.referrals, [referralItem(pagingReferral({ ashaDeclined: true }))]);
    expect((await page(leeds.deps)(pageEvent('asha'))).statusCode).toBe(403);
    const referral = pagingReferral({ ashaDeclined: true });
    tableHolds(TABLES.referrals, [
      referralItem({ ...referral, status: 'accepted', assignedTo: ben.id, escalation: { ...referral.escalation!, status: 'accepted', acceptedBy: ben.id } }),
      detailsItem(),
    ]);
    expect((await page(leeds.deps)(pageEvent('asha'))).statusCode).toBe(403);
    expect((await page(leeds.deps)(pageEvent('ben'))).statusCode).toBe(200);
  });

  it('marks a person under 18 with U18 beside the legal status, as the board does, and an adult not at all', async () => {
    const heldUnder = (html: string) => /id="held-under">(.*?)<\/dd>/.exec(html)?.[1];
    expect(heldUnder(text(await page(leeds.deps)(pageEvent('asha'))))).toBe('s136');
    tableHolds(TABLES.referrals, [referralItem({ ...pagingReferral(), subjectUnder18: true }), detailsItem()]);
    expect(heldUnder(text(await page(leeds.deps)(pageEvent('asha'))))).toBe('s136 <strong class="govuk-tag govuk-tag--purple">U18</strong>');
  });

  it('says until when the details are kept under the retention policy', async () => {
    const html = text(await page(leeds.deps)(pageEvent('asha')));
    expect(html).toMatch(/id="details-kept-until">.*They are kept until <time datetime="2027-02-23T01:49:59.000Z">/);
  });

  it('after the retention period, shows what identifies nobody and when the rest was removed, and records the removal, not a view', async () => {
    const expiredAt = '2026-11-20T00:00:00.000Z';
    const referral = { ...pagingReferral(), status: 'closed' as const, detailsExpireAt: expiredAt };
    // Past their expiry but not yet deleted by DynamoDB's TTL: gone all the same.
    tableHolds(TABLES.referrals, [referralItem(referral), detailsItem(REFERRAL_ID, { expiresAt: expiredAt })]);
    const result = await page(leeds.deps)(pageEvent('dev'));
    expect(result.statusCode).toBe(200);
    const html = text(result);
    expect(html).toMatch(/id="details-removed">The person's details, the referrer's name and number and everything written about the person were removed on <time datetime="2026-11-20T00:00:00.000Z">/);
    for (const kept of [REFERENCE, 'Section 136', 'GP', 'Leeds Central Surgery', 'At home']) expect(html).toContain(kept);
    for (const identifier of [...subjectIdentifiers, 'Dr Gill Price', '07700 900201']) expect(html).not.toContain(identifier);
    expect(viewedEntries()).toEqual([]);
    const timeline = stateWrites().map((put) => asReferral(put.Item).timeline.at(-1));
    expect(timeline).toEqual([{ at: NOW.toISOString(), type: 'details_removed', expiredAt }]);
  });

  it('does not record the removal a second time', async () => {
    const expiredAt = '2026-11-20T00:00:00.000Z';
    const paging = pagingReferral();
    const referral = { ...paging, detailsExpireAt: expiredAt, timeline: [...paging.timeline, { at: '2026-11-24T00:00:00.000Z', type: 'details_removed' as const, expiredAt }] };
    tableHolds(TABLES.referrals, [referralItem(referral)]);
    expect((await page(leeds.deps)(pageEvent('dev'))).statusCode).toBe(200);
    expect(dynamoWrites()).toEqual([]);
  });

  it('answers 404 for a referral that does not exist', async () => {
    const event = pageEvent('asha');
    event.pathParameters = { id: '01KMX7ZZZZZZZZZZZZZZZZZZZZ' };
    expect((await page(leeds.deps)(event)).statusCode).toBe(404);
  });
});

describe('GET /a/{token} (the accept link page)', () => {
  async function linkEvent(): Promise<HttpEvent> {
    const token = await leeds.deps.linkSigner.sign('link-asha-000000001');
    tableHolds(TABLES.referrals, [
      referralItem(pagingReferral()),
      {
        pk: 'LINK#link-asha-000000001',
        sk: 'LINK',
        id: 'link-asha-000000001',
        referralId: REFERRAL_ID,
        staffId: asha.id,
        validUntil: new Date(NOW.getTime() + 3_600_000).toISOString(),
        expiresAt: NOW.getTime() / 1000 + 3_600 + 7 * 86_400,
      },
    ]);
    const event = loadEvent<HttpEvent>('http-accept-link');
    event.pathParameters = { token };
    return event;
  }

  it('shows the reference and the statutory clock, a button to accept and the way to the details, and nothing personal', async () => {
    const result = await makeLinkPage(leeds.deps)(await linkEvent());
    expect(result.statusCode).toBe(200);
    const html = text(result);
    expect(html).toContain(`Accept ${REFERENCE}`);
    expect(html).toContain(`datetime="${pagingReferral().clocks[0]?.expiresAt}"`);
    expect(html).toContain(`href="/amhp/referrals/${REFERRAL_ID}"`);
    expect(html).toContain('<form method="post"');
    for (const identifier of subjectIdentifiers) expect(html).not.toContain(identifier);
    expect(dynamoWrites()).toEqual([]);
  });

  it('answers 404, with nothing personal, for a token that does not verify', async () => {
    const event = loadEvent<HttpEvent>('http-accept-link');
    const result = await makeLinkPage(leeds.deps)(event);
    expect(result.statusCode).toBe(404);
    for (const identifier of subjectIdentifiers) expect(text(result)).not.toContain(identifier);
  });
});
