import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import type { RecordingMetrics } from '../../shared/adapters/recording-metrics.ts';
import { putRota, putServiceSettings, putStaff, putTeam } from '../../shared/app/directory-admin.ts';
import { runHandover } from '../../shared/app/handover.ts';
import { shortReference } from '../../shared/domain/reference.ts';
import { localApi, localToken } from '../support/local-api.ts';
import { WebClient } from './web-client.ts';

/**
 * The morning handover on the emulators (issue 13 part 5): three referrals open at 08:45 on a
 * Thursday are listed and texted to the day service once, however many runs find them; one is
 * marked received on the Handover page, one by the day service's RECEIVED text; the third,
 * unacknowledged, escalates through the reconciler and the escalator to the team's fallback
 * (nobody is on duty by then) with a reminder to the day service, then to the service fallback.
 * The runtime's one clock is set to each instant under test.
 */

let runtime: LocalRuntime;
let clock = new Date('2026-12-03T02:00:00Z');
const api = localApi(() => runtime.url);
const TEAM = 'hull-edt';
const ASHA = { id: 'hull-asha', phone: '+447700900511' };
const DEV = { id: 'hull-dev', phone: '+447700900512' };
const DAY_SERVICE = '+447700900513';
const FALLBACK = '+447700900514';
const SERVICE_FALLBACK = '+447700900515';
const outbound = (phone: string) => runtime.outbox.list(phone).filter((sms) => sms.direction === 'outbound').map((sms) => sms.body);

const referral = (givenName: string, postcode = 'HU1 1AA') => ({
  referrer: { name: 'Dr Jo Park', kind: 'gp', organisation: 'Hull Surgery', phone: '07700 900520' },
  subject: { givenName, familyName: 'Handover', dateOfBirth: '1975-05-05', nhsNumberUnknownReason: 'not known', currentLocation: { kind: 'home', postcode } },
  legal: { status: 'none' },
  reason: 'handover integration test reason',
  risks: [],
  urgency: 'within_4_hours',
});

const refs: { id: string; reference: string }[] = [];
/** A referral from a district no team covers (and no default team): left unrouted, with the service fallback texted. */
let unrouted: { id: string; reference: string };
/** Pages Asha had for the third referral when the day service took it. */
let pagesToAshaAtHandover = 0;

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, seed: false, now: () => new Date(clock) });
  const deps = runtime.deps;
  const team = {
    name: 'Hull EDT',
    areas: ['HU1'],
    escalation: { ackTimeoutSeconds: 600, repeat: 1 },
    continuity: 'ignore',
    fallbackPhone: FALLBACK,
    handover: { dayServicePhone: DAY_SERVICE, dayServiceName: 'Hull AMHP day service', ackMinutes: 30 },
  };
  expect((await putTeam(deps, TEAM, team)).ok).toBe(true);
  expect((await putStaff(deps, ASHA.id, { name: 'Asha Hull', phone: ASHA.phone, teamIds: [TEAM], roles: ['amhp'] })).ok).toBe(true);
  expect((await putStaff(deps, DEV.id, { name: 'Dev Hull', phone: DEV.phone, teamIds: [TEAM], roles: ['manager'] })).ok).toBe(true);
  expect((await putServiceSettings(deps, { fallbackPhone: SERVICE_FALLBACK })).ok).toBe(true);
  // Wednesday 2 December 17:00 to Thursday 08:45 (GMT): the team's default out-of-hours night.
  const night = { start: '2026-12-02T17:00:00Z', end: '2026-12-03T08:45:00Z' };
  expect((await putRota(deps, TEAM, { shifts: [{ staffId: ASHA.id, position: 'primary', ...night }, { staffId: DEV.id, position: 'manager', ...night }] })).ok).toBe(true);

  const token = await localToken(runtime.url, 'gp-hull', ['referrer']);
  for (const name of ['Alpha', 'Bravo', 'Charlie']) {
    const created = await api('POST', '/api/referrals', token, referral(name));
    expect(created.status).toBe(202);
    refs.push(created.body as { id: string; reference: string });
  }
  const stray = await api('POST', '/api/referrals', token, referral('Delta', 'YO1 1AA'));
  expect(stray.status).toBe(202);
  unrouted = stray.body as { id: string; reference: string };
  for (const { reference } of refs) await runtime.outbox.waitFor((sms) => sms.phone === ASHA.phone && sms.body.includes(reference), 15_000);
  await runtime.outbox.waitFor((sms) => sms.phone === SERVICE_FALLBACK && sms.body.includes(unrouted.reference), 15_000);
  // Two accepted overnight; the third still paging at 08:45, which goes on the list as it stands.
  for (const { id } of refs.slice(0, 2)) expect((await api('POST', `/api/referrals/${id}/accept`, await localToken(runtime.url, ASHA.id))).status).toBe(200);
}, 90_000);

afterAll(async () => {
  await runtime?.stop();
});

const timelineOf = async (id: string) => (await runtime.deps.referrals.get(id))!.timeline;

