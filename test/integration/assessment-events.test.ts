import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { submittedAndAccepted } from '../support/accepted.ts';
import { localApi, localToken } from '../support/local-api.ts';

/**
 * The night after the accept, on the emulators (`POST /api/referrals/{id}/events`): a police s136,
 * accepted, the arrival, the AMHP on the way, the s12 doctor asked for by text and waited for,
 * the assessment, the decision, a bed, the ambulance and the admission that ends the s136 clock;
 * the view's stage, stageSince and delays at the end; and the refusals, which change nothing.
 */

let runtime: LocalRuntime;
const api = localApi(() => runtime.url);
const tokens = new Map<string, string>();
const token = async (username: string) => tokens.get(username) ?? tokens.set(username, await localToken(runtime.url, username)).get(username)!;
const as = async (username: string, method: string, path: string, body?: unknown) => api(method, path, await token(username), body);
const MIN = 60_000;
const ago = (minutes: number) => new Date(Date.now() - minutes * MIN).toISOString();

const webS136 = () => ({
  referrer: { name: 'PC Sam Hill', kind: 'police', organisation: 'West Yorkshire Police', phone: '07700 900202', policeForce: 'West Yorkshire Police', collarNumber: 'WY1234' },
  subject: { givenName: 'Stages', familyName: 'Subject', dateOfBirth: '1980-01-01', nhsNumberUnknownReason: 'not known', currentLocation: { kind: 'public_place', postcode: 'LS1 4AP' } },
  legal: { status: 's136', detainedAt: ago(200) },
  reason: 'assessment events integration test',
  risks: [],
  urgency: 'immediate',
});

const accepted = () => submittedAndAccepted(runtime, as, webS136());

const events = (id: string) => `/api/referrals/${id}/events`;
const stored = async (id: string) => (await runtime.deps.referrals.get(id))!;

/** A refusal leaves the referral as it was: same version and timeline. */
async function refused(id: string, username: string, body: Record<string, unknown>, status = 409) {
  const before = await stored(id);
  const answer = await as(username, 'POST', events(id), body);
  expect(answer.status).toBe(status);
  const after = await stored(id);
  expect({ version: after.version, timeline: after.timeline.length }).toEqual({ version: before.version, timeline: before.timeline.length });
  return answer.body;
}

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, seed: true });
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
});

