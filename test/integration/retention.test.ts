import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { DEMO_TEAM_ID, demoStaff } from '../../infra/local/seed.ts';
import { addDays, instantToLocal } from '../../shared/domain/rota-time.ts';
import { localToken } from '../support/local-api.ts';
import { WebClient } from './web-client.ts';

/**
 * Retention: the person's details go, the audit trail stays. A referral about a recognisable
 * person is submitted, accepted and closed on the local runtime; the runtime's clock is then moved
 * past the retention period. Every view (API, the AMHP's page, the referrer's page, the manager's
 * audit trail and its exports) must say the details were removed and when, and show none of them;
 * the table must hold none of them once the local TTL sweep has run; the timeline, clocks,
 * outcome and statistics must be as they were. A referral still open keeps its details until
 * its own backstop.
 */

const DAY = 86_400_000;
const RETENTION = { detailsDaysAfterClose: 30, detailsDaysUnclosed: 90 };

const closedPerson = {
  givenName: 'Ottoline',
  familyName: 'Quaresma-Fitzwilliam',
  dateOfBirth: '1979-08-17',
  nhsNumber: '485 777 1004',
  homeAddress: '9 Larkspur Mews, Leeds LS6 4RR',
  postcode: 'LS2 8BQ',
  place: 'outside the tram shelter on Briggate',
  reason: 'Ottoline believes the streetlights are reading her letters',
  risk: 'walked into traffic twice tonight',
  nearestRelative: { name: 'Barnaby Quaresma', relationship: 'brother', phone: '07700 900466' },
  referrer: { name: 'PC Wilhelmina Arkwright', phone: '07700 900277', collarNumber: 'WY90210' },
};

/** Every trace of the closed referral's personal details, in the forms they are stored and shown in. */
const identifiers = [
  closedPerson.givenName,
  closedPerson.familyName,
  'Quaresma',
  closedPerson.dateOfBirth,
  '17 August 1979',
  '4857771004',
  closedPerson.nhsNumber,
  'Larkspur Mews',
  'LS6 4RR',
  closedPerson.postcode,
  'tram shelter',
  'streetlights are reading',
  'walked into traffic',
  'Barnaby',
  '+447700900466',
  '07700 900466',
  'Wilhelmina',
  'Arkwright',
  '+447700900277',
  '07700 900277',
  'WY90210',
];
const found = (text: string) => identifiers.filter((identifier) => text.toLowerCase().includes(identifier.toLowerCase()));

/** Someone else entirely, whose referral stays open. */
const openPerson: typeof closedPerson = {
  givenName: 'Cornelius',
  familyName: 'Abernethy-Okoro',
  dateOfBirth: '1991-01-05',
  nhsNumber: '729 130 1009',
  homeAddress: '31 Foxglove Row, Leeds LS7 3JJ',
  postcode: 'LS1 5DL',
  place: 'in the foyer of the Corn Exchange',
  reason: 'Cornelius has not slept for five days',
  risk: 'climbing scaffolding',
  nearestRelative: { name: 'Hortensia Okoro', relationship: 'mother', phone: '07700 900488' },
  referrer: { name: 'PC Tobias Fairweather', phone: '07700 900299', collarNumber: 'WY31337' },
};

function body(person: typeof closedPerson, extra: Record<string, unknown> = {}) {
  return {
    referrer: { ...person.referrer, kind: 'police', organisation: 'West Yorkshire Police', policeForce: 'West Yorkshire Police' },
    subject: {
      givenName: person.givenName,
      familyName: person.familyName,
      dateOfBirth: person.dateOfBirth,
      nhsNumber: person.nhsNumber,
      homeAddress: person.homeAddress,
      currentLocation: { kind: 'public_place', description: person.place, postcode: person.postcode },
      interpreterLanguage: 'Portuguese',
    },
    legal: { status: 's136', detentionStart: new Date(Date.now() - 3_600_000).toISOString() },
    reason: person.reason,
    risks: [person.risk],
    urgency: 'immediate',
    nearestRelative: person.nearestRelative,
    ...extra,
  };
}

