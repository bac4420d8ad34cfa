import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { demoStaff } from '../../infra/local/seed.ts';
import { submittedAndAccepted } from '../support/accepted.ts';
import { localApi, localToken } from '../support/local-api.ts';
import { drained, waitFor } from '../support/wait.ts';

/**
 * Legal events on the emulators (`POST /api/referrals/{id}/events`): a police s136 made en route,
 * then the arrival that starts its clock and plans the warnings, a transfer that keeps it, an
 * admission and a release that end it, an s5(4) followed by s5(2), and the refusals, which change nothing.
 */

let runtime: LocalRuntime;
const api = localApi(() => runtime.url);
const tokens = new Map<string, string>();
const token = async (username: string) => tokens.get(username) ?? tokens.set(username, await localToken(runtime.url, username)).get(username)!;
const as = async (username: string, method: string, path: string, body?: unknown) => api(method, path, await token(username), body);
const manager = demoStaff.find((s) => s.id === 'manager-dev')!;
const HOUR = 3_600_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

const webS136 = (dateOfBirth = '1980-01-01') => ({
  referrer: { name: 'PC Sam Hill', kind: 'police', organisation: 'West Yorkshire Police', phone: '07700 900202', policeForce: 'West Yorkshire Police', collarNumber: 'WY1234' },
  subject: {
    givenName: 'Events',
    familyName: 'Subject',
    dateOfBirth,
    nhsNumberUnknownReason: 'not known',
    currentLocation: { kind: 'public_place', postcode: 'LS1 4AP' },
  },
  // Made en route: no arrival yet, so the clock is pending (MHA 1983 s136(2A)).
  legal: { status: 's136', detainedAt: ago(23 * HOUR) },
  reason: 'legal events integration test',
  risks: [],
  urgency: 'immediate',
});

/** Made by the police officer, paged to one of the team's AMHPs and accepted by them. */
const accepted = (body: unknown = webS136()) => submittedAndAccepted(runtime, as, body);

const events = (id: string) => `/api/referrals/${id}/events`;
const stored = async (id: string) => (await runtime.deps.referrals.get(id))!;

/** A refusal leaves the referral exactly as it was: same version, timeline, clocks and outbox. */
async function unchangedBy<T extends { status: number }>(id: string, attempt: () => Promise<T>, status: number): Promise<T> {
  const before = await stored(id);
  const answer = await attempt();
  expect(answer.status).toBe(status);
  const after = await stored(id);
  expect({ version: after.version, timeline: after.timeline.length, clocks: after.clocks, legal: after.legal }).toEqual({
    version: before.version,
    timeline: before.timeline.length,
    clocks: before.clocks,
    legal: before.legal,
  });
  return answer;
}

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, seed: true });
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
});

