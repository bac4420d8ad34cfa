import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { DEMO_SERVICE_CONTACT, DEMO_SERVICE_FALLBACK, DEMO_TEAM_ID, demoStaff } from '../../infra/local/seed.ts';
import type { RecordingMetrics } from '../../shared/adapters/recording-metrics.ts';
import { WebClient } from './web-client.ts';
import { localToken } from '../support/local-api.ts';

/**
 * Nothing ends in silence (SPEC), on the local runtime over HTTP against the emulators: a
 * district no team covers texts the service fallback at once; a team with nobody on duty to page
 * does too; an area another team holds is refused; a manager routes an unrouted referral again
 * once a default team is set, and pages someone by hand; and the referrer's pages say what
 * really happened, with the number to call.
 */

const person = { givenName: 'Ottoline', familyName: 'Fairweather', dateOfBirth: '1990-04-05', nhsNumber: '943 476 5919', street: 'Quince Terrace' };
const identifiers = [person.givenName, person.familyName, person.dateOfBirth, '9434765919', '943 476 5919', person.street, 'hearing voices'];
const [, , chloe, manager] = demoStaff;

function referralBody(postcode: string) {
  return {
    referrer: { name: 'Dr Gill Price', kind: 'gp', organisation: 'Leeds Central Surgery', phone: '07700 900201' },
    subject: {
      givenName: person.givenName,
      familyName: person.familyName,
      dateOfBirth: person.dateOfBirth,
      nhsNumber: person.nhsNumber,
      homeAddress: `3 ${person.street}, Leeds`,
      currentLocation: { kind: 'home', postcode },
    },
    legal: { status: 'none' },
    reason: 'Not sleeping, hearing voices',
    risks: [],
    urgency: 'immediate',
  };
}

let runtime: LocalRuntime;
const tokens: Record<string, string> = {};
let referrerPages: WebClient;

async function api(method: string, path: string, token: string, body?: unknown) {
  const response = await fetch(`${runtime.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function waitForStatus(id: string, wanted: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await api('GET', `/api/referrals/${id}`, tokens.gp!);
    if (body.status === wanted) return body;
    if (Date.now() > deadline) throw new Error(`referral stayed ${body.status}, wanted ${wanted}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function submit(postcode: string) {
  const { status, body } = await api('POST', '/api/referrals', tokens.gp!, referralBody(postcode));
  expect(status).toBe(202);
  return { ...(body as { id: string; reference: string }), at: Date.now() };
}

const metrics = () => runtime.deps.metrics as RecordingMetrics;
const smsTo = (phone: string, reference: string) => runtime.outbox.list(phone).filter((sms) => sms.body.includes(reference));

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, seed: true });
  tokens.gp = await localToken(runtime.url, 'gp');
  tokens.admin = await localToken(runtime.url, 'admin');
  tokens.manager = await localToken(runtime.url, manager.id);
  tokens.chloe = await localToken(runtime.url, chloe.id);
  referrerPages = new WebClient(runtime.url);
  await referrerPages.signIn('gp');
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
});

