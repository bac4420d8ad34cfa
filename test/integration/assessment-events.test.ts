import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { localApi, localToken } from '../support/local-api.ts';

/**
 * After the accept, on the emulators: the AMHP records the night's work through
 * `POST /api/referrals/{id}/events` (attending, doctors, assessment, decision, bed, conveyance,
 * admission), the view's stage, stageSince and delays follow, the s136 clock ends on admission,
 * and refusals (out of order, the nearest relative's objection, the referrer) change nothing.
 */

let runtime: LocalRuntime;
const api = localApi(() => runtime.url);
const tokens = new Map<string, string>();
const token = async (username: string) => tokens.get(username) ?? tokens.set(username, await localToken(runtime.url, username)).get(username)!;
const as = async (username: string, method: string, path: string, body?: unknown) => api(method, path, await token(username), body);
const MINUTE = 60_000;
const ago = (minutes: number) => new Date(Date.now() - minutes * MINUTE).toISOString();

const arrivedS136 = () => ({
  referrer: { name: 'PC Sam Hill', kind: 'police', organisation: 'West Yorkshire Police', phone: '07700 900202', policeForce: 'West Yorkshire Police', collarNumber: 'WY1234' },
  subject: { givenName: 'Stages', familyName: 'Subject', dateOfBirth: '1980-01-01', nhsNumberUnknownReason: 'not known', currentLocation: { kind: 'place_of_safety', postcode: 'LS1 4AP' } },
  legal: { status: 's136', placeOfSafety: { kind: 'health_based', arrivedAt: ago(200) } },
  reason: 'assessment events integration test',
  risks: [],
  urgency: 'immediate',
});

async function accepted() {
  const created = await as('police', 'POST', '/api/referrals', arrivedS136());
  expect(created.status).toBe(202);
  const { id, reference } = created.body as { id: string; reference: string };
  const page = await runtime.outbox.waitFor((sms) => sms.direction === 'outbound' && sms.body.includes(reference), 15_000);
  const amhp = (await runtime.deps.directory.staffByPhone(page.phone))?.id ?? '';
  expect((await as(amhp, 'POST', `/api/referrals/${id}/accept`)).status).toBe(200);
  return { id, amhp };
}

const events = (id: string) => `/api/referrals/${id}/events`;
const stored = async (id: string) => (await runtime.deps.referrals.get(id))!;

async function unchangedBy(id: string, attempt: () => Promise<{ status: number; body: unknown }>, status: number) {
  const before = await stored(id);
  const answer = await attempt();
  expect(answer.status).toBe(status);
  const after = await stored(id);
  expect({ version: after.version, timeline: after.timeline.length }).toEqual({ version: before.version, timeline: before.timeline.length });
  return answer;
}

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, seed: true });
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
});

describe('from accept to admission', () => {
  let referral: { id: string; amhp: string };

  beforeAll(async () => {
    referral = await accepted();
  }, 30_000);

  it('starts at the accept', async () => {
    const view = await as('manager-dev', 'GET', `/api/referrals/${referral.id}`);
    expect(view.body).toMatchObject({ stage: 'accepted', delays: [] });
  });

  it('refuses a decision before the assessment, and the referrer recording the team\'s work, changing nothing', async () => {
    const early = await unchangedBy(referral.id, () => as(referral.amhp, 'POST', events(referral.id), { type: 'decision', outcome: 'application_s2' }), 409);
    expect(early.body).toMatchObject({ error: 'assessment_not_started', message: expect.stringContaining('s13(2)') });
    await unchangedBy(referral.id, () => as('police', 'POST', events(referral.id), { type: 'attending' }), 403);
  });

  it('follows each event with the stage and the delays, and ends the s136 clock on admission', async () => {
    // Each event a few milliseconds after the one before, all after the accept and none in the future.
    const acceptedAt = Date.parse((await stored(referral.id)).timeline.findLast((entry) => entry.type === 'accepted')!.at);
    const step = (n: number) => new Date(acceptedAt + n * 10).toISOString();
    const steps: [Record<string, unknown>, string][] = [
      [{ type: 'referrer_contacted', at: step(1) }, 'referrer_contacted'],
      [{ type: 'attending', at: step(2), etaMinutes: 25 }, 'attending'],
      [{ type: 'doctor_requested', at: step(3), role: 's12' }, 'awaiting_doctors'],
      [{ type: 'delay_started', at: step(4), reason: 's12_doctor' }, 'awaiting_doctors'],
      [{ type: 'doctor_arrived', at: step(5), role: 's12' }, 'awaiting_doctors'],
      [{ type: 'delay_ended', at: step(6), reason: 's12_doctor' }, 'awaiting_doctors'],
      [{ type: 'assessment_started', at: step(7) }, 'assessing'],
      [{ type: 'relative_consulted', at: step(8), role: 'nearest_relative', action: 'informed' }, 'assessing'],
      [{ type: 'decision', at: step(9), outcome: 'application_s2' }, 'decided'],
      [{ type: 'bed_requested', at: step(10) }, 'finding_bed'],
      [{ type: 'delay_started', at: step(11), reason: 'bed' }, 'finding_bed'],
      [{ type: 'bed_identified', at: step(12) }, 'bed_identified'],
      [{ type: 'conveyance_requested', at: step(13), by: 'ambulance' }, 'awaiting_conveyance'],
      [{ type: 'conveyed', at: step(14) }, 'conveyed'],
      [{ type: 'admitted', at: step(15), section: 's2' }, 'admitted'],
    ];
    for (const [body, stage] of steps) {
      const answer = await as(referral.amhp, 'POST', events(referral.id), body);
      expect(answer.status, `${String(body.type)}: ${JSON.stringify(answer.body)}`).toBe(200);
      expect(answer.body.stage, String(body.type)).toBe(stage);
    }
    const view = await as('manager-dev', 'GET', `/api/referrals/${referral.id}`);
    expect(view.body).toMatchObject({ stage: 'admitted', stageSince: step(15) });
    expect(view.body.delays).toEqual([
      { reason: 's12_doctor', startedAt: step(4), endedAt: step(6) },
      { reason: 'bed', startedAt: step(11) },
    ]);
    const clocks = view.body.clocks as { kind: string; state: string; endedAt?: string }[];
    expect(clocks.find((clock) => clock.kind === 's136')).toMatchObject({ state: 'ended', endedAt: step(15) });
    expect(clocks.find((clock) => clock.kind === 's2')).toMatchObject({ state: 'running' });
    expect(view.body.timeline).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'doctor_arrived', role: 's12', by: referral.amhp, eventAt: step(5) })]));
  });
});

describe('the nearest relative objects to an s3 application (MHA 1983 s11(4))', () => {
  it('refuses the s3 decision with the reason, and accepts an s2 one', async () => {
    const { id, amhp } = await accepted();
    for (const body of [{ type: 'assessment_started' }, { type: 'relative_consulted', role: 'nearest_relative', action: 'objected' }]) {
      expect((await as(amhp, 'POST', events(id), body)).status).toBe(200);
    }
    const refused = await unchangedBy(id, () => as('manager-dev', 'POST', events(id), { type: 'decision', outcome: 'application_s3' }), 409);
    expect(refused.body).toMatchObject({ error: 'nearest_relative_objected', message: expect.stringContaining('s11(4)') });
    expect((await as(amhp, 'POST', events(id), { type: 'decision', outcome: 'application_s2' })).body).toMatchObject({ stage: 'decided' });
  }, 30_000);
});