describe('an s136 made en route', () => {
  let referral: { id: string; reference: string; amhp: string; page: string };
  let arrivedAt: string;

  beforeAll(async () => {
    referral = await accepted();
  }, 30_000);

  it('shows its clock pending until the arrival is reported', async () => {
    const view = await as('manager-dev', 'GET', `/api/referrals/${referral.id}`);
    expect(view.body.clocks).toEqual([expect.objectContaining({ kind: 's136', state: 'pending', startEvent: 'arrived_at_place_of_safety', startedAt: null })]);
  });

  it('refuses a transfer before any arrival, and changes nothing', async () => {
    const answer = await unchangedBy(referral.id, () => as('police', 'POST', events(referral.id), { type: 'transferred', placeKind: 'health_based', postcode: 'LS2 7UE' }), 409);
    expect(answer).toMatchObject({ body: { error: 'not_arrived' } });
  });

  it('refuses an adult at a police station without the inspector who authorised it, naming the field', async () => {
    const answer = await unchangedBy(referral.id, () => as('police', 'POST', events(referral.id), { type: 'arrived_at_place_of_safety', placeKind: 'police_station', postcode: 'LS1 4AP' }), 400);
    expect(answer).toMatchObject({ body: { issues: [{ path: 'policeStationAuthorisedBy' }] } });
  });

  it('refuses an arrival in the future, naming at', async () => {
    const answer = await unchangedBy(referral.id, () => as('police', 'POST', events(referral.id), { type: 'arrived_at_place_of_safety', at: ago(-HOUR), placeKind: 'health_based', postcode: 'LS1 4AP' }), 400);
    expect(answer).toMatchObject({ body: { issues: [{ path: 'at' }] } });
  });

  it('refuses callers who may not report it: another referrer, an AMHP of the team who did not accept it', async () => {
    const body = { type: 'arrived_at_place_of_safety', placeKind: 'health_based', postcode: 'LS1 4AP' };
    await unchangedBy(referral.id, () => as('gp', 'POST', events(referral.id), body), 403);
    await unchangedBy(referral.id, () => as('amhp-chloe', 'POST', events(referral.id), body), 403);
    // The referrer reports where the person is, not what the team decides.
    await unchangedBy(referral.id, () => as('police', 'POST', events(referral.id), { type: 'released' }), 403);
  });

  it('starts the clock from the arrival the officer reports, and warns the manager 6 hours before it ends', async () => {
    // Arrived 18 hours ago less 6 s: the 6-hour warning falls due in 6 seconds.
    arrivedAt = new Date(Math.floor((Date.now() - 18 * HOUR + 6_000) / 1000) * 1000).toISOString();
    const answer = await as('police', 'POST', events(referral.id), { type: 'arrived_at_place_of_safety', at: arrivedAt, placeKind: 'health_based', postcode: 'LS1 4AP' });
    expect(answer.status).toBe(200);
    // The referrer gets the status page's view, as GET gives it to them.
    expect(answer.body).toHaveProperty('headline');
    expect(answer.body.clocks).toEqual([{ kind: 's136', startedAt: arrivedAt, expiresAt: new Date(Date.parse(arrivedAt) + 24 * HOUR).toISOString(), state: 'running' }]);
    const team = await as('manager-dev', 'GET', `/api/referrals/${referral.id}`);
    expect(team.body.clocks).toEqual([expect.objectContaining({ kind: 's136', state: 'running', startEvent: 'arrived_at_place_of_safety', startedAt: arrivedAt })]);
    expect(team.body.timeline).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'arrived_at_place_of_safety', by: 'police', eventAt: arrivedAt, district: 'LS1' })]));
    // The clock's warning (the 3-hour assessment overrun comes apart: shared/domain/overruns.ts).
    const warning = await runtime.outbox.waitFor((sms) => sms.phone === manager.phone && sms.body.includes(referral.reference) && sms.body.includes('clock'), 20_000);
    expect(warning.body).toMatch(/s136 clock expires .*\((6 h|5 h 59 min) left\)/);
  }, 40_000);

  it('refuses a second arrival: the period does not restart (s136(3))', async () => {
    const answer = await unchangedBy(referral.id, () => as('police', 'POST', events(referral.id), { type: 'arrived_at_place_of_safety', placeKind: 'health_based', postcode: 'LS1 4AP' }), 409);
    expect(answer.body.message).toMatch(/transfer/);
  });

  it('keeps the clock running across a transfer', async () => {
    const before = (await stored(referral.id)).clocks;
    const answer = await as(referral.amhp, 'POST', events(referral.id), { type: 'transferred', placeKind: 'emergency_department', postcode: 'LS9 7TF' });
    expect(answer.status).toBe(200);
    expect((await stored(referral.id)).clocks).toEqual(before);
    expect(answer.body.timeline).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'transferred', clockContinues: true, district: 'LS9' })]));
  });

  it('ends the clock on admission under s2, starting its 28 days; the ended clock warns no more', async () => {
    const answer = await as(referral.amhp, 'POST', events(referral.id), { type: 'admitted', section: 's2' });
    expect(answer.status).toBe(200);
    const clocks = answer.body.clocks as { kind: string; state: string; endedAt: string | null }[];
    expect(clocks.find((c) => c.kind === 's136')).toMatchObject({ state: 'ended' });
    expect(clocks.find((c) => c.kind === 's2')).toMatchObject({ state: 'running', startEvent: 'admitted' });
    expect(answer.body.timeline).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'clock_ended', clockKind: 's136', endReason: 'admitted' })]));
  });
});

describe('an ended clock', () => {
  it('sends none of the warnings planned before it ended', async () => {
    const referral = await accepted();
    // The 2-hour warning falls due in 5 seconds; the clock ends at once.
    const arrivedAt = new Date(Date.now() - 22 * HOUR + 5_000).toISOString();
    expect((await as('police', 'POST', events(referral.id), { type: 'arrived_at_place_of_safety', at: arrivedAt, placeKind: 'health_based', postcode: 'LS1 4AP' })).status).toBe(200);
    // The 6-hour warning is given at once (its threshold has passed); then the person is released.
    await runtime.outbox.waitFor((sms) => sms.phone === manager.phone && sms.body.includes(referral.reference) && sms.body.includes('clock'), 15_000);
    const released = await as('manager-dev', 'POST', events(referral.id), { type: 'released' });
    expect(released.status).toBe(200);
    expect(released.body.clocks).toEqual([expect.objectContaining({ kind: 's136', state: 'ended' })]);
    await new Promise((resolve) => setTimeout(resolve, 9_000));
    expect(runtime.outbox.list(manager.phone).filter((sms) => sms.body.includes(referral.reference) && sms.body.includes('clock'))).toHaveLength(1);
    expect((await stored(referral.id)).timeline.filter((e) => e.type === 'clock_warning').map((e) => e.hoursBefore)).toEqual([6]);
    expect((await as('manager-dev', 'POST', events(referral.id), { type: 'released' })).status).toBe(409);
  }, 45_000);
});

