/**
 * The rota over HTTP on the local runtime (dynalite and fauxqs): upload as CSV, iCalendar and
 * JSON, who is on call, the fortnight view with its gaps, overrides, the calendar feed, and routing
 * that skips busy and conflicted AMHPs, follows the continuity policy and falls back to the
 * service's default team for a district no team lists.
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { DEMO_TEAM_ID, demoReferrers, demoStaff } from '../../infra/local/seed.ts';
import { recordConflict } from '../../shared/app/conflicts.ts';
import { changeReferral } from '../../shared/app/outbox.ts';
import { routeReferral } from '../../shared/app/escalate.ts';
import { statutoryClocks } from '../../shared/domain/clocks.ts';
import { splitSubmission } from '../../shared/domain/referral-details.ts';
import { validateReferral } from '../../shared/domain/referral-schema.ts';
import { addDays, formatLocal, instantToLocal, localToInstant } from '../../shared/domain/rota-time.ts';
import { localToken } from '../support/local-api.ts';

let runtime: LocalRuntime;
const [asha, ben, chloe, manager] = demoStaff;
const [gp] = demoReferrers;
const HOUR = 3_600_000;

const login = (username: string): Promise<string> => localToken(runtime.url, username);

async function call(method: string, path: string, token: string | null, body?: string | object, contentType = 'application/json') {
  const response = await fetch(`${runtime.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': contentType }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
  return { status: response.status, type, text, body: (type.includes('json') ? JSON.parse(text) : {}) as Record<string, any> };
}

function referralBody(postcode: string, careCoordinatorStaffId?: string) {
  return {
    referrer: { name: 'Dr Gill Price', kind: 'gp', organisation: 'Leeds Central Surgery', phone: gp.phone },
    subject: {
      givenName: 'Zebedee',
      familyName: 'Quartermaine',
      dateOfBirth: '1987-03-14',
      nhsNumberUnknownReason: 'Not known to the referrer',
      currentLocation: { kind: 'home', postcode },
      ...(careCoordinatorStaffId ? { careCoordinatorStaffId } : {}),
    },
    legal: { status: 'none' },
    reason: 'Urgent assessment needed',
    risks: [],
    urgency: 'immediate',
  };
}

/** A rota around now: each person holds a position from an hour ago for a day. */
function rotaNow(holders: Record<string, string>) {
  const start = new Date(Math.floor(Date.now() / HOUR) * HOUR - HOUR).toISOString();
  const end = new Date(Date.parse(start) + 24 * HOUR).toISOString();
  return { shifts: Object.entries(holders).map(([staffId, position]) => ({ staffId, position, start, end })) };
}

async function routed(id: string, token: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    // Read as the team's manager (the referrer's view holds none of the routing record): until it
    // is routed to their team, they find nothing.
    const view = await call('GET', `/api/referrals/${id}`, token);
    if (view.status === 200 && view.body.status !== 'received') return view.body;
    if (Date.now() > deadline) throw new Error('the referral was never routed');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let admin: string;
let managerToken: string;

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, seed: true });
  admin = await login('admin');
  managerToken = await login(manager.id);
  const team = await call('PUT', `/api/teams/${DEMO_TEAM_ID}`, admin, {
    name: 'Leeds Emergency Duty Team',
    areas: ['LS1', 'LS2', 'LS6'],
    hours: { office: { mon: '08:45-17:00', tue: '08:45-17:00', wed: '08:45-17:00', thu: '08:45-17:00', fri: '08:45-16:45' } },
    escalation: { ackTimeoutSeconds: 600, repeat: 0 },
    continuity: 'ignore',
    fallbackPhone: '+447700900199',
  });
  expect(team.status).toBe(200);
});

afterAll(async () => {
  await runtime?.stop();
});