describe('the morning handover on the emulators', () => {
  it('lists nothing before the office opens, then every open referral once, texted to the day service once', async () => {
    clock = new Date('2026-12-03T08:40:00Z');
    expect((await runHandover(runtime.deps)).find((o) => o.teamId === TEAM)).toMatchObject({ periodEnd: null, listed: 0 });
    expect(outbound(DAY_SERVICE)).toEqual([]);
    const fallbackTexts = outbound(SERVICE_FALLBACK).length;

    clock = new Date('2026-12-03T08:47:00Z');
    const runs = await Promise.all([runHandover(runtime.deps), runHandover(runtime.deps)]);
    clock = new Date('2026-12-03T08:52:00Z');
    await runHandover(runtime.deps);
    const hull = runs.map((outcomes) => outcomes.find((o) => o.teamId === TEAM));
    expect(hull.map((o) => o?.periodEnd)).toEqual(['2026-12-03T08:45:00.000Z', '2026-12-03T08:45:00.000Z']);
    expect(hull.filter((o) => o?.text === 'sent')).toHaveLength(1);

    const texts = outbound(DAY_SERVICE);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(/^dutyline: Hull EDT handover at 08:45 Thu 3 Dec, 3 referrals still open: /);
    for (const { reference } of refs) expect(texts[0]).toContain(reference);
    expect(texts[0]).not.toContain(unrouted.reference);
    expect(texts[0]).not.toMatch(/Alpha|Bravo|Charlie|Handover,|HU1 1AA|1975|reason/);

    // The referral no team holds is on a list of its own, texted once to the service fallback.
    const noTeam = runs.map((outcomes) => outcomes.find((o) => o.teamId === null));
    expect(noTeam.map((o) => o?.listed)).toEqual([1, 1]);
    const listedToFallback = outbound(SERVICE_FALLBACK).slice(fallbackTexts);
    expect(listedToFallback).toEqual([
      `dutyline: handover at 08:45 Thu 3 Dec, 1 referral no team holds is still open: ${unrouted.reference}. Route each to a team from the dutyline board, or mark it received on the Handover page once a day service has it.`,
    ]);
    expect((runtime.deps.metrics as RecordingMetrics).total('HandoverListsSent')).toBe(2);

    for (const { id } of [...refs, unrouted]) {
      const listed = (await timelineOf(id)).filter((entry) => entry.type === 'handover_listed');
      expect(listed).toEqual([
        expect.objectContaining({ periodStart: '2026-12-02T17:00:00.000Z', periodEnd: '2026-12-03T08:45:00.000Z', ackBy: '2026-12-03T09:17:00.000Z', escalateBy: '2026-12-03T09:47:00.000Z' }),
      ]);
    }
  }, 30_000);

  it('shows the list on the Handover page, and a manager marks one received there', async () => {
    const [accepted] = refs;
    const client = new WebClient(runtime.url);
    await client.signIn(DEV.id, '/manage/handover');
    const page = await client.get('/manage/handover');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Morning handover');
    expect(page.html).toContain('Handed over at Thu 3 Dec, 08:45');
    for (const { reference } of refs) expect(page.html).toMatch(new RegExp(`data-referral="${reference}" data-handover="awaiting"`));
    expect(page.html).not.toMatch(/Alpha|Bravo|Charlie|HU1 1AA|1975/);

    const marked = await client.post('/manage/handover', { referralId: accepted!.id });
    expect(marked.hops[0]).toMatchObject({ status: 303 });
    expect(marked.html).toContain(`${accepted!.reference} is marked received by the day service`);
    expect(marked.html).toMatch(new RegExp(`data-referral="${accepted!.reference}" data-handover="received"`));
    expect((await timelineOf(accepted!.id)).filter((entry) => entry.type === 'handed_over')).toEqual([expect.objectContaining({ to: 'day_service', by: DEV.id })]);

    const forged = await client.post('/manage/handover', { referralId: refs[1]!.id }, { origin: 'https://elsewhere.example' });
    expect(forged.status).toBe(403);
    expect((await timelineOf(refs[1]!.id)).some((entry) => entry.type === 'handed_over')).toBe(false);
  }, 30_000);

  it('shows the referral no team holds to every manager, who may mark it received', async () => {
    const client = new WebClient(runtime.url);
    await client.signIn(DEV.id, '/manage/handover');
    const page = await client.get('/manage/handover');
    expect(page.html).toContain('No team holds these');
    expect(page.html).toMatch(new RegExp(`id="team-no-team" data-awaiting="1"`));
    expect(page.html).toMatch(new RegExp(`data-referral="${unrouted.reference}" data-handover="awaiting"`));
    expect(page.html).not.toMatch(/Delta|YO1 1AA/);

    const marked = await client.post('/manage/handover', { referralId: unrouted.id });
    expect(marked.hops[0]).toMatchObject({ status: 303 });
    expect(marked.html).toMatch(new RegExp(`data-referral="${unrouted.reference}" data-handover="received"`));
    expect((await timelineOf(unrouted.id)).filter((entry) => entry.type === 'handed_over')).toEqual([expect.objectContaining({ to: 'day_service', by: DEV.id })]);
    // An AMHP, not a manager, records nothing on it.
    const asAmhp = await api('POST', `/api/referrals/${unrouted.id}/events`, await localToken(runtime.url, ASHA.id), { type: 'referrer_contacted' });
    expect(asAmhp.status).toBe(403);
  }, 30_000);

  it('the day service marks one received by text, naming its reference, and is answered; one still paging stops being paged', async () => {
    const third = refs[2]!;
    expect((await runtime.deps.referrals.get(third.id))?.status).toBe('paging');
    const sent = await fetch(`${runtime.url}/local/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: '07700 900513', body: `received ${shortReference(third.reference)}` }),
    });
    expect(sent.status).toBe(202);
    await runtime.outbox.waitFor((sms) => sms.phone === DAY_SERVICE && sms.body.includes('marked received'), 15_000);
    expect((await timelineOf(third.id)).filter((entry) => entry.type === 'handed_over')).toEqual([expect.objectContaining({ to: 'day_service', by: `day-service:${TEAM}`, via: 'sms' })]);
    // It was never accepted: the night's chain stops, and the AMHP it was paging is stood down.
    const stoodDown = await runtime.outbox.waitFor((sms) => sms.phone === ASHA.phone && sms.body.includes(third.reference) && sms.body.includes('handed over'), 15_000);
    expect(stoodDown.body).toBe(`dutyline ${third.reference}: handed over to the day service. No action needed.`);
    const stored = await runtime.deps.referrals.get(third.id);
    expect(stored).toMatchObject({ status: 'exhausted', escalation: { status: 'exhausted' } });
    expect(stored!.timeline).toContainEqual(expect.objectContaining({ type: 'stood_down', told: 1, reason: 'handed_over' }));
    pagesToAshaAtHandover = outbound(ASHA.phone).filter((body) => body.includes(third.reference) && body.includes('/a/')).length;
  }, 30_000);

  it('the one left unacknowledged escalates: the team fallback and a reminder at 30 min, the service fallback at 60', async () => {
    const [accepted, waiting, third] = refs;
    // Two minutes past its ackBy: the timer SQS holds is not due for real, so the reconciler finds it (a minute late counts as lost) and arms it now.
    clock = new Date('2026-12-03T09:19:00Z');
    await runtime.runScheduled('reconciler');
    // Nobody is on duty after 08:45, so the team's fallback phone stands for the manager.
    const alert = await runtime.outbox.waitFor((sms) => sms.phone === FALLBACK && sms.body.includes(waiting!.reference) && sms.body.includes('marked received'), 15_000);
    expect(alert.body).toBe(`dutyline ${waiting!.reference}: not yet marked received by the day service from the 08:45 3 Dec handover. Please check the referral on the board.`);
    await runtime.outbox.waitFor((sms) => sms.phone === DAY_SERVICE && sms.body.includes(`reply RECEIVED ${waiting!.reference}`), 15_000);
    expect((runtime.deps.metrics as RecordingMetrics).total('HandoversUnacknowledged')).toBe(1);

    clock = new Date('2026-12-03T09:49:00Z');
    await runtime.runScheduled('reconciler');
    const last = await runtime.outbox.waitFor((sms) => sms.phone === SERVICE_FALLBACK && sms.body.includes(waiting!.reference) && sms.body.includes('marked received'), 15_000);
    expect(last.body).toContain('still not marked received by the day service');
    const timeline = await timelineOf(waiting!.id);
    expect(timeline.filter((entry) => entry.type === 'overrun_alerted').map((entry) => entry.overrun)).toEqual(['handover_unacknowledged', 'handover_unanswered']);
    expect(timeline).toContainEqual(expect.objectContaining({ type: 'service_fallback_alerted', reason: 'handover_unanswered' }));

    // The night's chain of the third stopped when it was handed over: no page since, and no "nobody has accepted" alert.
    expect(outbound(ASHA.phone).filter((body) => body.includes(third!.reference) && body.includes('/a/'))).toHaveLength(pagesToAshaAtHandover);
    expect(outbound(FALLBACK).filter((body) => body.includes(third!.reference))).toEqual([]);
    expect((await timelineOf(third!.id)).some((entry) => entry.type === 'chain_exhausted' || entry.type === 'fallback_alerted')).toBe(false);
    // The received are never escalated as handovers.
    for (const done of [accepted!, third!, unrouted]) {
      expect((await timelineOf(done.id)).some((entry) => entry.type === 'overrun_alerted')).toBe(false);
      expect([...outbound(FALLBACK), ...outbound(SERVICE_FALLBACK), ...outbound(DAY_SERVICE)].some((body) => body.includes(done.reference) && body.includes('not yet marked'))).toBe(false);
    }
    for (const body of [...outbound(FALLBACK), ...outbound(SERVICE_FALLBACK), ...outbound(DAY_SERVICE)]) expect(body).not.toMatch(/Alpha|Bravo|Charlie|HU1 1AA|1975|reason/);
  }, 40_000);
});
