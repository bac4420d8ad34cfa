import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { DEMO_TEAM_ID } from '../../infra/local/seed.ts';
import { submittedAndAccepted } from '../support/accepted.ts';
import { localApi, localToken } from '../support/local-api.ts';

/**
 * The assessment figures on the emulators (issue 13 part 6): an s136 from the accept through
 * the arrival, attending, the doctor (waited for), the assessment, the decision, a bed (waited
 * for), the conveyance and the admission, whose clocks must end as the Act says; and an under-18's
 * s136 that had already run out at an emergency department when it was referred. Then the
 * dashboard's figures, the page and the CSV must count exactly these, and carry nothing that
 * identifies either person.
 */

let runtime: LocalRuntime;
const api = localApi(() => runtime.url);
const tokens = new Map<string, string>();
const token = async (username: string) => tokens.get(username) ?? tokens.set(username, await localToken(runtime.url, username)).get(username)!;
const as = async (username: string, method: string, path: string, body?: unknown) => api(method, path, await token(username), body);
const MIN = 60_000;
// Whole minutes, so every duration below is exact.
const base = Math.floor(Date.now() / MIN) * MIN;
const ago = (minutes: number) => new Date(base - minutes * MIN).toISOString();

const people = [
  { givenName: 'Ottoline', familyName: 'Quarrington', dateOfBirth: '1977-03-14', nhsNumber: '943 476 5919', home: '12 Wisteria Gardens, Leeds', reason: 'Standing on the parapet of the Calder bridge shouting at traffic' },
  { givenName: 'Peregrine', familyName: 'Vandermeulen', dateOfBirth: `${new Date().getUTCFullYear() - 15}-05-20`, nhsNumber: undefined, home: '3 Foxglove Court, Leeds', reason: 'Found wandering on the ring road in a distressed state' },
];
const identifiers = people.flatMap((p) => [p.givenName, p.familyName, p.dateOfBirth, p.home, p.reason, ...(p.nhsNumber ? [p.nhsNumber, p.nhsNumber.replaceAll(' ', '')] : [])]);

function s136Body(person: (typeof people)[number], legal: Record<string, unknown>) {
  return {
    referrer: { name: 'PC Sam Hill', kind: 'police', organisation: 'West Yorkshire Police', phone: '07700 900202', policeForce: 'West Yorkshire Police', collarNumber: 'WY1234' },
    subject: {
      givenName: person.givenName,
      familyName: person.familyName,
      dateOfBirth: person.dateOfBirth,
      ...(person.nhsNumber ? { nhsNumber: person.nhsNumber } : { nhsNumberUnknownReason: 'not known' }),
      homeAddress: person.home,
      currentLocation: { kind: 'public_place', postcode: 'LS1 4AP' },
    },
    legal: { status: 's136', ...legal },
    reason: person.reason,
    risks: [],
    urgency: 'immediate',
  };
}

const accepted = (body: unknown) => submittedAndAccepted(runtime, as, body);

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, seed: true });
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
});