describe('routing with matching', () => {
  it('pages the care co-ordinator first when the team prefers continuity', async () => {
    const team = await call('PUT', `/api/teams/${DEMO_TEAM_ID}`, admin, {
      name: 'Leeds Emergency Duty Team',
      areas: ['LS1', 'LS2', 'LS6'],
      escalation: { ackTimeoutSeconds: 600, repeat: 0 },
      continuity: 'prefer',
    });
    expect(team.status).toBe(200);
    expect((await call('PUT', `/api/teams/${DEMO_TEAM_ID}/rota`, managerToken, rotaNow({ [asha.id]: 'primary', [ben.id]: 'secondary', [manager.id]: 'manager' }))).status).toBe(200);
    const gpToken = await login('gp');
    const submitted = await call('POST', '/api/referrals', gpToken, referralBody('LS1 4AP', ben.id));
    const referral = await routed(submitted.body.id, managerToken);
    const routedEntry = referral.timeline.find((entry: { type: string }) => entry.type === 'routed');
    expect(routedEntry.chain.map((step: { staffId: string }) => step.staffId)).toEqual([ben.id, asha.id, manager.id]);
    expect(routedEntry.reasons).toEqual(['continuity_preferred', 'position', 'position']);
    await runtime.outbox.waitFor((sms) => sms.phone === ben.phone && sms.body.includes(submitted.body.reference), 5_000);
  });

  it('skips an AMHP who declared a conflict for the referral, and records why', async () => {
    const submission = validateReferral(referralBody('LS1 4AP'), new Date());
    if (!submission.ok) throw new Error('sample referral does not validate');
    const id = ulid();
    const at = new Date().toISOString();
    const { facts, details } = splitSubmission(submission.value);
    await runtime.deps.referrals.createDetails(id, details, new Date(Date.now() + 86_400_000));
    await runtime.deps.referrals.create({
      ...facts,
      id,
      reference: 'EDT-TEST-C0NF',
      status: 'received',
      createdAt: at,
      createdBy: 'conflict-test',
      district: 'LS1',
      detailsExpireAt: new Date(Date.now() + 86_400_000).toISOString(),
      clocks: statutoryClocks(facts.legal),
      timeline: [{ at, type: 'received' }],
      outbox: {},
      version: 1,
    });
    const declare = () => changeReferral(runtime.deps, id, (referral, now) => recordConflict(referral, asha.id, now));
    await declare();
    await declare();
    const result = await routeReferral(runtime.deps, id);
    expect(result?.referral.conflicts).toEqual([asha.id]);
    expect(result?.referral.timeline.filter((entry) => entry.type === 'conflict_declared')).toHaveLength(1);
    expect(result?.referral.chain?.steps.map((step) => step.staffId)).toEqual([ben.id, manager.id]);
    expect(result?.referral.chain?.skipped).toEqual([{ position: 'primary', staffId: asha.id, reason: 'conflict' }]);
    expect(result?.referral.timeline).toContainEqual(expect.objectContaining({ type: 'skipped', staffId: asha.id, reason: 'conflict' }));
  });

  it('skips an AMHP busy with an accepted, open referral while another is free', async () => {
    const gpToken = await login('gp');
    const first = await call('POST', '/api/referrals', gpToken, referralBody('LS1 4AP'));
    await runtime.outbox.waitFor((sms) => sms.phone === asha.phone && sms.body.includes(first.body.reference), 5_000);
    expect((await call('POST', `/api/referrals/${first.body.id}/accept`, await login(asha.id))).status).toBe(200);
    // The busy marker is written as an effect of the accept; wait until routing can see it.
    for (let i = 0; i < 50 && (await runtime.deps.directory.staffOnDuty([asha.id])).busy.size === 0; i++) await new Promise((r) => setTimeout(r, 100));

    const second = await call('POST', '/api/referrals', gpToken, referralBody('LS2 7UE'));
    const referral = await routed(second.body.id, managerToken);
    expect(referral.timeline).toContainEqual(expect.objectContaining({ type: 'skipped', staffId: asha.id, reason: 'busy' }));
    await runtime.outbox.waitFor((sms) => sms.phone === ben.phone && sms.body.includes(second.body.reference), 5_000);
    await runtime.deps.directory.clearBusy(asha.id, first.body.id);
  });

  it('sends a district no team lists to the default team, flagged', async () => {
    expect((await call('PUT', '/api/service', admin, { defaultTeamId: 'no-such-team' })).body.issues).toEqual([
      { path: 'defaultTeamId', message: 'is not a known team' },
    ]);
    expect((await call('PUT', '/api/service', managerToken, { defaultTeamId: DEMO_TEAM_ID })).status).toBe(403);
    expect((await call('PUT', '/api/service', admin, { defaultTeamId: DEMO_TEAM_ID })).body).toMatchObject({ defaultTeamId: DEMO_TEAM_ID });
    const gpToken = await login('gp');
    const submitted = await call('POST', '/api/referrals', gpToken, referralBody('BD1 1AA'));
    const referral = await routed(submitted.body.id, managerToken);
    expect(referral.teamId).toBe(DEMO_TEAM_ID);
    expect(referral.timeline).toContainEqual(expect.objectContaining({ type: 'routed_to_default_team', district: 'BD1', teamId: DEMO_TEAM_ID }));
    expect((await runtime.deps.referrals.get(submitted.body.id))?.unknownDistrict).toBe(true);
  });
});

