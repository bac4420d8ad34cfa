import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { DEMO_TEAM_ID, demoReferrers, demoStaff } from '../../infra/local/seed.ts';
import type { RecordingMetrics } from '../../shared/adapters/recording-metrics.ts';
import { runCoverageCheck } from '../../shared/app/coverage-alert.ts';
import { putRota, putStaff, putTeam } from '../../shared/app/directory-admin.ts';
import { WebClient } from './web-client.ts';
import { localToken } from '../support/local-api.ts';
import { waitFor } from '../support/wait.ts';

/**
 * The managers' side on the local runtime, over HTTP: the board and statistics from the indexes,
 * closing a referral (which frees its AMHP and takes it off the board), the pages behind the web
 * session cookie with their CSV exports, metrics, and the daily coverage SMS.
 */

const person = { givenName: 'Philomena', familyName: 'Ashdown-Whittle', dateOfBirth: '1979-06-02', nhsNumber: '943 476 5919' };
const identifiers = [person.givenName, person.familyName, person.dateOfBirth, '9434765919', '943 476 5919', 'Larkspur'];
const [asha, , , manager] = demoStaff;
const [gp] = demoReferrers;

function referralBody(postcode: string, legal: { status: string; detentionStart?: string }) {
  return {
    referrer: { name: 'Dr Gill Price', kind: 'gp', organisation: 'Leeds Central Surgery', phone: gp.phone },
    subject: {
      givenName: person.givenName,
      familyName: person.familyName,
      dateOfBirth: person.dateOfBirth,
      nhsNumber: person.nhsNumber,
      homeAddress: '4 Larkspur Row, Leeds',
      currentLocation: { kind: 'home', postcode },
    },
    legal,
    reason: 'Not sleeping, believes the neighbours are poisoning the water',
    risks: ['self-neglect'],
    urgency: 'immediate',
  };
}

let runtime: LocalRuntime;
const logLines: string[] = [];
const record = (message: string, extra?: Record<string, unknown>) => logLines.push(JSON.stringify({ message, ...extra }));
const tokens: Record<string, string> = {};

const login = (username: string, roles?: string[]): Promise<string> => localToken(runtime.url, username, roles);