describe('an s136 night, then its figures', () => {
  let admitted: Awaited<ReturnType<typeof accepted>>;
  let expired: Awaited<ReturnType<typeof accepted>>;

  beforeAll(async () => {
    admitted = await accepted(s136Body(people[0]!, { detainedAt: ago(260) }));
    expired = await accepted(s136Body(people[1]!, { placeOfSafety: { kind: 'emergency_department', arrivedAt: ago(26 * 60) } }));
  }, 60_000);

  it('records the night from accept to admission, and the admission ends the s136 clock and starts s2', async () => {
    const record = async (body: Record<string, unknown>, who = admitted.amhp) => {
      const answer = await as(who, 'POST', `/api/referrals/${admitted.id}/events`, body);
      expect(answer, `${String(body.type)} recorded`).toMatchObject({ status: 200 });
      return answer.body;
    };
    await record({ type: 'arrived_at_place_of_safety', at: ago(240), placeKind: 'health_based', postcode: 'LS1 4AP' }, 'police');
    await record({ type: 'attending', at: ago(230), etaMinutes: 20 });
    await record({ type: 'doctor_requested', at: ago(220), role: 's12' });
    await record({ type: 'delay_started', at: ago(215), reason: 's12_doctor' });
    await record({ type: 'doctor_arrived', at: ago(185), role: 's12' });
    await record({ type: 'delay_ended', at: ago(185), reason: 's12_doctor' });
    await record({ type: 'assessment_started', at: ago(180) });
    await record({ type: 'decision', at: ago(150), outcome: 'application_s2' });
    await record({ type: 'bed_requested', at: ago(145) });
    await record({ type: 'delay_started', at: ago(145), reason: 'bed' });
    await record({ type: 'bed_identified', at: ago(100) });
    await record({ type: 'delay_ended', at: ago(100), reason: 'bed' });
    await record({ type: 'conveyance_requested', at: ago(95), by: 'ambulance' });
    await record({ type: 'conveyed', at: ago(60) });
    const view = await record({ type: 'admitted', at: ago(50), section: 's2' });
    expect(view.clocks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 's136', state: 'ended', startedAt: new Date(ago(240)).toISOString(), endedAt: ago(50) }),
        expect.objectContaining({ kind: 's2', state: 'running', startEvent: 'admitted' }),
      ]),
    );
    expect(view).toMatchObject({ stage: 'admitted', delays: [{ reason: 's12_doctor', until: ago(185) }, { reason: 'bed', until: ago(100) }] });
    const other = (await as(expired.amhp, 'GET', `/api/referrals/${expired.id}`)).body;
    expect(other.clocks).toEqual([expect.objectContaining({ kind: 's136', state: 'expired' })]);
  });

  it('the dashboard counts the night: times from arrival, the 3-hour standard, hours lost, the clock run out', async () => {
    const { status, body } = await as('manager-dev', 'GET', `/api/dashboard?teamId=${DEMO_TEAM_ID}`);
    expect(status).toBe(200);
    const figures = body.statistics.assessment;
    expect(figures.overall).toMatchObject({
      referrals: 2,
      arrived: 2,
      arrivalToAssessment: { count: 1, p50: 60 * 60, max: 60 * 60 },
      withinStandard: { met: 1, counted: 2, share: 0.5 },
      arrivalToDecision: { count: 1, p50: 90 * 60 },
      arrivalToAdmission: { count: 1, p50: 190 * 60 },
      hoursLost: { s12_doctor: 0.5, bed: 0.75, ambulance: 0 },
      delayedReferrals: 1,
      breaches: { clocks: 1, referrals: 1, beforeReferral: 1, byKind: { s136: 1 } },
      s136bExtensions: { count: 0 },
      policeStation: { referrals: 0 },
      under18: { referrals: 1, atPoliceStation: 0 },
      admitted: 1,
    });
    expect(figures.byLegalStatus).toEqual([expect.objectContaining({ legalStatus: 's136', referrals: 2, admitted: 1, outcomes: expect.objectContaining({ application_s2: 1, none: 1 }) })]);
    expect(figures.policePowers.rows).toEqual(
      expect.arrayContaining([
        { place: 'health_based', under18: 0, adult: 1, notKnown: 0, total: 1 },
        { place: 'emergency_department', under18: 1, adult: 0, notKnown: 0, total: 1 },
      ]),
    );
    expect(figures.headline).toMatchObject({ assessments: 1, decisions: 1, applications: { s2: 1, total: 1 }, delayedForBed: 1, delayedForDoctor: 1 });
    expect(figures.byAmhp.map((g: { key: string }) => g.key).sort()).toEqual([admitted.amhp, expired.amhp].sort());
    // Admitted under s2, the first is still an s136 referral in the response-time figures too.
    expect(body.statistics.s136.overall.referrals).toBe(2);
    expect(JSON.stringify(body.statistics)).not.toMatch(new RegExp(identifiers.map((i) => i.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'i'));
  });

  it('shows the figures on the response-times page and downloads them as CSV, with nothing about either person', async () => {
    const manager = await token('manager-dev');
    const page = await fetch(`${runtime.url}/manage/response-times`, { headers: { cookie: `dutyline_session=${manager}` } });
    const html = await page.text();
    expect(page.status).toBe(200);
    for (const id of ['arrival-times', 'hours-lost', 'home-office-s136', 'outcomes-by-status', 'arrival-by-team', 'chart-hours-lost', 'chart-home-office']) expect(html).toContain(`id="${id}"`);
    expect(html).toMatch(/id="arrival-assessment-p50">1 h 00 min</);
    expect(html).toMatch(/id="within-3h">50%/);
    const csv = await fetch(`${runtime.url}/manage/response-times?format=figures-csv`, { headers: { cookie: `dutyline_session=${manager}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="assessment-figures-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = await csv.text();
    expect(text.split('\r\n')).toEqual(expect.arrayContaining(['all,all,All referrals,arrival_to_assessment_p50_s,3600', 'all,all,All referrals,hours_lost_bed,0.75', 'home_office_s136,emergency_department,emergency_department,under_18,1']));
    const pattern = new RegExp(identifiers.map((i) => i.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'i');
    expect(html).not.toMatch(pattern);
    expect(text).not.toMatch(pattern);
    // The check can fail: the referral's own details do hold them.
    expect(JSON.stringify(await runtime.deps.referrals.getDetails(admitted.id))).toMatch(pattern);
  });
});