describe('rota upload, view and export', () => {
  const csv = [
    'date,start,end,staff,position',
    `2026-10-24,17:00,09:00,${asha.id},primary`,
    `2026-10-24,17:00,09:00,${ben.id},secondary`,
    `2026-10-24,09:00,09:00,${manager.id},manager`,
    `2026-10-25,09:00,09:00,${chloe.id},primary`,
    `2026-10-25,09:00,09:00,${ben.id},secondary`,
    `2026-10-25,09:00,08:45,${manager.id},manager`,
  ].join('\n');

  it('refuses a CSV with bad rows, naming every bad row in one answer, and imports nothing', async () => {
    const bad = `${csv}\n2026-10-26,17:00,08:45,amhp-zed,primary\n2026-13-01,17:00,08:45,${asha.id},primary\n2026-13-02,17:00,08:45,amhp-yan,secondary\n`;
    const parseErrors = await call('PUT', `/api/teams/${DEMO_TEAM_ID}/rota`, managerToken, bad, 'text/csv');
    expect(parseErrors.status).toBe(400);
    expect(parseErrors.body.issues).toEqual([
      { path: 'rows.8.staff', message: 'is not a known staff member' },
      { path: 'rows.9.date', message: 'must be a date such as 2026-10-24 or 24/10/2026' },
      { path: 'rows.10.date', message: 'must be a date such as 2026-10-24 or 24/10/2026' },
      { path: 'rows.10.staff', message: 'is not a known staff member' },
    ]);
    expect(parseErrors.body.message).toContain('nothing was imported');
    const unknown = await call('PUT', `/api/teams/${DEMO_TEAM_ID}/rota`, managerToken, `${csv}\n2026-10-26,17:00,08:45,amhp-zed,primary\n`, 'text/csv');
    expect(unknown.body.issues).toEqual([{ path: 'rows.8.staff', message: 'is not a known staff member' }]);
    const onCall = await call('GET', `/api/teams/${DEMO_TEAM_ID}/oncall?at=2026-10-25T01:30`, managerToken);
    expect(onCall.body.onCall).toEqual({});
  });

  it('refuses a rota upload from an AMHP, and a body in another format', async () => {
    expect((await call('PUT', `/api/teams/${DEMO_TEAM_ID}/rota`, await login(asha.id), csv, 'text/csv')).status).toBe(403);
    expect((await call('PUT', `/api/teams/${DEMO_TEAM_ID}/rota`, managerToken, csv, 'text/plain')).status).toBe(415);
  });

  it('replaces the rota from CSV, and says who is on call across the October clock change', async () => {
    const uploaded = await call('PUT', `/api/teams/${DEMO_TEAM_ID}/rota`, managerToken, csv, 'text/csv');
    expect(uploaded.status).toBe(200);
    expect(uploaded.body.shifts).toHaveLength(6);
    // The manager's Saturday starts at 09:00, the AMHPs' at 17:00: the weekend day between is a gap.
    expect(uploaded.body.gaps).toEqual(
      ['primary', 'secondary'].map((position) => ({ position, start: '2026-10-24T08:00:00.000Z', end: '2026-10-24T16:00:00.000Z' })),
    );
    for (const at of ['2026-10-25T01:30', '2026-10-25T01:30:00%2B00:00', '2026-10-25T08:59:00Z']) {
      const onCall = await call('GET', `/api/teams/${DEMO_TEAM_ID}/oncall?at=${at}`, await login(ben.id));
      expect(onCall.status).toBe(200);
      expect(onCall.body).toMatchObject({ onCall: { primary: asha.id, secondary: ben.id, manager: manager.id }, additional: [], outOfHours: true });
    }
    const handedOver = await call('GET', `/api/teams/${DEMO_TEAM_ID}/oncall?at=2026-10-25T09:00`, managerToken);
    expect(handedOver.body.onCall.primary).toBe(chloe.id);
    expect((await call('GET', `/api/teams/${DEMO_TEAM_ID}/oncall?at=yesterday`, managerToken)).status).toBe(400);
  });

  it('adds an overnight override that wins for its window', async () => {
    const override = await call('POST', `/api/teams/${DEMO_TEAM_ID}/rota/overrides`, managerToken, {
      shifts: [{ staffId: chloe.id, position: 'primary', start: '2026-10-24T23:00:00+01:00', end: '2026-10-25T03:00:00Z', covers: asha.id }],
    });
    expect(override.status).toBe(201);
    expect(override.body.shifts[0]).toMatchObject({ kind: 'override', covers: asha.id });
    const at = (time: string) => call('GET', `/api/teams/${DEMO_TEAM_ID}/oncall?at=${time}`, managerToken);
    expect((await at('2026-10-24T21:59:00Z')).body.onCall.primary).toBe(asha.id);
    expect((await at('2026-10-25T02:00:00Z')).body.holders[0]).toMatchObject({ staffId: chloe.id, kind: 'override' });
    expect((await at('2026-10-25T03:00:00Z')).body.onCall.primary).toBe(asha.id);
  });

  it('shows the fortnight with its gaps per position, as JSON, CSV and iCalendar', async () => {
    const view = await call('GET', `/api/teams/${DEMO_TEAM_ID}/rota?from=2026-10-24&days=14`, managerToken);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ from: '2026-10-23T23:00:00.000Z', to: '2026-11-07T00:00:00.000Z', timeZone: 'Europe/London' });
    expect(view.body.shifts.slice(0, 2)).toEqual([
      expect.objectContaining({ position: 'manager', staffId: manager.id, start: '2026-10-24T08:00:00.000Z' }),
      expect.objectContaining({ position: 'primary', staffId: asha.id, start: '2026-10-24T16:00:00.000Z', end: '2026-10-24T22:00:00.000Z' }),
    ]);
    // The rota ends on Monday 26 October at 08:45: every out-of-hours stretch after that is a gap.
    expect(view.body.gaps[0]).toEqual({ position: 'primary', start: '2026-10-23T23:00:00.000Z', end: '2026-10-24T16:00:00.000Z' });
    expect(view.body.gaps.filter((gap: { start: string }) => gap.start === '2026-10-26T17:00:00.000Z')).toHaveLength(3);
    expect(view.body.staffNames[asha.id]).toBe(asha.name);

    const asCsv = await call('GET', `/api/teams/${DEMO_TEAM_ID}/rota?from=2026-10-24&days=3&format=csv`, managerToken);
    expect(asCsv.type).toContain('text/csv');
    expect(asCsv.text.split('\r\n')).toContain(`2026-10-24,23:00+01:00,03:00+00:00,${chloe.id},primary`);
    const asIcs = await fetch(`${runtime.url}/api/teams/${DEMO_TEAM_ID}/rota?from=2026-10-24&days=3`, {
      headers: { authorization: `Bearer ${managerToken}`, accept: 'text/calendar' },
    });
    expect(asIcs.headers.get('content-type')).toContain('text/calendar');
    expect(await asIcs.text()).toContain(`SUMMARY:Primary AMHP: ${chloe.name}`);
    expect((await call('GET', `/api/teams/${DEMO_TEAM_ID}/rota?days=400`, managerToken)).status).toBe(400);
  });

  it('replaces the rota from an iCalendar file, and refuses a bad event with its number', async () => {
    const event = (lines: string[]) => ['BEGIN:VEVENT', ...lines, 'END:VEVENT'];
    const ics = (...events: string[][]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...events.flat(), 'END:VCALENDAR'].join('\r\n');
    const good = event(['UID:a', 'DTSTART;TZID=Europe/London:20261031T170000', 'DTEND;TZID=Europe/London:20261101T090000', `SUMMARY:primary: ${ben.id}`]);
    const bad = await call('PUT', `/api/teams/${DEMO_TEAM_ID}/rota`, managerToken, ics(good, event(['UID:b', 'DTSTART:20261101T090000Z', 'SUMMARY:tea break'])), 'text/calendar');
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((issue: { path: string }) => issue.path)).toEqual(['events.2.staff', 'events.2.position']);
    const uploaded = await call('PUT', `/api/teams/${DEMO_TEAM_ID}/rota`, managerToken, ics(good), 'text/calendar; charset=utf-8');
    expect(uploaded.status).toBe(200);
    expect(uploaded.body.shifts).toEqual([expect.objectContaining({ staffId: ben.id, start: '2026-10-31T17:00:00.000Z', end: '2026-11-01T09:00:00.000Z' })]);
  });

  it('gives team staff a calendar feed to subscribe to, behind a signed link only', async () => {
    const benToken = await login(ben.id);
    const feed = await call('POST', `/api/teams/${DEMO_TEAM_ID}/rota/feed?mine=true`, benToken);
    expect(feed.status).toBe(201);
    expect(feed.body.webcalUrl).toMatch(/^webcal:\/\//);
    const calendar = await fetch(feed.body.url);
    expect(calendar.status).toBe(200);
    expect(calendar.headers.get('content-type')).toContain('text/calendar');
    expect(await calendar.text()).toContain(`X-WR-CALNAME:Leeds Emergency Duty Team rota – ${ben.name}`);
    expect((await fetch(`${feed.body.url.slice(0, -2)}xx`)).status).toBe(404);
    expect((await call('POST', `/api/teams/${DEMO_TEAM_ID}/rota/feed`, await login('gp'))).status).toBe(403);
  });

  it('shows managers the fortnight page with each gap highlighted, behind the web sign-in', async () => {
    const page = (token: string | null, query = '?from=2026-10-24') =>
      fetch(`${runtime.url}/teams/${DEMO_TEAM_ID}/rota${query}`, { redirect: 'manual', headers: token ? { cookie: `dutyline_session=${token}` } : {} });
    const anonymous = await page(null);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toMatch(/^\/auth\/login\?next=/);
    expect((await page(await login('gp'))).status).toBe(403);
    const shown = await page(managerToken);
    expect(shown.status).toBe(200);
    const text = await shown.text();
    expect(text).toContain('Rota for the next 14 days');
    expect(text).toContain('Saturday 31 October 2026');
    expect(text).toContain(`${ben.name}, 17:00 to 09:00 Sunday`);
    expect(text).toMatch(/govuk-tag--red">Gap<\/strong> 00:00 to 17:00/);
    expect(text).toContain('gaps in the out-of-hours cover');
    expect((await page(managerToken, '?from=31-10-2026')).status).toBe(400);
  });
});

