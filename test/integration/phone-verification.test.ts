import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { DEMO_TEAM_ID, demoStaff } from '../../infra/local/seed.ts';
import { teamCoverageWithin } from '../../shared/app/manager-views.ts';
import { localApi, localToken } from '../support/local-api.ts';
import { waitFor } from '../support/wait.ts';

/**
 * Proving staff phones on the emulators: a code texted to the local outbox and confirmed, expiry
 * (the runtime's clock is moved on), wrong codes and spent tries, STOP and START, a changed
 * number, and a slot held by an unverified phone counted as a gap. Then replies and links that
 * know the state: a late `1` and a link opened after the accept.
 */

const [asha, ben, chloe] = demoStaff;
let runtime: LocalRuntime;
let offsetMs = 0;
const api = localApi(() => runtime.url);
const tokens = new Map<string, string>();
const token = async (username: string) => tokens.get(username) ?? tokens.set(username, await localToken(runtime.url, username)).get(username) ?? '';

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, seed: true, now: () => new Date(Date.now() + offsetMs) });
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
});

const codeIn = (text: string) => /code is (\d{6})/.exec(text)?.[1] ?? '';

async function sendCode(staffId: string, phone: string): Promise<string> {
  const after = Math.max(0, ...runtime.outbox.list().map((m) => m.id));
  const sent = await api('POST', `/api/staff/${staffId}/phone/verify`, await token(staffId));
  expect(sent.status).toBe(202);
  const sms = await runtime.outbox.waitFor((m) => m.id > after && m.direction === 'outbound' && m.phone === phone && /verification code/.test(m.body), 15_000);
  return codeIn(sms.body);
}

const view = async (staffId: string) => (await api('GET', `/api/staff/${staffId}`, await token('admin'))).body;

async function inbound(from: string, body: string) {
  const response = await fetch(`${runtime.url}/local/sms/inbound`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from, body }) });
  expect(response.status).toBeLessThan(300);
}

describe('verified phones', () => {
  it('starts the demo staff verified', async () => {
    expect(await view(asha.id)).toMatchObject({ phoneVerified: true, phoneVerifiedAt: expect.any(String) });
  });

  it('texts a 6-digit code that confirms the phone, and is not logged or stored in clear', async () => {
    const code = await sendCode(chloe.id, chloe.phone);
    expect(code).toMatch(/^\d{6}$/);
    expect(JSON.stringify(await runtime.deps.phoneVerifications.getCode(chloe.id))).not.toContain(code);
    const confirmed = await api('POST', `/api/staff/${chloe.id}/phone/confirm`, await token(chloe.id), { code });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ id: chloe.id, phoneVerified: true });
  }, 30_000);

  it('refuses a wrong code naming the field, counting tries, and kills the code after the last', async () => {
    const code = await sendCode(chloe.id, chloe.phone);
    const wrong = code === '000000' ? '111111' : '000000';
    const first = await api('POST', `/api/staff/${chloe.id}/phone/confirm`, await token(chloe.id), { code: wrong });
    expect(first.status).toBe(400);
    expect(first.body.issues).toEqual([{ path: 'code', message: expect.stringContaining('4 tries left') }]);
    for (let i = 0; i < 4; i++) await api('POST', `/api/staff/${chloe.id}/phone/confirm`, await token(chloe.id), { code: wrong });
    const dead = await api('POST', `/api/staff/${chloe.id}/phone/confirm`, await token(chloe.id), { code });
    expect(dead.status).toBe(400);
    expect(dead.body.issues[0].path).toBe('code');
  }, 30_000);

  it('refuses a code after 15 minutes', async () => {
    const code = await sendCode(ben.id, ben.phone);
    offsetMs += 16 * 60_000;
    const late = await api('POST', `/api/staff/${ben.id}/phone/confirm`, await token(ben.id), { code });
    expect(late.status).toBe(400);
    expect(late.body.issues).toEqual([{ path: 'code', message: expect.stringContaining('expired') }]);
  }, 30_000);

  it('refuses another AMHP (403) and changes nothing', async () => {
    const refused = await api('POST', `/api/staff/${chloe.id}/phone/verify`, await token(asha.id));
    expect(refused.status).toBe(403);
    expect((await view(chloe.id)).phoneVerified).toBe(true);
  });

  it('unverifies on STOP; START and a new code restore it', async () => {
    await inbound(ben.phone, 'STOP');
    await expect.poll(async () => (await view(ben.id)).phoneVerified, { timeout: 15_000 }).toBe(false);
    await inbound(ben.phone, 'START');
    const code = await sendCode(ben.id, ben.phone);
    expect((await api('POST', `/api/staff/${ben.id}/phone/confirm`, await token(ben.id), { code })).status).toBe(200);
    expect((await view(ben.id)).phoneVerified).toBe(true);
  }, 45_000);

  it('unverifies a changed number, keeps an unchanged one, and counts the slot as a gap', async () => {
    const team = await runtime.deps.directory.getTeam(DEMO_TEAM_ID);
    if (!team) throw new Error('no demo team');
    const now = runtime.deps.clock.now();
    const before = await teamCoverageWithin(runtime.deps, team, now, new Date(now.getTime() + 86_400_000));
    expect(before.gaps.filter((gap) => gap.reason === 'unverified-phone')).toEqual([]);
    const body = { name: asha.name, phone: asha.phone, teamIds: [DEMO_TEAM_ID], roles: ['amhp'] };
    expect((await api('PUT', `/api/staff/${asha.id}`, await token('admin'), body)).body.phoneVerified).toBe(true);
    const changed = await api('PUT', `/api/staff/${asha.id}`, await token('admin'), { ...body, phone: '+447700900188' });
    expect(changed.body.phoneVerified).toBe(false);
    const after = await teamCoverageWithin(runtime.deps, team, now, new Date(now.getTime() + 86_400_000));
    expect(after.gaps.some((gap) => gap.reason === 'unverified-phone' && gap.position === 'primary')).toBe(true);
    // Back as it was, proven again.
    await api('PUT', `/api/staff/${asha.id}`, await token('admin'), body);
    const code = await sendCode(asha.id, asha.phone);
    expect((await api('POST', `/api/staff/${asha.id}/phone/confirm`, await token(asha.id), { code })).status).toBe(200);
  }, 45_000);
});

