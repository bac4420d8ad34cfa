import { describe, expect, it } from 'vitest';
import { smsSegments } from '../../support/sms-segments.ts';
import { coverageAlertText, coverageByPosition, gapsWithin, rosteredManagers } from '../../../shared/domain/coverage.ts';
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