describe('a rota upload and what was done since', () => {
  /** A London date some days from now, so the overrides below are still to come. */
  const day = (offset: number) => addDays(instantToLocal(new Date()).date, offset);
  const week = [
    'date,start,end,staff,position',
    ...[10, 11, 12].flatMap((d) => [`${day(d)},17:00,09:00,${asha.id},primary`, `${day(d)},17:00,09:00,${ben.id},secondary`]),
  ].join('\n');
  const upload = (text: string, query = '') => call('PUT', `/api/teams/${DEMO_TEAM_ID}/rota${query}`, managerToken, text, 'text/csv');
  const primaryAt = async (date: string, time: string) =>
    (await call('GET', `/api/teams/${DEMO_TEAM_ID}/oncall?at=${localToInstant(date, time).toISOString()}`, managerToken)).body.onCall.primary;
  let overrideId: string;

  it('keeps an override when the same CSV is uploaded again', async () => {
    expect((await upload(week)).status).toBe(200);
    const override = await call('POST', `/api/teams/${DEMO_TEAM_ID}/rota/overrides`, managerToken, {
      shifts: [{ staffId: chloe.id, position: 'primary', start: localToInstant(day(11), '23:00').toISOString(), end: localToInstant(day(12), '03:00').toISOString(), covers: asha.id }],
    });
    expect(override.status).toBe(201);
    overrideId = override.body.shifts[0].id;
    const again = await upload(week);
    expect(again.status).toBe(200);
    expect(again.body.keptOverrides).toContain(overrideId);
    expect(again.body.droppedOverrides).toEqual([]);
    expect(await primaryAt(day(12), '01:00')).toBe(chloe.id);
    expect(await primaryAt(day(12), '04:00')).toBe(asha.id);
  });

  it('refuses with 409 a rota under which the override would stand in for someone else, and drops it only when told', async () => {
    const changed = week.replaceAll(`17:00,09:00,${asha.id},primary`, `17:00,09:00,${manager.id},primary`).replace(`${day(10)},17:00,09:00,${manager.id},primary`, `${day(10)},17:00,09:00,${asha.id},primary`);
    const refused = await upload(changed);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('overrides_conflict');
    expect(refused.body.conflicts).toEqual([
      expect.objectContaining({
        id: overrideId,
        kind: 'override',
        staffId: chloe.id,
        position: 'primary',
        storedRota: [{ staffId: asha.id, start: localToInstant(day(11), '23:00').toISOString(), end: localToInstant(day(12), '03:00').toISOString() }],
        newRota: [{ staffId: manager.id, start: localToInstant(day(11), '23:00').toISOString(), end: localToInstant(day(12), '03:00').toISOString() }],
      }),
    ]);
    // Nothing changed: the old rota and the override still hold.
    expect(await primaryAt(day(12), '01:00')).toBe(chloe.id);
    expect(await primaryAt(day(12), '04:00')).toBe(asha.id);
    expect((await upload(changed, '?dropConflictingOverrides=maybe')).status).toBe(400);
    const dropped = await upload(changed, '?dropConflictingOverrides=true');
    expect(dropped.status).toBe(200);
    expect(dropped.body.droppedOverrides.map((conflict: { id: string }) => conflict.id)).toEqual([overrideId]);
    expect(await primaryAt(day(12), '01:00')).toBe(manager.id);
  });

  it('refuses two primaries for the same time, naming both rows', async () => {
    const twice = `${week}\n${day(11)},20:00,23:00,${chloe.id},primary\n`;
    const refused = await upload(twice);
    expect(refused.status).toBe(400);
    expect(refused.body.issues).toEqual([
      {
        path: 'rows.8.start',
        message: `overlaps rows.4 (primary from ${formatLocal(localToInstant(day(11), '17:00'))} to ${formatLocal(localToInstant(day(12), '09:00'))}): one person holds primary at a time; give cover within a shift as an override`,
      },
    ]);
  });

  it('refuses 01:30 on the October change night unless it says which, and takes it with an offset', async () => {
    const night = (end: string) => `date,start,end,staff,position\n2027-10-30,17:00,${end},${asha.id},primary\n`;
    const ambiguous = await upload(night('01:30'));
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.body.issues).toEqual([{ path: 'rows.2.end', message: expect.stringContaining('write 01:30+01:00 for the first, in BST, or 01:30+00:00 for the second, in GMT') }]);
    const second = await upload(night('01:30+00:00'));
    expect(second.status).toBe(200);
    expect(second.body.shifts[0]).toMatchObject({ start: '2027-10-30T16:00:00.000Z', end: '2027-10-31T01:30:00.000Z' });
    const spring = await upload(`date,start,end,staff,position\n2027-03-27,17:00,01:30,${asha.id},primary\n`);
    expect(spring.body.issues).toEqual([{ path: 'rows.2.end', message: 'is not a time on 2027-03-28: the clocks go forward from 01:00 to 02:00' }]);
  });

  it('imports its own iCalendar and CSV exports back to the same shifts', async () => {
    const rota = [
      'date,start,end,staff,position',
      `2027-10-30,17:00,01:00+01:00,${asha.id},primary`,
      `2027-10-31,01:00+01:00,09:00,${chloe.id},primary`,
      `2027-10-30,17:00,09:00,${ben.id},secondary`,
      `2027-10-31,09:00,09:00,${manager.id},manager`,
    ].join('\n');
    const first = await upload(rota);
    expect(first.status).toBe(200);
    const stored = async () => (await call('GET', `/api/teams/${DEMO_TEAM_ID}/rota?from=2027-10-30&days=3`, managerToken)).body.shifts;
    const before = await stored();
    expect(before).toHaveLength(4);
    for (const [format, type] of [['ics', 'text/calendar'], ['csv', 'text/csv']] as const) {
      const exported = await call('GET', `/api/teams/${DEMO_TEAM_ID}/rota?from=2027-10-30&days=3&format=${format}`, managerToken);
      expect(exported.type).toContain(type);
      const imported = await call('PUT', `/api/teams/${DEMO_TEAM_ID}/rota`, managerToken, exported.text, type);
      expect(imported.status).toBe(200);
      expect(imported.body.shifts.map((shift: { id: string }) => shift.id).sort()).toEqual(first.body.shifts.map((shift: { id: string }) => shift.id).sort());
      expect(await stored()).toEqual(before);
    }
    // With an override in force the export is the rota as worked; it imports to the same again.
    const cover = await call('POST', `/api/teams/${DEMO_TEAM_ID}/rota/overrides`, managerToken, {
      shifts: [{ staffId: ben.id, position: 'primary', start: '2027-10-30T22:00:00Z', end: '2027-10-31T03:00:00Z', covers: asha.id }],
    });
    expect(cover.status).toBe(201);
    const plain = (shifts: { staffId: string; position: string; start: string; end: string }[]) =>
      shifts.map(({ staffId, position, start, end }) => ({ staffId, position, start, end }));
    const worked = plain(await stored());
    expect(worked).toContainEqual({ staffId: ben.id, position: 'primary', start: '2027-10-30T22:00:00.000Z', end: '2027-10-31T03:00:00.000Z' });
    for (const [format, type] of [['ics', 'text/calendar'], ['csv', 'text/csv']] as const) {
      const exported = await call('GET', `/api/teams/${DEMO_TEAM_ID}/rota?from=2027-10-30&days=3&format=${format}`, managerToken);
      const imported = await call('PUT', `/api/teams/${DEMO_TEAM_ID}/rota`, managerToken, exported.text, type);
      expect(imported.status).toBe(200);
      expect(imported.body.keptOverrides).toContain(cover.body.shifts[0].id);
      expect(plain(await stored())).toEqual(worked);
    }
  });
});

describe('staff', () => {
  it('refuses a staff member put in a team that does not exist, naming the entry', async () => {
    const body = { name: 'Ezra Flint', phone: '07700 900321', teamIds: [DEMO_TEAM_ID, 'no-such-team'], roles: ['amhp'] };
    const refused = await call('PUT', '/api/staff/amhp-ezra', admin, body);
    expect(refused.status).toBe(400);
    expect(refused.body.issues).toEqual([{ path: 'teamIds.1', message: 'is not a known team' }]);
    expect((await call('GET', '/api/staff/amhp-ezra', admin)).status).toBe(404);
    expect((await call('PUT', '/api/staff/amhp-ezra', admin, { ...body, teamIds: [DEMO_TEAM_ID] })).status).toBe(200);
  });
});