// The runtime's clock: moved on to see what time does. Sign-in tokens keep real time.
let offsetMs = 0;
const now = () => new Date(Date.now() + offsetMs);

let runtime: LocalRuntime;
let table: DynamoDBDocumentClient;
const tokens = new Map<string, string>();

async function api(method: string, path: string, username: string, payload?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${runtime.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(username)}`, ...headers },
    ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
  });
  const text = await response.text();
  return { status: response.status, text, json: JSON.parse(text || 'null') as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function scanReferralsTable(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await table.send(new ScanCommand({ TableName: runtime.resources.tableNames.referrals, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

const statisticsWindow = () => {
  const today = instantToLocal(new Date()).date;
  return `from=${addDays(today, -1)}&to=${addDays(today, 1)}`;
};

const closed = { id: '', reference: '', closedAt: '', acceptedBy: '', timelineBefore: [] as { type: string }[], clocksBefore: [] as unknown[], statisticsBefore: {} as unknown };
const open = { id: '', createdAt: '' };
/** Browsers signed in before the clock moves (the session cookie's lifetime follows the runtime's clock). */
const browsers = {} as Record<'amhp' | 'police' | 'manager', WebClient>;
const manager = demoStaff.find((staff) => (staff.roles as readonly string[]).includes('manager'))!;

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, seed: true, now, retention: RETENTION, timing: { ttlSweepIntervalMs: 3_600_000 } });
  table = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: 'eu-west-2', endpoint: runtime.emulators.dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
  for (const username of ['police', manager.id, ...demoStaff.map((staff) => staff.id)]) tokens.set(username, await localToken(runtime.url, username));

  // Submitted (with an Idempotency-Key, whose claim has a lifetime too), paged, accepted, closed.
  const submitted = await api('POST', '/api/referrals', 'police', body(closedPerson), { 'idempotency-key': 'retention-closed-1' });
  expect(submitted.status).toBe(202);
  Object.assign(closed, { id: submitted.json.id, reference: submitted.json.reference });
  const page = await runtime.outbox.waitFor((sms) => sms.direction === 'outbound' && sms.body.includes(closed.reference), 5_000);
  closed.acceptedBy = demoStaff.find((staff) => staff.phone === page.phone)!.id;
  expect((await api('POST', `/api/referrals/${closed.id}/accept`, closed.acceptedBy)).status).toBe(200);
  await runtime.outbox.waitFor((sms) => sms.phone === '+447700900277' && sms.body.includes(closed.reference), 5_000);
  const shown = await api('GET', `/api/referrals/${closed.id}?include=details`, closed.acceptedBy);
  expect(shown.json.submission.subject.familyName).toBe(closedPerson.familyName);
  const closing = await api('POST', `/api/referrals/${closed.id}/close`, closed.acceptedBy, { outcome: 'assessed', result: 'detained_s2' });
  expect(closing.status).toBe(200);
  closed.closedAt = closing.json.closure.closedAt;
  expect(closing.json.personalDetails).toEqual({ status: 'held', removeAt: new Date(Date.parse(closed.closedAt) + 30 * DAY).toISOString() });
  const before = await api('GET', `/api/referrals/${closed.id}`, manager.id);
  closed.timelineBefore = before.json.timeline;
  closed.clocksBefore = before.json.clocks;

  // Another referral about someone else, left open (paging).
  const other = await api('POST', '/api/referrals', 'police', body(openPerson, { legal: { status: 'none' }, urgency: 'within_24_hours' }));
  expect(other.status).toBe(202);
  open.id = other.json.id;
  await runtime.outbox.waitFor((sms) => sms.direction === 'outbound' && sms.body.includes(other.json.reference), 5_000);
  open.createdAt = (await api('GET', `/api/referrals/${open.id}`, manager.id)).json.createdAt;
  closed.statisticsBefore = (await api('GET', `/api/dashboard?teamId=${DEMO_TEAM_ID}&${statisticsWindow()}`, manager.id)).json.statistics;

  for (const [key, username] of [['amhp', closed.acceptedBy], ['police', 'police'], ['manager', manager.id]] as const) {
    browsers[key] = new WebClient(runtime.url);
    await browsers[key].signIn(username, '/');
  }

  // A day past the retention period.
  offsetMs = 31 * DAY;
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  table?.destroy();
});

describe('the details of a referral closed longer ago than the retention period', () => {
  const removedAt = () => new Date(Date.parse(closed.closedAt) + 30 * DAY).toISOString();

  it('are gone from the API, which says they were removed under the retention policy, and when', async () => {
    for (const username of ['police', closed.acceptedBy, manager.id]) {
      for (const path of [`/api/referrals/${closed.id}`, `/api/referrals/${closed.id}?include=details`]) {
        const view = await api('GET', path, username);
        expect(view.status, `${username} ${path}`).toBe(200);
        expect(view.json.personalDetails).toEqual({ status: 'removed', removedAt: removedAt(), reason: 'retention_policy' });
        expect(view.json).not.toHaveProperty('submission');
        expect(found(view.text), `${username} ${path}`).toEqual([]);
      }
    }
  });

  it("are gone from the AMHP's referral page, which keeps the clock, the legal status and who referred by role", async () => {
    const page = await browsers.amhp.get(`/amhp/referrals/${closed.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`id="details-removed"`);
    expect(page.html).toContain(`datetime="${removedAt()}"`);
    expect(page.html).toContain('West Yorkshire Police');
    expect(page.html).toContain(closed.reference);
    expect(found(page.html)).toEqual([]);
  });

  it("are gone from the referrer's status page and list", async () => {
    const police = browsers.police;
    const status = await police.get(`/referrals/${closed.id}`);
    expect(status.status).toBe(200);
    expect(status.html).toContain('id="details-removed"');
    expect(found(status.html)).toEqual([]);
    const list = await police.get('/referrals');
    expect(list.html).toContain(closed.reference);
    expect(found(list.html)).toEqual([]);
  });

  it("leave the manager's audit trail whole: every entry kept, the removal recorded once, the outcome and clocks as they were", async () => {
    const browser = browsers.manager;
    const page = await browser.get(`/manage/referrals/${closed.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/id="personal-details">Removed <time datetime="[^"]+">/);
    expect(page.html).toContain('Detained under section 2');
    expect(found(page.html)).toEqual([]);

    const exported = JSON.parse((await browser.get(`/manage/referrals/${closed.id}?format=json`)).html) as { timeline: { type: string }[]; clocks: unknown[]; personalDetails: unknown; closure: unknown };
    expect(exported.personalDetails).toEqual({ status: 'removed', removedAt: removedAt(), reason: 'retention_policy' });
    // The export keeps the clocks as stored; the API's view adds their state now, which time changes.
    expect(exported.clocks).toEqual((closed.clocksBefore as { state?: unknown; endedAt?: unknown }[]).map(({ state: _state, endedAt: _endedAt, ...stored }) => stored));
    expect(exported.closure).toMatchObject({ outcome: 'assessed', result: 'detained_s2', closedAt: closed.closedAt });
    // What was there before is there still, in order, and the removal is recorded after it, once.
    expect(exported.timeline.slice(0, closed.timelineBefore.length)).toEqual(closed.timelineBefore);
    expect(exported.timeline.filter((entry) => entry.type === 'details_removed')).toEqual([
      expect.objectContaining({ type: 'details_removed', expiredAt: removedAt() }),
    ]);
    expect(closed.timelineBefore.map((entry) => entry.type)).toEqual(expect.arrayContaining(['received', 'routed', 'paged', 'accepted', 'referrer_notified', 'viewed', 'closed']));
    // Nothing was shown after the expiry, so no view of the details is recorded after it.
    expect(exported.timeline.filter((entry) => entry.type === 'viewed')).toHaveLength(closed.timelineBefore.filter((entry) => entry.type === 'viewed').length);

    const csv = (await browser.get(`/manage/referrals/${closed.id}?format=csv`)).html;
    expect(csv).toContain(',closed,');
    expect(csv).toContain(',details_removed,');
    expect(found(csv)).toEqual([]);
  });

  it('leave the statistics as they were', async () => {
    const after = await api('GET', `/api/dashboard?teamId=${DEMO_TEAM_ID}&${statisticsWindow()}`, manager.id);
    expect(after.status).toBe(200);
    const { all: allAfter } = after.json.statistics as { all: { overall: unknown } };
    const { all: allBefore } = closed.statisticsBefore as { all: { overall: Record<string, unknown> } };
    expect(allAfter.overall).toEqual(allBefore.overall);
    expect(allBefore.overall).toMatchObject({ accepted: 1, closed: 1, timeToAccept: { count: 1 }, timeToClose: { count: 1 } });
  });

  it('are deleted from the table by the TTL sweep, with every other expired item, and not before', async () => {
    const details = (items: Record<string, unknown>[]) => items.find((item) => item.pk === `REFERRAL#${closed.id}` && item.sk === 'DETAILS');
    // Expired but not yet deleted, as DynamoDB's TTL may leave it for days: every reader above treated it as gone.
    expect(details(await scanReferralsTable())).toMatchObject({ expiresAt: Math.ceil(Date.parse(removedAt()) / 1000) });

    expect(await runtime.ttl.sweep()).toBeGreaterThan(0);
    const items = await scanReferralsTable();
    expect(details(items)).toBeUndefined();
    expect(found(JSON.stringify(items))).toEqual([]);
    // The referral itself stays, and so do the idempotency claim's and accept links' kind only while they live.
    expect(items.find((item) => item.pk === `REFERRAL#${closed.id}` && item.sk === 'REFERRAL')).toBeDefined();
    const nowSeconds = now().getTime() / 1000;
    const expiredLeft = items.filter((item) => typeof item.expiresAt === 'number' && item.expiresAt < nowSeconds);
    expect(expiredLeft).toEqual([]);
    expect(items.filter((item) => String(item.pk).startsWith('IDEMPOTENCY#') || String(item.pk).startsWith('LINK#'))).toEqual([]);
    // Every item with a lifetime carries it as epoch seconds, which is what the TTL reads.
    expect(items.filter((item) => item.expiresAt !== undefined && typeof item.expiresAt !== 'number')).toEqual([]);
  });
});