describe('a district no team covers', () => {
  let unrouted: { id: string; reference: string; at: number };

  beforeAll(async () => {
    unrouted = await submit('HX1 1AA');
    await waitForStatus(unrouted.id, 'unrouted');
  });

  it('texts the service fallback within seconds, with the reference, district, urgency and legal status and no personal data', async () => {
    const sms = await runtime.outbox.waitFor((message) => message.phone === DEMO_SERVICE_FALLBACK && message.body.includes(unrouted.reference), 5_000);
    expect(Date.parse(sms.at) - unrouted.at).toBeLessThan(5_000);
    expect(sms.body).toContain('NO TEAM COVERS HX1');
    expect(sms.body).toContain('URGENT (immediate)');
    expect(sms.body).toContain('not detained');
    for (const identifier of identifiers) expect(sms.body).not.toContain(identifier);
  });

  it('records it on the timeline and counts it, for the alarms', async () => {
    const { body } = await api('GET', `/api/referrals/${unrouted.id}`, tokens.gp!);
    expect(body.timeline.map((entry: { type: string }) => entry.type)).toEqual(['received', 'no_team_for_area', 'service_fallback_alerted']);
    expect(JSON.stringify(body.timeline)).not.toContain(DEMO_SERVICE_FALLBACK);
    expect(metrics().total('ReferralsUnrouted')).toBeGreaterThanOrEqual(1);
    expect(metrics().total('ServiceFallbackAlerts')).toBeGreaterThanOrEqual(1);
  });

  it("tells the referrer no team covers it, that the service was told, and the number to call; never that an AMHP is being asked", async () => {
    for (const path of [`/referrals/${unrouted.id}`, `/referrals/${unrouted.id}/confirmation`]) {
      const page = await referrerPages.get(path);
      expect(page.status).toBe(200);
      expect(page.html).toContain('No emergency duty team covers HX1');
      expect(page.html).toContain('on-call contact has been told');
      expect(page.html).toContain('0113 496 0190');
      expect(page.html).not.toMatch(/is being asked|has been asked to accept/);
    }
  });

  it('is refused a second routing while still no team covers it (409), and routed once a default team is set', async () => {
    const still = await api('POST', `/api/referrals/${unrouted.id}/route`, tokens.manager!);
    expect(still).toMatchObject({ status: 409, body: { error: 'still_unrouted' } });
    expect((await api('POST', `/api/referrals/${unrouted.id}/route`, tokens.gp!)).status).toBe(403);

    expect((await api('PUT', '/api/service', tokens.admin!, { defaultTeamId: DEMO_TEAM_ID })).body).toEqual({
      defaultTeamId: DEMO_TEAM_ID,
      fallbackPhone: DEMO_SERVICE_FALLBACK,
      contactPhone: DEMO_SERVICE_CONTACT,
    });
    try {
      const routed = await api('POST', `/api/referrals/${unrouted.id}/route`, tokens.manager!);
      expect(routed.status).toBe(200);
      expect(routed.body).toMatchObject({ status: 'paging', teamId: DEMO_TEAM_ID });
      expect(routed.body.timeline.map((entry: { type: string }) => entry.type)).toEqual(
        expect.arrayContaining(['routed_again', 'routed_to_default_team', 'routed', 'paged']),
      );
      const paged = routed.body.timeline.find((entry: { type: string }) => entry.type === 'paged');
      const phone = demoStaff.find((staff) => staff.id === paged.staffId)?.phone ?? '';
      await runtime.outbox.waitFor((sms) => sms.phone === phone && sms.body.includes(unrouted.reference), 5_000);
      const again = await api('POST', `/api/referrals/${unrouted.id}/route`, tokens.manager!);
      expect(again).toMatchObject({ status: 409, body: { error: 'not_unrouted' } });
    } finally {
      expect((await api('PUT', '/api/service', tokens.admin!, { defaultTeamId: null })).body).not.toHaveProperty('defaultTeamId');
    }
  });

  it('records that nobody could be told when no service fallback is set, and counts it', async () => {
    const before = metrics().total('NobodyTold');
    expect((await api('PUT', '/api/service', tokens.admin!, { fallbackPhone: null })).body).toEqual({ contactPhone: DEMO_SERVICE_CONTACT });
    try {
      const silent = await submit('HX2 2AA');
      await waitForStatus(silent.id, 'unrouted');
      // The referrer's view leaves the reason out; the stored timeline has it.
      expect((await runtime.deps.referrals.get(silent.id))?.timeline.at(-1)).toMatchObject({ type: 'nobody_told', reason: 'no_team_for_area' });
      expect(metrics().total('NobodyTold')).toBe(before + 1);
      const page = await referrerPages.get(`/referrals/${silent.id}`);
      expect(page.html).toContain('Nobody has been told yet');
      expect(page.html).toContain('0113 496 0190');
      const board = new WebClient(runtime.url);
      await board.signIn(manager.id, '/manage/board');
      expect((await board.get('/manage/board')).html).toContain('No service fallback phone is set');
    } finally {
      await api('PUT', '/api/service', tokens.admin!, { fallbackPhone: '07700 900190' });
    }
    expect((await runtime.deps.directory.getServiceSettings()).fallbackPhone).toBe(DEMO_SERVICE_FALLBACK);
  });
});