describe('a change of status', () => {
  it('runs s5(2) after s5(4) from the s5(4) record (s5(5)), from a v1 body with detentionStart', async () => {
    const recordMadeAt = new Date(Math.floor((Date.now() - 2 * HOUR) / 1000) * 1000).toISOString();
    const created = await as('police', 'POST', '/api/referrals', {
      channel: 'phone',
      callbackPhone: '07700 900202',
      currentLocation: { postcode: 'LS2 7UE' },
      legal: { status: 's5_4', detentionStart: recordMadeAt },
      urgency: 'immediate',
    });
    expect(created.status).toBe(202);
    const { id } = created.body as { id: string };
    for (let i = 0; i < 100 && !(await stored(id)).teamId; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await as('police', 'POST', events(id), { type: 'status_changed', status: 's5_2' })).status).toBe(403);
    const answer = await as('manager-dev', 'POST', events(id), { type: 'status_changed', status: 's5_2' });
    expect(answer.status).toBe(200);
    const clocks = answer.body.clocks as { kind: string; state: string; startedAt: string; expiresAt: string; startEvent: string }[];
    expect(clocks.find((c) => c.kind === 's5_4')).toMatchObject({ state: 'ended' });
    expect(clocks.find((c) => c.kind === 's5_2')).toMatchObject({ state: 'running', startEvent: 's5_4_record_made', startedAt: recordMadeAt, expiresAt: new Date(Date.parse(recordMadeAt) + 72 * HOUR).toISOString() });
  }, 30_000);
});

describe('a child', () => {
  it('is refused a police station as a place of safety, naming placeKind (s136A(1))', async () => {
    const referral = await accepted(webS136('2012-05-01'));
    // The page says U18, and nothing else about the child.
    expect(referral.page).toMatch(/s136, U18, LS1\./);
    expect(referral.page).not.toMatch(/2012|Events|Subject/);
    const answer = await unchangedBy(
      referral.id,
      () => as('police', 'POST', events(referral.id), { type: 'arrived_at_place_of_safety', placeKind: 'police_station', postcode: 'LS1 4AP', policeStationAuthorisedBy: 'Insp Lowe' }),
      400,
    );
    expect(answer).toMatchObject({ body: { issues: [{ path: 'placeKind', message: expect.stringMatching(/under 18/) }] } });
    expect(JSON.stringify(answer.body)).not.toMatch(/2012|Lowe|Events Subject/);
  }, 30_000);
});