describe('a referral still open', () => {
  it('keeps its details past the retention period that runs from closing, for those who need them', async () => {
    const view = await api('GET', `/api/referrals/${open.id}?include=details`, manager.id);
    expect(view.status).toBe(200);
    expect(view.json.submission.subject.familyName).toBe(openPerson.familyName);
    expect(view.json.personalDetails).toEqual({ status: 'held', removeAt: new Date(Date.parse(open.createdAt) + 90 * DAY).toISOString() });
    const items = await scanReferralsTable();
    expect(items.find((item) => item.pk === `REFERRAL#${open.id}` && item.sk === 'DETAILS')).toBeDefined();
  });

  it('loses them all the same 90 days after receipt (the backstop), and says so', async () => {
    offsetMs = 91 * DAY;
    const view = await api('GET', `/api/referrals/${open.id}?include=details`, manager.id);
    expect(view.status).toBe(200);
    expect(view.json).not.toHaveProperty('submission');
    expect(view.json.personalDetails).toEqual({ status: 'removed', removedAt: new Date(Date.parse(open.createdAt) + 90 * DAY).toISOString(), reason: 'retention_policy' });
    expect(view.text).not.toContain(openPerson.familyName);
    await runtime.ttl.sweep();
    expect((await scanReferralsTable()).find((item) => item.pk === `REFERRAL#${open.id}` && item.sk === 'DETAILS')).toBeUndefined();
  });
});