describe('replies and links that know the state', () => {
  it('a late 1 and a link opened after the accept say what happened, with no Accept button', async () => {
    const submitted = await api('POST', '/api/referrals', await token('police'), {
      channel: 'phone', callbackPhone: '07700 900202', currentLocation: { postcode: 'LS3 1AB' }, legal: { status: 'none' }, urgency: 'within_4_hours',
    });
    expect(submitted.status).toBe(202);
    const reference = String(submitted.body.reference);
    const page = await runtime.outbox.waitFor((m) => m.direction === 'outbound' && m.body.includes(reference) && m.body.includes('Reply 1'), 15_000);
    expect(page.body).toContain(`(code ${reference.slice(4, 8)})`);
    const link = /(https?:\/\/\S+\/a\/\S+)/.exec(page.body)?.[1] ?? '';
    const accepted = await fetch(link.replace(/^https?:\/\/[^/]+/, runtime.url), { method: 'POST' });
    expect(accepted.status).toBe(200);
    await inbound(page.phone, '1');
    const late = await runtime.outbox.waitFor((m) => m.phone === page.phone && m.direction === 'outbound' && m.body.includes(`${reference}: you accepted it at`), 15_000);
    expect(late.body).toMatch(/at \d\d:\d\d/);
    const again = await fetch(link.replace(/^https?:\/\/[^/]+/, runtime.url));
    const html = await again.text();
    expect(html).toContain('You accepted this referral');
    expect(html).not.toContain(`Accept ${reference}`);
  }, 45_000);
});

describe('paging a phone that is not verified', () => {
  const manager = demoStaff.find((member) => member.id === 'manager-dev');

  it('still pages it, texts the manager on duty once per referral and person, and puts it on the timeline', async () => {
    if (!manager) throw new Error('no demo manager');
    for (const member of [asha, ben, chloe]) await runtime.deps.phoneVerifications.unverify(member.id);
    try {
      const submitted = await api('POST', '/api/referrals', await token('police'), {
        channel: 'phone', callbackPhone: '07700 900202', currentLocation: { postcode: 'LS3 1AB' }, legal: { status: 's136' }, urgency: 'immediate',
      });
      expect(submitted.status).toBe(202);
      const reference = String(submitted.body.reference);
      const page = await runtime.outbox.waitFor((m) => m.direction === 'outbound' && m.body.includes(reference) && m.body.includes('Reply 1'), 15_000);
      const paged = demoStaff.find((member) => member.phone === page.phone);
      if (!paged) throw new Error(`paged ${page.phone}, not a demo AMHP`);
      const told = await runtime.outbox.waitFor((m) => m.phone === manager.phone && m.direction === 'outbound' && m.body.includes(`${reference}: paged`), 15_000);
      expect(told.body).toBe(`dutyline ${reference}: paged ${paged.name}, whose phone is not verified, so the page may not reach them. Please check they have it.`);
      // Nothing of the person referred: the reference and the staff member's name only.
      expect(told.body).not.toMatch(/LS3|s136|police/i);

      const id = String(submitted.body.id);
      const timeline = async () => ((await api('GET', `/api/referrals/${id}`, await token(manager.id))).body.timeline ?? []) as { type: string; staffId?: string; told?: string }[];
      await expect.poll(async () => (await timeline()).filter((e) => e.type === 'unverified_phone_paged'), { timeout: 15_000 }).toEqual([
        expect.objectContaining({ staffId: paged.id, told: 'manager' }),
      ]);

      // The manager pages the same person again: the page goes, the manager is not told twice.
      const pages = () => runtime.outbox.list(paged.phone).filter((m) => m.direction === 'outbound' && m.body.includes(reference) && m.body.includes('Reply 1')).length;
      const before = pages();
      expect((await api('POST', `/api/referrals/${id}/page`, await token(manager.id), { staffId: paged.id })).status).toBeLessThan(300);
      await waitFor('the second page', () => pages() > before, 15_000);
      await expect.poll(async () => (await timeline()).filter((e) => e.type === 'paged' && e.staffId === paged.id).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
      expect((await timeline()).filter((e) => e.type === 'unverified_phone_paged')).toHaveLength(1);
      expect(runtime.outbox.list(manager.phone).filter((m) => m.body.includes(`${reference}: paged`))).toHaveLength(1);
    } finally {
      for (const member of [asha, ben, chloe]) await runtime.deps.phoneVerifications.markVerified(member.id, member.phone, runtime.deps.clock.now().toISOString());
    }
  }, 60_000);
});