describe('an s136B extension at a police station after a transfer', () => {
  const extension = (id: string) => `/api/referrals/${id}/clocks/s136/extension`;
  const doctor = { hours: 12, doctorName: 'Dr A. Khan', reason: 'person_condition' };

  /** Routed, paged, and its warning and overrun already due texted: nothing else will write it while the test compares versions. */
  async function settled(id: string) {
    await waitFor('the referral routed', async () => (await stored(id)).teamId);
    await drained(runtime, { timersDueBy: Date.now() + 1_000 });
  }

  /** An adult's s136 that began at a health-based place of safety `arrivedHoursAgo` hours ago, routed to the team. */
  async function atHealthBasedPlace(arrivedHoursAgo: number) {
    const arrivedAt = new Date(Math.floor((Date.now() - arrivedHoursAgo * HOUR) / 1000) * 1000).toISOString();
    const body = webS136();
    const created = await as('police', 'POST', '/api/referrals', {
      ...body,
      legal: { status: 's136', detainedAt: ago((arrivedHoursAgo + 1) * HOUR), placeOfSafety: { kind: 'health_based', arrivedAt } },
    });
    expect(created.status).toBe(202);
    const { id } = created.body as { id: string };
    await settled(id);
    return { id, arrivedAt };
  }

  let referral: { id: string; arrivedAt: string };

  beforeAll(async () => {
    referral = await atHealthBasedPlace(20);
  }, 30_000);

  it('moves the person to a police station only with the inspector who authorised it, and the clock continues from the first arrival (s136(2A), (3))', async () => {
    const move = { type: 'transferred', placeKind: 'police_station', postcode: 'LS1 4AP' };
    const refused = await unchangedBy(referral.id, () => as('police', 'POST', events(referral.id), move), 400);
    expect(refused).toMatchObject({ body: { issues: [{ path: 'policeStationAuthorisedBy', message: expect.stringMatching(/inspector/) }] } });

    const before = (await stored(referral.id)).clocks;
    const moved = await as('police', 'POST', events(referral.id), { ...move, policeStationAuthorisedBy: 'Insp Lowe' });
    expect(moved.status).toBe(200);
    const after = await stored(referral.id);
    expect(after.clocks).toEqual(before);
    expect(after.clocks).toEqual([
      expect.objectContaining({ kind: 's136', startedAt: referral.arrivedAt, expiresAt: new Date(Date.parse(referral.arrivedAt) + 24 * HOUR).toISOString() }),
    ]);
    expect(after.legal.placeOfSafety).toMatchObject({ kind: 'police_station', arrivedAt: referral.arrivedAt, policeStationAuthorisedBy: 'Insp Lowe' });
  });

  it('refuses an extension there without a superintendent\u2019s approval, saying why, and changes nothing (s136B(3))', async () => {
    const answer = await unchangedBy(referral.id, () => as('manager-dev', 'POST', extension(referral.id), doctor), 422);
    expect(answer.body).toMatchObject({ error: 'superintendent_required', message: expect.stringMatching(/superintendent.*s136B\(3\).*superintendentName/) });
  });

  it('still needs the doctor responsible for the examination and a lawful reason (s136B(1), (2))', async () => {
    const noDoctor = await unchangedBy(referral.id, () => as('manager-dev', 'POST', extension(referral.id), { hours: 12, reason: 'person_condition', superintendentName: 'Supt Reid' }), 400);
    expect(noDoctor.body.issues).toEqual([expect.objectContaining({ path: 'doctorName' })]);
    const noReason = await unchangedBy(referral.id, () => as('manager-dev', 'POST', extension(referral.id), { hours: 12, doctorName: 'Dr A. Khan', superintendentName: 'Supt Reid' }), 400);
    expect(noReason.body.issues).toEqual([expect.objectContaining({ path: 'reason' })]);
    const unlawful = await unchangedBy(referral.id, () => as('manager-dev', 'POST', extension(referral.id), { ...doctor, reason: 'doctor_unavailable', superintendentName: 'Supt Reid' }), 422);
    expect(unlawful.body).toMatchObject({ error: 'unlawful_reason', message: expect.stringMatching(/not a lawful reason/) });
  });

  it('with the superintendent\u2019s approval extends the clock by 12 hours from the first arrival\u2019s 24, once', async () => {
    const answer = await as('manager-dev', 'POST', extension(referral.id), { ...doctor, superintendentName: 'Supt Reid' });
    expect(answer.status).toBe(200);
    const expiresAt = new Date(Date.parse(referral.arrivedAt) + 36 * HOUR).toISOString();
    expect(answer.body.clocks).toEqual([expect.objectContaining({ kind: 's136', state: 'extended', startedAt: referral.arrivedAt, expiresAt })]);
    const { clocks, timeline } = await stored(referral.id);
    expect(clocks[0]?.extension).toMatchObject({ hours: 12, doctorName: 'Dr A. Khan', reason: 'person_condition', superintendentName: 'Supt Reid' });
    expect(timeline).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'clock_extended', clockKind: 's136', hours: 12, expiresAt, superintendentApproved: true })]));
    const again = await unchangedBy(referral.id, () => as('manager-dev', 'POST', extension(referral.id), { ...doctor, superintendentName: 'Supt Reid' }), 409);
    expect(again.body).toMatchObject({ error: 'already_extended' });
  });

  it('asks for the superintendent too when a v1 referral gave only detentionStart, the person at a police station', async () => {
    const body = webS136();
    const created = await as('police', 'POST', '/api/referrals', {
      ...body,
      subject: { ...body.subject, currentLocation: { kind: 'police_station', postcode: 'LS1 4AP' } },
      legal: { status: 's136', detentionStart: ago(20 * HOUR) },
    });
    expect(created.status).toBe(202);
    const { id } = created.body as { id: string };
    await settled(id);
    const refused = await unchangedBy(id, () => as('manager-dev', 'POST', extension(id), doctor), 422);
    expect(refused.body).toMatchObject({ error: 'superintendent_required' });
    expect((await as('manager-dev', 'POST', extension(id), { ...doctor, superintendentName: 'Supt Reid' })).status).toBe(200);
  }, 30_000);

  it('refuses one asked for after the 24 hours ended, though the transfer came in time (s136B(1): before the expiry)', async () => {
    const late = await atHealthBasedPlace(25);
    const movedAt = new Date(Date.parse(late.arrivedAt) + 23 * HOUR).toISOString();
    const moved = await as('police', 'POST', events(late.id), { type: 'transferred', at: movedAt, placeKind: 'police_station', postcode: 'LS1 4AP', policeStationAuthorisedBy: 'Insp Lowe' });
    expect(moved.status).toBe(200);
    const answer = await unchangedBy(late.id, () => as('manager-dev', 'POST', extension(late.id), { ...doctor, superintendentName: 'Supt Reid' }), 409);
    expect(answer.body).toMatchObject({ error: 'expired', message: expect.stringMatching(/before the 24 hours end/) });
  }, 30_000);
});
