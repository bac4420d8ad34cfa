import { describe, expect, it } from 'vitest';
import { smsSegments } from '../../support/sms-segments.ts';
import { rotaView } from '../../../shared/app/directory-admin.ts';
import { teamCoverage } from '../../../shared/app/manager-views.ts';
import { COVER_DAYS, coverageAlertText, coverageByPosition, coverWindow, gapsWithin, rosteredManagers } from '../../../shared/domain/coverage.ts';
import type { Dependencies } from '../../../shared/ports.ts';
import { asha, ben, chloe, dev, rota, team } from '../../support/dataset.ts';
import type { RotaGap } from '../../../shared/domain/rota.ts';

const gaps: RotaGap[] = [
  { position: 'secondary', start: '2026-11-27T17:00:00.000Z', end: '2026-11-28T09:00:00.000Z' },
  { position: 'primary', start: '2026-11-25T20:00:00.000Z', end: '2026-11-25T22:30:00.000Z' },
  { position: 'primary', start: '2026-11-26T01:00:00.000Z', end: '2026-11-26T02:00:00.000Z' },
];

describe('coverage', () => {
  it('groups gaps per position, in rota order, with the uncovered minutes', () => {
    expect(coverageByPosition(gaps)).toEqual([
      { position: 'primary', gaps: [gaps[1], gaps[2]], uncoveredMinutes: 210 },
      { position: 'secondary', gaps: [gaps[0]], uncoveredMinutes: 960 },
    ]);
    expect(coverageByPosition([])).toEqual([]);
  });

  it('cuts gaps to a window', () => {
    expect(gapsWithin(gaps, new Date('2026-11-25T21:00:00Z'), new Date('2026-11-26T21:00:00Z'))).toEqual([
      { position: 'primary', start: '2026-11-25T21:00:00.000Z', end: '2026-11-25T22:30:00.000Z' },
      { position: 'primary', start: '2026-11-26T01:00:00.000Z', end: '2026-11-26T02:00:00.000Z' },
    ]);
  });

  it('texts the team, the positions and the UK times of the gaps, in two segments at most', () => {
    const text = coverageAlertText({ teamName: 'Leeds Emergency Duty Team', gaps: gaps.slice(1) });
    expect(text).toBe(
      'dutyline: Leeds Emergency Duty Team rota has 2 gaps in the next 24 h: primary AMHP 20:00 25 Nov to 22:30 25 Nov; primary AMHP 01:00 26 Nov to 02:00 26 Nov. Please arrange cover.',
    );
    const many = coverageAlertText({ teamName: 'Leeds Emergency Duty Team', gaps: [...gaps, ...gaps] });
    expect(many).toContain('and 3 more');
    expect(smsSegments(many)).toBeLessThanOrEqual(2);
  });

  it('tells the managers rostered in the window, once each', () => {
    expect(
      rosteredManagers([
        { position: 'manager', staffId: 'manager-dev', shiftId: 'a', kind: 'base', start: '', end: '' },
        { position: 'primary', staffId: 'amhp-asha', shiftId: 'b', kind: 'base', start: '', end: '' },
        { position: 'manager', staffId: 'manager-dev', shiftId: 'c', kind: 'base', start: '', end: '' },
      ]),
    ).toEqual(['manager-dev']);
  });
});

describe('the one gaps definition the rota and coverage pages share', () => {
  // Midday: the night's gaps before now, and the fifteenth day's morning, are where two windows would differ.
  const now = new Date('2026-11-25T12:00:00Z');
  const deps = {
    clock: { now: () => now },
    directory: {
      getTeam: async () => team,
      getStaff: async (id: string) => [asha, ben, chloe, dev].find((s) => s.id === id) ?? null,
      shiftsOverlapping: async (_teamId: string, from: Date, to: Date) =>
        rota.filter((shift) => Date.parse(shift.start) < to.getTime() && Date.parse(shift.end) > from.getTime()),
    },
  } as unknown as Dependencies;

  it('counts the same gaps on the rota page as on the coverage page', async () => {
    const [rotaPage, coverage] = await Promise.all([rotaView(deps, team.id, undefined, COVER_DAYS), teamCoverage(deps, team)]);
    expect(coverage.gaps.length).toBeGreaterThan(0);
    expect(coverage.gaps).toEqual(rotaPage?.check.gaps);
    expect({ from: coverage.from, to: coverage.to }).toEqual({ from: rotaPage?.from, to: rotaPage?.to });
  });

  it('runs over whole London days from today, 23 or 25 hours across a clock change', () => {
    expect(coverWindow(now)).toEqual({ firstDate: '2026-11-25', from: new Date('2026-11-25T00:00:00Z'), to: new Date('2026-12-09T00:00:00Z') });
    const autumn = coverWindow(new Date('2026-10-24T23:30:00Z'), undefined, 1);
    expect(autumn).toEqual({ firstDate: '2026-10-25', from: new Date('2026-10-24T23:00:00Z'), to: new Date('2026-10-26T00:00:00Z') });
  });
});
