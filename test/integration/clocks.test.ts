import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { demoReferrers, demoStaff } from '../../infra/local/seed.ts';
import { localToken } from '../support/local-api.ts';

/** Statutory clocks on the emulators: the manager's warnings and the s136B extension. */

let runtime: LocalRuntime;
const manager = demoStaff.find((s) => s.id === 'manager-dev')!;
/** The demo team's own fallback phone (infra/local/demo/team.json). */
const LEEDS_FALLBACK = '+447700900199';

const login = (username: string): Promise<string> => localToken(runtime.url, username);

async function post(path: string, token: string, body: unknown) {
  const response = await fetch(`${runtime.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { clocks?: { expiresAt: string }[] } };
}

function phoneReferral(status: string, detentionStart: Date) {
  return {
    channel: 'phone',
    callbackPhone: demoReferrers[1].phone,
    currentLocation: { postcode: 'LS2 7UE' },
    legal: { status, detentionStart: detentionStart.toISOString() },
    urgency: 'immediate',
  };
}

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, seed: true });
});

afterAll(async () => {
  await runtime?.stop();
});

describe('statutory clocks', () => {
  it('warns the manager on duty at once (T−6 h has passed) and again at T−2 h for an s5(4) nearly four hours in', async () => {
    const token = await login('police');
    // Detained 4 h minus 6 s ago: T−6 h has passed, T−2 h comes in 6 seconds.
    const start = new Date(Date.now() - 4 * 3_600_000 + 6_000);
    const { status, body } = await post('/api/referrals', token, phoneReferral('s5_4', start));
    expect(status).toBe(202);
    const reference = String(body.reference);
    const first = await runtime.outbox.waitFor((sms) => sms.phone === manager.phone && sms.body.includes(reference), 10_000);
    expect(first.body).toMatch(/s5\(4\) clock expires .* \((2 h|1 h 59 min) left\)\. Referral NOT YET ACCEPTED/);
    const warned = async () => {
      // Clock warnings are the team's record: the referrer's view does not list them (issue 15).
      const response = await fetch(`${runtime.url}/api/referrals/${String(body.id)}`, { headers: { authorization: `Bearer ${await login(manager.id)}` } });
      const { timeline } = (await response.json()) as { timeline: { type: string; hoursBefore?: number }[] };
      return timeline.filter((e) => e.type === 'clock_warning').map((e) => e.hoursBefore);
    };
    expect(await warned()).toEqual([6]);
    await runtime.outbox.waitFor((sms) => sms.phone === manager.phone && sms.body.includes(reference) && sms !== first, 12_000);
    expect(await warned()).toEqual([6, 2]);
    // Each warning once, even though timers can be delivered twice.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(runtime.outbox.list(manager.phone).filter((sms) => sms.body.includes(reference))).toHaveLength(2);
  });

  it('at expiry texts the manager, the accepting AMHP and the fallback that the clock has run out, once each', async () => {
    const police = await login('police');
    // The s5(4) record was made 6 h less 12 s ago: the clock runs out in 12 seconds.
    const start = new Date(Date.now() - 6 * 3_600_000 + 12_000);
    const { body } = await post('/api/referrals', police, phoneReferral('s5_4', start));
    const reference = String(body.reference);
    const page = await runtime.outbox.waitFor((sms) => sms.direction === 'outbound' && sms.body.includes(reference) && sms.body.includes('Reply 1'), 10_000);
    const amhp = demoStaff.find((staff) => staff.phone === page.phone)!;
    expect((await post(`/api/referrals/${String(body.id)}/accept`, await login(amhp.id), {})).status).toBe(200);
    const expired = (phone: string) => runtime.outbox.waitFor((sms) => sms.phone === phone && sms.body.includes(reference) && sms.body.includes('EXPIRED'), 25_000);
    const [toManager, toAmhp, toFallback] = await Promise.all([expired(manager.phone), expired(amhp.phone), expired(LEEDS_FALLBACK)]);
    for (const sms of [toManager, toAmhp, toFallback]) expect(sms.body).toMatch(/s5\(4\) clock EXPIRED at .* ago\)\. Detention past it is unlawful: act now\. Referral accepted/);
    const view = await fetch(`${runtime.url}/api/referrals/${String(body.id)}`, { headers: { authorization: `Bearer ${await login(manager.id)}` } });
    const { timeline, clocks } = (await view.json()) as { timeline: { type: string; hoursBefore?: number; told?: string[] }[]; clocks: { state: string }[] };
    expect(timeline.filter((e) => e.type === 'clock_warning').map((e) => [e.hoursBefore, e.told])).toEqual([
      [1, ['manager']],
      [0, ['manager', 'amhp', 'fallback']],
    ]);
    expect(clocks).toEqual([expect.objectContaining({ state: 'expired' })]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(runtime.outbox.list(LEEDS_FALLBACK).filter((sms) => sms.body.includes(reference))).toHaveLength(1);
  }, 60_000);

  it('flags a clock that ran out before the referral was made to the manager at once, and the referrer sees it', async () => {
    const police = await login('police');
    const { body } = await post('/api/referrals', police, phoneReferral('s136', new Date(Date.now() - 30 * 3_600_000)));
    const reference = String(body.reference);
    // The clock's alert (the 3-hour assessment overrun is texted too, apart: shared/domain/overruns.ts).
    const alert = await runtime.outbox.waitFor((sms) => sms.phone === manager.phone && sms.body.includes(reference) && sms.body.includes('clock'), 10_000);
    expect(alert.body).toMatch(/s136 clock EXPIRED at .* \(6 h( \d+ min)? ago\)/);
    const status = await fetch(`${runtime.url}/api/referrals/${String(body.id)}`, { headers: { authorization: `Bearer ${police}` } });
    expect(((await status.json()) as { clocks: { state?: string }[] }).clocks).toEqual([expect.objectContaining({ state: 'expired' })]);
  }, 30_000);

  it('records an s136B extension by team staff, and refuses "AMHP unavailable" as a reason', async () => {
    const police = await login('police');
    const start = new Date(Date.now() - 3_600_000);
    const { body } = await post('/api/referrals', police, phoneReferral('s136', start));
    // To whoever is free (an AMHP who accepted an earlier test's referral is busy).
    const page = await runtime.outbox.waitFor((sms) => sms.direction === 'outbound' && sms.body.includes(String(body.reference)) && sms.body.includes('Reply 1'), 10_000);
    const paged = demoStaff.find((staff) => staff.phone === page.phone)!;
    const path = `/api/referrals/${String(body.id)}/clocks/s136/extension`;

    expect((await post(path, police, { hours: 12, doctorName: 'Dr A. Khan', reason: 'person_condition' })).status).toBe(404);
    const staff = await login(paged.id);
    const unlawful = await post(path, staff, { hours: 12, doctorName: 'Dr A. Khan', reason: 'amhp_unavailable' });
    expect(unlawful.status).toBe(422);
    expect(unlawful.body.message).toMatch(/not a lawful reason/);
    const tooLong = await post(path, staff, { hours: 13, doctorName: 'Dr A. Khan', reason: 'person_condition' });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.issues).toEqual([expect.objectContaining({ path: 'hours' })]);

    const extended = await post(path, staff, { hours: 12, doctorName: 'Dr A. Khan', reason: 'person_condition' });
    expect(extended.status).toBe(200);
    expect(extended.body.clocks?.[0]?.expiresAt).toBe(new Date(start.getTime() + 36 * 3_600_000).toISOString());
    expect((await post(path, staff, { hours: 1, doctorName: 'Dr A. Khan', reason: 'person_condition' })).status).toBe(409);
  });
});