describe('the service settings', () => {
  it('refuses a fallback that is not a UK mobile and an unknown default team, naming the field, and changes nothing', async () => {
    const before = await runtime.deps.directory.getServiceSettings();
    const landline = await api('PUT', '/api/service', tokens.admin!, { fallbackPhone: '0113 496 0000' });
    expect(landline).toMatchObject({ status: 400, body: { issues: [{ path: 'fallbackPhone' }] } });
    const unknown = await api('PUT', '/api/service', tokens.admin!, { defaultTeamId: 'nowhere-edt' });
    expect(unknown).toMatchObject({ status: 400, body: { issues: [{ path: 'defaultTeamId', message: 'is not a known team' }] } });
    expect(await runtime.deps.directory.getServiceSettings()).toEqual(before);
  });
});

describe('a team with nobody on duty to page', () => {
  it('texts the service fallback that nobody is on duty, counts it, and tells the referrer nobody can be reached', async () => {
    const team = { name: 'Wakefield EDT', areas: ['WF1'], escalation: { ackTimeoutSeconds: 600, repeat: 0 }, continuity: 'ignore' };
    expect((await api('PUT', '/api/teams/wakefield-edt', tokens.admin!, team)).status).toBe(200);
    const before = metrics().total('NobodyToPage');
    const referral = await submit('WF1 2AA');
    const sms = await runtime.outbox.waitFor((message) => message.phone === DEMO_SERVICE_FALLBACK && message.body.includes(referral.reference), 5_000);
    expect(sms.body).toContain('NOBODY ON DUTY TO PAGE in Wakefield EDT');
    for (const identifier of identifiers) expect(sms.body).not.toContain(identifier);
    const body = await waitForStatus(referral.id, 'exhausted');
    expect(body.timeline.map((entry: { type: string }) => entry.type)).toEqual(expect.arrayContaining(['nobody_to_page', 'service_fallback_alerted']));
    expect(metrics().total('NobodyToPage')).toBe(before + 1);
    const page = await referrerPages.get(`/referrals/${referral.id}`);
    expect(page.html).toContain('Sent to Wakefield EDT, but nobody there can be reached now');
    expect(page.html).not.toMatch(/Every AMHP on duty|is being asked/);
  });

  it("tells the team's own fallback instead, when it has one, and not the service's", async () => {
    const team = { name: 'Halifax EDT', areas: ['HX9'], escalation: { ackTimeoutSeconds: 600, repeat: 0 }, continuity: 'ignore', fallbackPhone: '07700 900150', contactPhone: '01422 960000' };
    expect((await api('PUT', '/api/teams/halifax-edt', tokens.admin!, team)).status).toBe(200);
    const referral = await submit('HX9 1AA');
    await runtime.outbox.waitFor((message) => message.phone === '+447700900150' && message.body.includes(referral.reference), 5_000);
    await waitForStatus(referral.id, 'exhausted');
    expect(smsTo(DEMO_SERVICE_FALLBACK, referral.reference)).toEqual([]);
    const page = await referrerPages.get(`/referrals/${referral.id}`);
    expect(page.html).toContain("the team&#39;s duty phone has been told");
    expect(page.html).toContain('01422 960000');
  });
});