async function api(method: string, path: string, token: string, body?: unknown) {
  const response = await fetch(`${runtime.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}


const statusOf = async (id: string) => (await api('GET', `/api/referrals/${id}`, tokens.gp!)).body.status as string;

async function submit(postcode: string, legal: { status: string; detentionStart?: string }, settled: string[]) {
  const { status, body } = await api('POST', '/api/referrals', tokens.gp!, referralBody(postcode, legal));
  expect(status).toBe(202);
  await waitFor(`referral ${body.reference} to be routed`, async () => settled.includes(await statusOf(body.id)));
  return body as { id: string; reference: string };
}

const sessionClient = (token: string) => {
  const client = new WebClient(runtime.url);
  client.cookies.set('dutyline_session', token);
  return client;
};

let s136: { id: string; reference: string };
let informal: { id: string; reference: string };
let unrouted: { id: string; reference: string };

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, seed: true, log: { info: record, warn: record, error: record } });
  tokens.gp = await login('gp');
  tokens.asha = await login(asha.id);
  tokens.manager = await login(manager.id);
  tokens.admin = await login('admin');
  tokens.otherManager = await login('manager-elsewhere', ['manager']);
  // 20 hours into an s136 detention: 4 hours left, so the clock shows orange.
  s136 = await submit('LS1 4AP', { status: 's136', detentionStart: new Date(Date.now() - 20 * 3_600_000).toISOString() }, ['paging']);
  informal = await submit('LS2 7UE', { status: 'none' }, ['paging']);
  // No team lists BD1: it waits, unrouted, on every manager's board.
  unrouted = await submit('BD1 1HY', { status: 'none' }, ['unrouted']);
});

afterAll(async () => {
  await runtime?.stop();
});

describe('the board and statistics, from the indexes', () => {
  it('lists the open referrals of the team in one Query, and those no team holds in another', async () => {
    const open = await runtime.deps.referrals.openReferrals(DEMO_TEAM_ID);
    expect(open.map((r) => r.id).sort()).toEqual([s136.id, informal.id].sort());
    expect((await runtime.deps.referrals.openReferrals(null)).map((r) => r.id)).toEqual([unrouted.id]);
    const window = await runtime.deps.referrals.referralsReceivedBetween(DEMO_TEAM_ID, new Date(Date.now() - 3_600_000), new Date(Date.now() + 60_000));
    expect(window.map((r) => r.id)).toEqual([s136.id, informal.id]);
  });

  it('GET /api/dashboard gives a manager the open referrals, soonest clock first, with who is being paged', async () => {
    const { status, body } = await api('GET', `/api/dashboard?teamId=${DEMO_TEAM_ID}`, tokens.manager!);
    expect(status).toBe(200);
    expect(body.open.map((row: { reference: string }) => row.reference)).toEqual([s136.reference, expect.any(String), expect.any(String)]);
    const first = body.open[0];
    expect(first).toMatchObject({ status: 'paging', legalStatus: 's136', district: 'LS1', clock: { kind: 's136', level: 'warning' }, holder: { how: 'paged' } });
    expect(first.clock.secondsLeft).toBeGreaterThan(3.9 * 3600);
    expect(body.open.find((row: { id: string }) => row.id === unrouted.id)).toMatchObject({ teamId: null, status: 'unrouted' });
    expect(body.statistics).toMatchObject({ percentileMethod: 'nearest-rank', all: { overall: { referrals: 2 } }, s136: { overall: { referrals: 1 } } });
    expect(JSON.stringify(body)).not.toMatch(new RegExp(identifiers.join('|'), 'i'));
  });

  it('is for managers of the team and administrators only', async () => {
    expect((await api('GET', `/api/dashboard?teamId=${DEMO_TEAM_ID}`, tokens.admin!)).status).toBe(200);
    expect((await api('GET', `/api/dashboard?teamId=${DEMO_TEAM_ID}`, tokens.asha!)).status).toBe(403);
    expect((await api('GET', `/api/dashboard?teamId=${DEMO_TEAM_ID}`, tokens.gp!)).status).toBe(403);
    expect((await api('GET', `/api/dashboard?teamId=${DEMO_TEAM_ID}`, tokens.otherManager!)).status).toBe(403);
    expect((await api('GET', '/api/dashboard?teamId=no-such-team', tokens.admin!)).status).toBe(404);
  });
});

describe('closing a referral', () => {
  it('cannot close one still being paged', async () => {
    const { status, body } = await api('POST', `/api/referrals/${informal.id}/close`, tokens.manager!, { outcome: 'withdrawn' });
    expect(status).toBe(409);
    expect(body.error).toBe('not_closable');
  });

  it('the AMHP who accepted records the outcome; it leaves the board and the AMHP is free again', async () => {
    expect((await api('POST', `/api/referrals/${s136.id}/accept`, tokens.asha!)).status).toBe(200);
    await waitFor('the busy marker', async () => (await runtime.deps.directory.staffOnDuty([asha.id])).busy.has(asha.id));
    expect((await api('POST', `/api/referrals/${s136.id}/close`, tokens.gp!, { outcome: 'withdrawn' })).status).toBe(403);
    const missing = await api('POST', `/api/referrals/${s136.id}/close`, tokens.asha!, { outcome: 'assessed' });
    expect(missing.status).toBe(400);
    expect(missing.body.issues).toEqual([{ path: 'result', message: 'is required when the outcome is assessed' }]);

    const closed = await api('POST', `/api/referrals/${s136.id}/close`, tokens.asha!, { outcome: 'assessed', result: 'detained_s2' });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', closure: { outcome: 'assessed', result: 'detained_s2', closedBy: asha.id } });
    expect(closed.body.timeline.at(-1)).toMatchObject({ type: 'closed', outcome: 'assessed', result: 'detained_s2', by: asha.id, fromStatus: 'accepted' });
    await waitFor('the busy marker to clear', async () => !(await runtime.deps.directory.staffOnDuty([asha.id])).busy.has(asha.id));
    const board = await api('GET', `/api/dashboard?teamId=${DEMO_TEAM_ID}`, tokens.manager!);
    expect(board.body.open.map((row: { id: string }) => row.id)).not.toContain(s136.id);
    expect(board.body.statistics.all.overall).toMatchObject({ referrals: 2, accepted: 1, closed: 1, timeToAccept: { count: 1 }, timeToClose: { count: 1 } });
  });

  it('refuses a second close and a late accept', async () => {
    expect((await api('POST', `/api/referrals/${s136.id}/close`, tokens.manager!, { outcome: 'withdrawn' })).body.error).toBe('already_closed');
    const late = await api('POST', `/api/referrals/${s136.id}/accept`, tokens.asha!);
    expect(late.status).toBe(409);
    expect(late.body.error).toBe('closed');
  });

  it('any manager can close a referral that no team holds', async () => {
    const { status, body } = await api('POST', `/api/referrals/${unrouted.id}/close`, tokens.otherManager!, { outcome: 'transferred' });
    expect(status).toBe(200);
    expect(body.status).toBe('closed');
    expect(await runtime.deps.referrals.openReferrals(null)).toEqual([]);
  });
});

describe("the managers' pages, behind the web session cookie", () => {
  it('sends someone not signed in to sign in, and refuses a referrer', async () => {
    const anonymous = await new WebClient(runtime.url).request('GET', '/manage/board');
    expect(anonymous.hops[0]).toMatchObject({ status: 303, location: '/auth/login?next=%2Fmanage%2Fboard' });
    expect((await sessionClient(tokens.gp!).request('GET', '/manage/board')).status).toBe(403);
  });

  it('shows the live board with a region that refreshes itself, and no personal data', async () => {
    const page = await sessionClient(tokens.manager!).request('GET', '/manage/board');
    expect(page.status).toBe(200);
    expect(page.html).toContain('id="board" data-refresh-seconds="15"');
    expect(page.html).toContain(informal.reference);
    expect(page.html).not.toContain(s136.reference);
    expect(page.html).not.toMatch(new RegExp(identifiers.join('|'), 'i'));
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('shows response times with charts, and exports them as CSV', async () => {
    const client = sessionClient(tokens.manager!);
    const page = await client.request('GET', '/manage/response-times');
    expect(page.status).toBe(200);
    // Three response-time charts, and two of the assessment figures (hours lost, the Home Office s136 table).
    expect(page.html.match(/<svg[^>]*role="img"/g)).toHaveLength(5);
    expect(page.html).toContain('id="all-referrals"');
    const csv = await fetch(`${runtime.url}/manage/response-times?format=csv`, { headers: { cookie: `dutyline_session=${tokens.manager}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="response-times-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines[1]).toMatch(/^all,all,all,All referrals,2,1,1,1,/);
    expect((await client.request('GET', '/manage/response-times?from=yesterday')).status).toBe(400);
  });

  it("shows a referral's whole audit trail and exports it", async () => {
    const client = sessionClient(tokens.manager!);
    const page = await client.request('GET', `/manage/referrals/${s136.id}`);
    expect(page.status).toBe(200);
    for (const type of ['received', 'routed', 'paged', 'accepted', 'closed']) expect(page.html).toContain(`data-type="${type}"`);
    expect(page.html).toContain('Closed by Asha Patel: Assessed, Detained under section 2');
    expect(page.html).not.toMatch(new RegExp(identifiers.join('|'), 'i'));
    const csv = await fetch(`${runtime.url}/manage/referrals/${s136.id}?format=csv`, { headers: { cookie: `dutyline_session=${tokens.manager}` } });
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toBe('reference,at_utc,at_london,type,who,description,details');
    expect(text).toContain(`${s136.reference},`);
    expect((await sessionClient(tokens.otherManager!).request('GET', `/manage/referrals/${s136.id}`)).status).toBe(403);
  });

  it('records an outcome from the form, refusing a post from another site', async () => {
    const [ben] = demoStaff.slice(1);
    const paged = (await api('GET', `/api/referrals/${informal.id}`, tokens.manager!)).body.timeline.find((e: { type: string }) => e.type === 'paged').staffId as string;
    const holder = paged === ben?.id ? ben : asha;
    expect((await api('POST', `/api/referrals/${informal.id}/accept`, await login(holder!.id))).status).toBe(200);
    const client = sessionClient(tokens.manager!);
    const form = await client.request('GET', `/manage/referrals/${informal.id}/close`);
    expect(form.status).toBe(200);
    const forged = await client.request('POST', `/manage/referrals/${informal.id}/close`, { outcome: 'not_required' }, { origin: 'https://evil.example' });
    expect(forged.status).toBe(403);
    const missing = await client.request('POST', `/manage/referrals/${informal.id}/close`, { outcome: 'assessed' });
    expect(missing.status).toBe(400);
    expect(missing.html).toContain('Select what the assessment decided');
    const done = await client.request('POST', `/manage/referrals/${informal.id}/close`, { outcome: 'assessed', result: 'community_follow_up' });
    expect(done.hops[0]).toMatchObject({ status: 303, location: `/manage/referrals/${informal.id}/close` });
    expect(done.status).toBe(200);
    expect(done.html).toContain('Referral closed');
    expect(await statusOf(informal.id)).toBe('closed');
  });

  it('shows rota coverage for the next 14 days', async () => {
    const page = await sessionClient(tokens.manager!).request('GET', '/manage/coverage');
    expect(page.status).toBe(200);
    expect(page.html).toContain(`id="coverage-${DEMO_TEAM_ID}"`);
  });
});

