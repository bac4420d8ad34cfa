import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { DEMO_TEAM_ID, demoStaff } from '../../infra/local/seed.ts';
import { localApi, localToken } from '../support/local-api.ts';

/**
 * Overruns on the emulators (issue 13 part 3): an s136 not assessed 3 h after arrival texts the
 * manager on duty once, at once when it was already overdue at intake; a decision to admit with
 * no bed after the team's time texts the manager and the team's bed manager, found by the
 * reconciler once the functions' clock is moved past it. Each is on the timeline and the board.
 */

let runtime: LocalRuntime;
let offsetMs = 0;
const api = localApi(() => runtime.url);
const as = async (username: string, method: string, path: string, body?: unknown) => api(method, path, await localToken(runtime.url, username), body);
const manager = demoStaff.find((s) => s.id === 'manager-dev')!;
const BED_MANAGER = '+447700900777';
const MINUTE = 60_000;
const ago = (minutes: number) => new Date(Date.now() - minutes * MINUTE).toISOString();

const s136 = (arrivedMinutesAgo: number) => ({
  referrer: { name: 'PC Sam Hill', kind: 'police', organisation: 'West Yorkshire Police', phone: '07700 900202', policeForce: 'West Yorkshire Police', collarNumber: 'WY1234' },
  subject: { givenName: 'Overrun', familyName: 'Subject', dateOfBirth: '1980-01-01', nhsNumberUnknownReason: 'not known', currentLocation: { kind: 'place_of_safety', postcode: 'LS1 4AP' } },
  legal: { status: 's136', placeOfSafety: { kind: 'health_based', arrivedAt: ago(arrivedMinutesAgo) } },
  reason: 'overrun integration test',
  risks: [],
  urgency: 'immediate',
});

const overrunTexts = (reference: string, phone: string) => runtime.outbox.list(phone).filter((sms) => sms.direction === 'outbound' && sms.body.includes(reference) && /not started|no bed/.test(sms.body));

async function submitted(arrivedMinutesAgo: number) {
  const created = await as('police', 'POST', '/api/referrals', s136(arrivedMinutesAgo));
  expect(created.status).toBe(202);
  return created.body as { id: string; reference: string };
}

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, seed: true, now: () => new Date(Date.now() + offsetMs) });
  const team = (await runtime.deps.directory.getTeam(DEMO_TEAM_ID))!;
  await runtime.deps.directory.putTeam({ ...team, bedManagerPhone: BED_MANAGER, overruns: { bedMinutes: 30 } });
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
});

describe('an s136 not assessed 3 h after arrival', () => {
  it('texts the manager on duty once, with no personal data, and records it', async () => {
    const { id, reference } = await submitted(200);
    const text = await runtime.outbox.waitFor((sms) => sms.phone === manager.phone && sms.body.includes(reference) && sms.body.includes('not started'), 15_000);
    expect(text.body).toMatch(/^dutyline EDT-[\w-]+: s136 assessment not started 3 h after arrival at the place of safety \(arrived \d\d:\d\d/);
    expect(text.body).not.toMatch(/Overrun|Subject|LS1 4AP|1980/);
    await runtime.runScheduled('reconciler');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(overrunTexts(reference, manager.phone)).toHaveLength(1);
    const stored = (await runtime.deps.referrals.get(id))!;
    expect(stored.timeline.filter((entry) => entry.type === 'overrun_alerted')).toEqual([expect.objectContaining({ overrun: 'assessment_not_started' })]);
  }, 30_000);

  it('says nothing for one that arrived an hour ago', async () => {
    const { reference } = await submitted(60);
    await runtime.outbox.waitFor((sms) => sms.body.includes(reference), 15_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(overrunTexts(reference, manager.phone)).toEqual([]);
  }, 30_000);
});

describe('a decision to admit with no bed after the team\'s time', () => {
  it('texts the manager and the bed manager once the time has passed, and shows on the board', async () => {
    const { id, reference } = await submitted(30);
    const page = await runtime.outbox.waitFor((sms) => sms.direction === 'outbound' && sms.body.includes(reference) && sms.body.includes('/a/'), 15_000);
    const amhp = (await runtime.deps.directory.staffByPhone(page.phone))!.id;
    expect((await as(amhp, 'POST', `/api/referrals/${id}/accept`)).status).toBe(200);
    for (const body of [{ type: 'attending' }, { type: 'assessment_started' }, { type: 'decision', outcome: 'application_s2' }, { type: 'bed_requested' }]) {
      expect((await as(amhp, 'POST', `/api/referrals/${id}/events`, body)).status).toBe(200);
    }
    const decision = (await runtime.deps.referrals.get(id))!.timeline.find((entry) => entry.type === 'decision')!;
    expect(Date.parse(String(decision.overrunAt)) - Date.parse(String(decision.eventAt))).toBe(30 * MINUTE);
    expect(overrunTexts(reference, BED_MANAGER)).toEqual([]);

    // 32 minutes on: the timer SQS holds is not due for real yet, so the reconciler finds the overrun and arms it now.
    offsetMs = 32 * MINUTE;
    await runtime.runScheduled('reconciler');
    await runtime.outbox.waitFor((sms) => sms.phone === BED_MANAGER && sms.body.includes(reference), 15_000);
    expect(overrunTexts(reference, manager.phone).filter((sms) => sms.body.includes('no bed'))).toHaveLength(1);
    const board = await as('manager-dev', 'GET', `/api/dashboard?teamId=${DEMO_TEAM_ID}`);
    const row = (board.body.open as { id: string; overruns?: { kind: string }[] }[]).find((open) => open.id === id);
    expect(row?.overruns).toEqual([expect.objectContaining({ kind: 'no_bed' })]);
  }, 40_000);
});
