import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import type { RecordingMetrics } from '../../shared/adapters/recording-metrics.ts';
import { putRota, putStaff, putTeam } from '../../shared/app/directory-admin.ts';
import { runShiftNotices } from '../../shared/app/shift-notices.ts';
import type { Position } from '../../shared/domain/types.ts';
import { localApi, localToken } from '../support/local-api.ts';
import { waitFor } from '../support/wait.ts';

/**
 * Shift notices on the emulators: the use case the schedule runs, with the runtime's adapters
 * (dynalite, the SMS outbox) and the runtime's clock set to the instant under test; overrides
 * through the HTTP API. Each test's rota is on its own dates, days apart, so no run sees another's shifts.
 */

let runtime: LocalRuntime;
const api = localApi(() => runtime.url);
const TEAM = 'york-edt';
const phones = { asha: '+447700900401', ben: '+447700900402', chloe: '+447700900403', dev: '+447700900404', dana: '+447700900405' } as const;
const FALLBACK = '+447700900409';
type Who = keyof typeof phones;
const staffId = (who: Who) => `york-${who}`;

/** The runtime's one clock (its functions', the replay guard's, the TTL sweep's), set to the instant under test. */
let clock = new Date();
const at = (iso: string) => {
  clock = new Date(iso);
  return runtime.deps;
};
const texts = (who: Who | typeof FALLBACK) =>
  runtime.outbox
    .list(who === FALLBACK ? FALLBACK : phones[who])
    .filter((sms) => sms.direction === 'outbound')
    .map((sms) => sms.body);
const shift = (who: Who, position: Position, start: string, end: string) => ({ staffId: staffId(who), position, start, end });
const night = (start: string, end: string, people: Partial<Record<Position, Who>> = { primary: 'asha', secondary: 'ben', manager: 'dev' }) =>
  Object.entries(people).map(([position, who]) => shift(who, position as Position, start, end));

/** Adds shifts to the team's rota (the base rota is replaced, so each test puts back the nights it needs). */
const rota = async (shifts: ReturnType<typeof shift>[]) => expect((await putRota(runtime.deps, TEAM, { shifts })).ok).toBe(true);

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, seed: false, now: () => new Date(clock) });
  const deps = runtime.deps;
  const team = { name: 'York EDT', areas: ['YO1'], escalation: { ackTimeoutSeconds: 600, repeat: 1 }, continuity: 'ignore', fallbackPhone: FALLBACK, shiftNotices: { eveningBefore: '19:00' } };
  expect((await putTeam(deps, TEAM, team)).ok).toBe(true);
  for (const who of Object.keys(phones) as Who[]) {
    const result = await putStaff(deps, staffId(who), { name: `${who[0]?.toUpperCase()}${who.slice(1)} York`, phone: phones[who], teamIds: [TEAM], roles: [who === 'dev' ? 'manager' : 'amhp'] });
    expect(result.ok).toBe(true);
  }
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
});