describe('areas', () => {
  it('refuses a team an area another team holds, naming the area and both teams, and stores nothing of it', async () => {
    const overlapping = { name: 'Rogue EDT', areas: ['WF9', 'LS1'], escalation: { ackTimeoutSeconds: 600, repeat: 0 }, continuity: 'ignore' };
    const { status, body } = await api('PUT', '/api/teams/rogue-edt', tokens.admin!, overlapping);
    expect(status).toBe(409);
    expect(body).toMatchObject({ error: 'area_taken', area: 'LS1', teamId: 'rogue-edt', heldBy: DEMO_TEAM_ID });
    expect(body.message).toContain(DEMO_TEAM_ID);
    expect((await api('GET', '/api/teams/rogue-edt', tokens.admin!)).status).toBe(404);
    expect((await runtime.deps.directory.teamForDistrict('LS1'))?.id).toBe(DEMO_TEAM_ID);
    expect(await runtime.deps.directory.teamForDistrict('WF9')).toBeNull();
  });

  it('gives exactly one of two teams racing for the same free area', async () => {
    const racer = (name: string) => ({ name, areas: ['YO1'], escalation: { ackTimeoutSeconds: 600, repeat: 0 }, continuity: 'ignore' });
    const results = await Promise.all([
      api('PUT', '/api/teams/york-a', tokens.admin!, racer('York A')),
      api('PUT', '/api/teams/york-b', tokens.admin!, racer('York B')),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results[0]?.status === 200 ? 'york-a' : 'york-b';
    expect((await runtime.deps.directory.teamForDistrict('YO1'))?.id).toBe(winner);
  });
});

describe('a manager acting on a referral', () => {
  let referral: { id: string; reference: string };

  beforeAll(async () => {
    referral = await submit('LS6 1AA');
    await waitForStatus(referral.id, 'paging');
  });

  it('pages a member of the team now, with an accept link that works', async () => {
    const { status, body } = await api('POST', `/api/referrals/${referral.id}/page`, tokens.manager!, { staffId: chloe.id });
    expect(status).toBe(200);
    expect(body.timeline.at(-1)).toMatchObject({ type: 'paged', staffId: chloe.id, byHand: true, by: manager.id });
    const sms = await runtime.outbox.waitFor((message) => message.phone === chloe.phone && message.body.includes(referral.reference), 5_000);
    for (const identifier of identifiers) expect(sms.body).not.toContain(identifier);
    const accepted = await api('POST', `/api/referrals/${referral.id}/accept`, tokens.chloe!);
    expect(accepted).toMatchObject({ status: 200, body: { status: 'accepted', assignedTo: chloe.id } });
    const again = await api('POST', `/api/referrals/${referral.id}/page`, tokens.manager!, { staffId: 'amhp-asha' });
    expect(again).toMatchObject({ status: 409, body: { error: 'accepted' } });
  });

  it('is refused for an unknown person (404), a bad body (400) and a caller who is not a manager (403)', async () => {
    const fresh = await submit('LS7 1AA');
    await waitForStatus(fresh.id, 'paging');
    expect((await api('POST', `/api/referrals/${fresh.id}/page`, tokens.manager!, { staffId: 'nobody-here' })).status).toBe(404);
    expect((await api('POST', `/api/referrals/${fresh.id}/page`, tokens.manager!, { staff: chloe.id })).body.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'staffId' })]),
    );
    expect((await api('POST', `/api/referrals/${fresh.id}/page`, tokens.gp!, { staffId: chloe.id })).status).toBe(403);
    expect((await api('POST', `/api/referrals/${fresh.id}/page`, tokens.chloe!, { staffId: chloe.id })).status).toBe(403);
  });
});

describe('reading the directory', () => {
  it("shows a manager their own teams and staff, and refuses others' and non-managers", async () => {
    const teams = await api('GET', '/api/teams', tokens.manager!);
    expect(teams.status).toBe(200);
    expect(teams.body.teams.map((team: { id: string }) => team.id)).toEqual([DEMO_TEAM_ID]);
    expect((await api('GET', `/api/teams/${DEMO_TEAM_ID}`, tokens.manager!)).body).toMatchObject({ id: DEMO_TEAM_ID, areas: expect.arrayContaining(['LS1']) });
    expect((await api('GET', '/api/teams/wakefield-edt', tokens.manager!)).status).toBe(403);
    expect((await api('GET', `/api/staff/${chloe.id}`, tokens.manager!)).body).toMatchObject({ id: chloe.id, phone: chloe.phone });
    expect((await api('GET', `/api/staff/${chloe.id}`, tokens.chloe!)).status).toBe(403);
    expect((await api('GET', '/api/teams', tokens.gp!)).status).toBe(403);
    const all = await api('GET', '/api/teams', tokens.admin!);
    expect(all.body.teams.map((team: { id: string }) => team.id)).toEqual(expect.arrayContaining([DEMO_TEAM_ID, 'wakefield-edt']));
    expect((await api('GET', '/api/staff/nobody-here', tokens.admin!)).status).toBe(404);
  });
});