describe('an s136 from accept to admission', () => {
  let referral: Awaited<ReturnType<typeof accepted>>;
  const record = async (body: Record<string, unknown>) => {
    const answer = await as(referral.amhp, 'POST', events(referral.id), body);
    expect(answer, `${String(body.type)} recorded`).toMatchObject({ status: 200 });
    return answer.body;
  };

  beforeAll(async () => {
    referral = await accepted();
  }, 30_000);

  it('starts at the accept, with no delays', async () => {
    const view = await as('manager-dev', 'GET', `/api/referrals/${referral.id}`);
    expect(view.body).toMatchObject({ stage: 'accepted', delays: [] });
  });

  it('refuses the steps out of order, and changes nothing', async () => {
    expect(await refused(referral.id, referral.amhp, { type: 'assessment_started' })).toMatchObject({ error: 'not_attending', message: expect.stringMatching(/attending first/) });
    expect(await refused(referral.id, referral.amhp, { type: 'decision', outcome: 'application_s2' })).toMatchObject({ error: 'not_started' });
    expect(await refused(referral.id, referral.amhp, { type: 'conveyed' })).toMatchObject({ error: 'not_requested' });
    expect(await refused(referral.id, referral.amhp, { type: 'delay_ended', reason: 'bed' })).toMatchObject({ error: 'no_open_delay' });
    expect(await refused(referral.id, referral.amhp, { type: 'decision', outcome: 'sectioned' }, 400)).toMatchObject({ issues: [{ path: 'outcome' }] });
    await refused(referral.id, 'police', { type: 'attending' }, 403);
  });

  it('follows the night from the arrival to the admission', async () => {
    await as('police', 'POST', events(referral.id), { type: 'arrived_at_place_of_safety', at: ago(150), placeKind: 'health_based', postcode: 'LS1 4AP' }).then((a) => expect(a.status).toBe(200));
    expect(await record({ type: 'referrer_contacted', at: ago(145) })).toMatchObject({ stage: 'referrer_contacted' });
    const attendingAt = ago(140);
    expect(await record({ type: 'attending', at: attendingAt, etaMinutes: 30 })).toMatchObject({ stage: 'attending', stageSince: attendingAt });

    await record({ type: 'doctor_requested', at: ago(110), role: 's12' });
    await record({ type: 'delay_started', at: ago(100), reason: 's12_doctor' });
    expect(await refused(referral.id, referral.amhp, { type: 'delay_started', reason: 's12_doctor' })).toMatchObject({ error: 'delay_open' });
    await record({ type: 'doctor_arrived', at: ago(80), role: 's12' });
    await record({ type: 'delay_ended', at: ago(80), reason: 's12_doctor' });
    await record({ type: 'assessment_started', at: ago(75) });
    await record({ type: 'decision', at: ago(50), outcome: 'application_s2' });
    await record({ type: 'bed_requested', at: ago(45) });
    await record({ type: 'bed_identified', at: ago(30) });
    expect(await refused(referral.id, referral.amhp, { type: 'conveyed', at: ago(25) })).toMatchObject({ error: 'not_requested' });
    await record({ type: 'conveyance_requested', at: ago(25), by: 'ambulance' });

    // The AMHP texts the last steps as they happen: conveyed, then admitted (under the section the decision applied for).
    const code = referral.reference.slice(4, 8);
    const text = async (body: string, answer: string) => {
      const sent = await fetch(`${runtime.url}/local/sms/inbound`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: referral.phone, body }) });
      expect(sent.status).toBe(202);
      const reply = await runtime.outbox.waitFor((sms) => sms.direction === 'outbound' && sms.phone === referral.phone && sms.body.includes(answer), 10_000);
      expect(reply.body).toBe(`dutyline ${referral.reference}: ${answer}.`);
    };
    await text(`CONVEYED ${code}`, 'recorded: Conveyed to hospital');
    expect((await stored(referral.id)).timeline.at(-1)).toMatchObject({ type: 'conveyed', via: 'sms', by: referral.amhp });
    await text(`ADMITTED ${code}`, 'recorded: admitted under s2');
    const admitted = (await as(referral.amhp, 'GET', `/api/referrals/${referral.id}`)).body;
    const admittedAt = (admitted.timeline as { type: string; eventAt?: string }[]).findLast((entry) => entry.type === 'admitted')?.eventAt;
    expect(admittedAt).toEqual(expect.any(String));

    // The admission ends the place of safety period and starts s2's 28 days (MHA 1983 s2(4)).
    expect(admitted.clocks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 's136', state: 'ended', endedAt: admittedAt }),
        expect.objectContaining({ kind: 's2', state: 'running' }),
      ]),
    );
    const view = (await as('manager-dev', 'GET', `/api/referrals/${referral.id}`)).body;
    const s136 = (view.clocks as { kind: string; endedAt: string }[]).find((clock) => clock.kind === 's136');
    const admission = (view.timeline as { type: string; eventAt?: string }[]).findLast((entry) => entry.type === 'admitted');
    expect(s136?.endedAt).toBe(admission?.eventAt);
    expect(view).toMatchObject({ stage: 'admitted', stageSince: admittedAt });
    const delayed = (view.timeline as { type: string; eventAt?: string }[]).filter((entry) => entry.type.startsWith('delay_')).map((entry) => entry.eventAt);
    expect(view.delays).toEqual([{ reason: 's12_doctor', since: delayed[0], until: delayed[1] }]);
    expect(view.timeline.filter((e: { type: string }) => ['attending', 'decision', 'conveyed'].includes(e.type))).toEqual([
      expect.objectContaining({ type: 'attending', by: expect.any(String), eventAt: expect.any(String), etaMinutes: 30 }),
      expect.objectContaining({ type: 'decision', outcome: 'application_s2' }),
      expect.objectContaining({ type: 'conveyed' }),
    ]);
  });

  it('tells the referrer in plain words, without the decision', async () => {
    const view = (await as('police', 'GET', `/api/referrals/${referral.id}`)).body;
    expect(view.headline).toBe('Accepted. The person has been admitted to hospital.');
    expect(JSON.stringify(view.timeline)).not.toMatch(/application_s2|s12|delay/);
  });
});

describe('an s3 after the nearest relative objected', () => {
  it('is refused with the reason, citing s11(4); an s2 is not', async () => {
    const referral = await accepted();
    const record = (body: Record<string, unknown>) => as(referral.amhp, 'POST', events(referral.id), body);
    expect((await record({ type: 'attending', at: ago(60) })).status).toBe(200);
    expect((await record({ type: 'assessment_started', at: ago(40) })).status).toBe(200);
    expect((await record({ type: 'relative_consulted', at: ago(30), role: 'nearest_relative', action: 'objected' })).status).toBe(200);
    const answer = await refused(referral.id, referral.amhp, { type: 'decision', outcome: 'application_s3' });
    expect(answer).toMatchObject({ error: 'nearest_relative_objected', message: expect.stringContaining('MHA 1983 s11(4)') });
    expect(JSON.stringify(answer)).not.toMatch(/Stages|Subject|1980/);
    expect((await record({ type: 'decision', outcome: 'application_s2' })).status).toBe(200);
  }, 30_000);
});