describe('shift notices on the emulators', () => {
  it('a 17:00–08:45 night over the October clock change: one notice each at 16:00 BST (15:00 UTC), with the London hours', async () => {
    // Saturday 24 October 2026, 17:00 BST, to Sunday 25 October, 08:45 GMT.
    await rota(night('2026-10-24T16:00:00Z', '2026-10-25T08:45:00Z'));
    await runShiftNotices(at('2026-10-24T14:59:00Z'));
    expect(texts('asha')).toEqual([]);
    await runShiftNotices(at('2026-10-24T15:00:00Z'));
    await runShiftNotices(at('2026-10-24T15:05:00Z'));
    await runShiftNotices(at('2026-10-24T15:55:00Z'));
    expect(texts('asha')).toEqual(['dutyline: you are primary AMHP for York EDT 17:00 Sat 24 Oct to 08:45 Sun 25 Oct. Reply NOTICES OFF to stop these.']);
    expect(texts('ben')).toEqual(['dutyline: you are secondary AMHP for York EDT 17:00 Sat 24 Oct to 08:45 Sun 25 Oct. Reply NOTICES OFF to stop these.']);
    expect(texts('dev')).toEqual(['dutyline: you are manager for York EDT 17:00 Sat 24 Oct to 08:45 Sun 25 Oct. Reply NOTICES OFF to stop these.']);
    expect((runtime.deps.metrics as RecordingMetrics).total('ShiftNoticesSent')).toBeGreaterThanOrEqual(3);
  });

  it('two runs at once over the March clock change text each person once, at 16:00 GMT', async () => {
    // Saturday 28 March 2026, 17:00 GMT, to Sunday 29 March, 08:45 BST (07:45 UTC).
    const before = { asha: texts('asha').length, ben: texts('ben').length, dev: texts('dev').length };
    await rota(night('2026-03-28T17:00:00Z', '2026-03-29T07:45:00Z'));
    await runShiftNotices(at('2026-03-28T15:59:00Z'));
    expect(texts('asha')).toHaveLength(before.asha);
    const runs = await Promise.all([runShiftNotices(at('2026-03-28T16:00:00Z')), runShiftNotices(at('2026-03-28T16:00:00Z'))]);
    const york = runs.map((outcomes) => outcomes.find((o) => o.teamId === TEAM)?.results ?? {});
    expect((york[0]?.sent ?? 0) + (york[1]?.sent ?? 0)).toBe(3);
    expect((york[0]?.['already-sent'] ?? 0) + (york[1]?.['already-sent'] ?? 0)).toBe(3);
    expect(texts('asha').slice(before.asha)).toEqual(['dutyline: you are primary AMHP for York EDT 17:00 Sat 28 Mar to 08:45 Sun 29 Mar. Reply NOTICES OFF to stop these.']);
    expect(texts('ben')).toHaveLength(before.ben + 1);
    expect(texts('dev')).toHaveLength(before.dev + 1);
  });

  it('texts the evening before at the team time, then an hour before', async () => {
    // Sunday 8 November 2026, 17:00 GMT; the evening before is Saturday 7 November at 19:00.
    const before = texts('asha').length;
    await rota(night('2026-11-08T17:00:00Z', '2026-11-09T08:45:00Z'));
    await runShiftNotices(at('2026-11-07T18:55:00Z'));
    expect(texts('asha')).toHaveLength(before);
    await runShiftNotices(at('2026-11-07T19:00:00Z'));
    await runShiftNotices(at('2026-11-07T19:05:00Z'));
    expect(texts('asha').slice(before)).toEqual(['dutyline: you are primary AMHP for York EDT 17:00 Sun 8 Nov to 08:45 Mon 9 Nov. Reply NOTICES OFF to stop these.']);
    await runShiftNotices(at('2026-11-08T16:00:00Z'));
    expect(texts('asha')).toHaveLength(before + 2);
  });

  it('NOTICES OFF by SMS stops them for that person only, survives an edit of the staff record, and NOTICES ON restarts them', async () => {
    const replied = async (body: string) => {
      const count = texts('chloe').length;
      const response = await fetch(`${runtime.url}/local/sms/inbound`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: phones.chloe, body }) });
      expect(response.status).toBe(202);
      return waitFor(`the answer to ${body}`, () => texts('chloe')[count], 15_000);
    };
    expect(await replied('NOTICES OFF')).toBe('dutyline: shift notices are off. Pages still come as before. Reply NOTICES ON to have them again.');
    expect((await runtime.deps.directory.getStaff(staffId('chloe')))?.shiftNotices).toBe(false);
    // An administrator's edit that does not mention the setting keeps the person's choice.
    const admin = await localToken(runtime.url, 'york-admin', ['admin']);
    const edited = await api('PUT', `/api/staff/${staffId('chloe')}`, admin, { name: 'Chloe York', phone: phones.chloe, teamIds: [TEAM], roles: ['amhp'] });
    expect(edited.status).toBe(200);
    expect(edited.body.shiftNotices).toBe(false);

    // Tuesday 5 January 2027: Chloe primary, Ben secondary, Dev manager.
    const before = { chloe: texts('chloe').length, ben: texts('ben').length };
    await rota(night('2027-01-05T17:00:00Z', '2027-01-06T08:45:00Z', { primary: 'chloe', secondary: 'ben', manager: 'dev' }));
    await runShiftNotices(at('2027-01-05T16:00:00Z'));
    expect(texts('chloe')).toHaveLength(before.chloe);
    expect(texts('ben')).toHaveLength(before.ben + 1);

    expect(await replied('notices on')).toMatch(/shift notices are on/);
    await rota(night('2027-01-07T17:00:00Z', '2027-01-08T08:45:00Z', { primary: 'chloe', secondary: 'ben', manager: 'dev' }));
    await runShiftNotices(at('2027-01-07T16:00:00Z'));
    expect(texts('chloe').at(-1)).toBe('dutyline: you are primary AMHP for York EDT 17:00 Thu 7 Jan to 08:45 Fri 8 Jan. Reply NOTICES OFF to stop these.');
  }, 30_000);

  it('a position that starts empty texts the manager on duty then; an empty manager position texts the team fallback', async () => {
    // Tuesday 12 January 2027 (office 08:45–17:00): nobody is secondary from 17:00.
    await rota(night('2027-01-12T17:00:00Z', '2027-01-13T08:45:00Z', { primary: 'asha', manager: 'dev' }));
    const devBefore = texts('dev').length;
    await runShiftNotices(at('2027-01-12T16:00:00Z'));
    await runShiftNotices(at('2027-01-12T16:30:00Z'));
    expect(texts('dev').slice(devBefore)).toEqual([
      'dutyline: you are manager for York EDT 17:00 Tue 12 Jan to 08:45 Wed 13 Jan. Reply NOTICES OFF to stop these.',
      'dutyline: York EDT has NO secondary AMHP from 17:00 Tue 12 Jan to 08:45 Wed 13 Jan. Please arrange cover.',
    ]);
    expect((runtime.deps.metrics as RecordingMetrics).total('EmptyPositionAlerts')).toBe(1);

    // Thursday 14 January: a primary and a secondary, but no manager.
    await rota(night('2027-01-14T17:00:00Z', '2027-01-15T08:45:00Z', { primary: 'asha', secondary: 'ben' }));
    await runShiftNotices(at('2027-01-14T16:00:00Z'));
    expect(texts(FALLBACK)).toEqual(['dutyline: York EDT has NO manager from 17:00 Thu 14 Jan to 08:45 Fri 15 Jan. Please arrange cover.']);
  });

  it('an override and a swap text both people at once, and the same request again texts nobody', async () => {
    // Tuesday 19 January 2027: Chloe covers Asha's primary 02:00–04:00; Dana takes Ben's whole secondary.
    await rota(night('2027-01-19T17:00:00Z', '2027-01-20T08:45:00Z'));
    at('2027-01-18T12:00:00Z');
    const admin = await localToken(runtime.url, 'york-admin', ['admin']);
    const counts = () => ({ asha: texts('asha').length, chloe: texts('chloe').length, ben: texts('ben').length, dana: texts('dana').length });
    const before = counts();
    const overrides = {
      shifts: [
        { staffId: staffId('chloe'), position: 'primary', start: '2027-01-20T02:00:00Z', end: '2027-01-20T04:00:00Z' },
        { staffId: staffId('dana'), position: 'secondary', start: '2027-01-19T17:00:00Z', end: '2027-01-20T08:45:00Z', kind: 'swap', covers: staffId('ben') },
      ],
    };
    expect((await api('POST', `/api/teams/${TEAM}/rota/overrides`, admin, overrides)).status).toBe(201);
    expect(texts('chloe').slice(before.chloe)).toEqual([
      'dutyline: rota change: you are now primary AMHP for York EDT 02:00 Wed 20 Jan to 04:00 Wed 20 Jan instead of Asha York. Reply NOTICES OFF to stop these.',
    ]);
    expect(texts('asha').slice(before.asha)).toEqual([
      'dutyline: rota change: Chloe York is now primary AMHP for York EDT 02:00 Wed 20 Jan to 04:00 Wed 20 Jan instead of you. Reply NOTICES OFF to stop these.',
    ]);
    expect(texts('dana').slice(before.dana)).toEqual([expect.stringContaining('you are now secondary AMHP for York EDT 17:00 Tue 19 Jan to 08:45 Wed 20 Jan instead of Ben York')]);
    expect(texts('ben').slice(before.ben)).toEqual([expect.stringContaining('Dana York is now secondary AMHP for York EDT 17:00 Tue 19 Jan to 08:45 Wed 20 Jan instead of you')]);

    const after = counts();
    expect((await api('POST', `/api/teams/${TEAM}/rota/overrides`, admin, overrides)).status).toBe(201);
    expect(counts()).toEqual(after);

    // Before the night: Dana (not Ben) is told she is secondary, and Chloe before her two hours.
    await runShiftNotices(at('2027-01-19T16:00:00Z'));
    expect(texts('dana').at(-1)).toMatch(/^dutyline: you are secondary AMHP for York EDT 17:00 Tue 19 Jan/);
    expect(texts('ben')).toHaveLength(after.ben);
    await runShiftNotices(at('2027-01-20T01:00:00Z'));
    expect(texts('chloe').at(-1)).toBe('dutyline: you are primary AMHP for York EDT 02:00 Wed 20 Jan to 04:00 Wed 20 Jan. Reply NOTICES OFF to stop these.');
  }, 30_000);
});