describe('metrics and logs', () => {
  it('counted referrals, pages, acceptances, time to accept and closes, with no personal data anywhere in the logs', () => {
    const metrics = runtime.deps.metrics as RecordingMetrics;
    expect(metrics.total('ReferralsReceived')).toBe(3);
    expect(metrics.total('PagesSent')).toBeGreaterThanOrEqual(2);
    expect(metrics.total('ReferralsAccepted')).toBe(2);
    expect(metrics.values('TimeToAccept')).toHaveLength(2);
    expect(metrics.total('ReferralsClosed')).toBe(3);
    expect(logLines.join('\n')).not.toMatch(new RegExp(identifiers.join('|'), 'i'));
  });
});

describe('the daily coverage SMS', () => {
  const at = (iso: string) => ({ ...runtime.deps, clock: { now: () => new Date(iso) } });

  beforeAll(async () => {
    const deps = runtime.deps;
    expect((await putTeam(deps, 'wakefield-edt', { name: 'Wakefield EDT', areas: ['WF1'], escalation: { ackTimeoutSeconds: 600, repeat: 1 }, continuity: 'ignore' })).ok).toBe(true);
    for (const [id, roles, phone] of [
      ['wf-amhp-1', ['amhp'], '+447700900301'],
      ['wf-amhp-2', ['amhp'], '+447700900302'],
      ['wf-manager', ['manager'], '+447700900303'],
    ] as const) {
      expect((await putStaff(deps, id, { name: id, phone, teamIds: ['wakefield-edt'], roles })).ok).toBe(true);
      // Proven phones: an unverified one would be a gap of its own (test/integration/phone-verification.test.ts).
      expect(await deps.phoneVerifications.markVerified(id, phone, '2030-01-01T00:00:00Z')).toBe(true);
    }
    // Tuesday 15 January 2030 (GMT): the primary AMHP goes home at 02:00, leaving 02:00–08:45 uncovered.
    const shift = (staffId: string, position: string, start: string, end: string) => ({ staffId, position, start, end });
    const rota = await putRota(deps, 'wakefield-edt', {
      shifts: [
        shift('wf-amhp-1', 'primary', '2030-01-15T17:00:00Z', '2030-01-16T02:00:00Z'),
        shift('wf-amhp-2', 'secondary', '2030-01-15T17:00:00Z', '2030-01-16T08:45:00Z'),
        shift('wf-manager', 'manager', '2030-01-15T17:00:00Z', '2030-01-16T08:45:00Z'),
      ],
    });
    expect(rota.ok).toBe(true);
  });

  it('waits for the morning', async () => {
    expect(await runCoverageCheck(at('2030-01-15T08:30:00Z'))).toEqual([]);
  });

  it("texts the managers rostered in the next 24 hours about the gap, once that day", async () => {
    const outcomes = await runCoverageCheck(at('2030-01-15T10:00:00Z'));
    expect(outcomes.find((o) => o.teamId === 'wakefield-edt')).toEqual({ teamId: 'wakefield-edt', result: 'alerted', gaps: 1 });
    const texts = runtime.outbox.list('+447700900303').filter((sms) => sms.direction === 'outbound');
    expect(texts.map((sms) => sms.body)).toEqual([
      'dutyline: Wakefield EDT rota has 1 gap in the next 24 h: primary AMHP 02:00 16 Jan to 08:45 16 Jan. Please arrange cover.',
    ]);
    const again = await runCoverageCheck(at('2030-01-15T10:30:00Z'));
    expect(again.find((o) => o.teamId === 'wakefield-edt')?.result).toBe('already-alerted');
    expect(runtime.outbox.list('+447700900303').filter((sms) => sms.direction === 'outbound')).toHaveLength(1);
    expect((runtime.deps.metrics as RecordingMetrics).total('CoverageGapAlerts')).toBeGreaterThanOrEqual(1);
  });
});
