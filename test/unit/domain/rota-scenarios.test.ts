/**
 * The nights the issue names, end to end through the pure core: a rota typed as CSV in London
 * time, who is on duty at given instants, the gaps the manager is shown, and the chain a referral
 * gets. Teams use the default hours (Mon–Thu 17:00–08:45, Fri from 16:45, weekends and bank
 * holidays all day).
 */
import { describe, expect, it } from 'vitest';
import { buildChain, startEscalation } from '../../../shared/domain/escalation.ts';
import { matchOnDuty } from '../../../shared/domain/matching.ts';
import { parseRotaCsv } from '../../../shared/domain/rota-csv.ts';
import { localToInstant } from '../../../shared/domain/rota-time.ts';
import { checkRota, onDutyAt, toShifts, whoIsOnDuty } from '../../../shared/domain/rota.ts';
import type { Shift, Team } from '../../../shared/domain/types.ts';

const team: Team = {
  id: 'leeds-edt',
  name: 'Leeds EDT',
  areas: ['LS1'],
  escalation: { ackTimeoutSeconds: 600, repeat: 1 },
  continuity: 'ignore',
  fallbackPhone: '+447700900199',
};

function rota(...rows: string[]): Shift[] {
  const result = parseRotaCsv(['date,start,end,staff,position,kind,covers', ...rows].join('\n'));
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return toShifts(team.id, result.value);
}

const london = (date: string, time: string) => localToInstant(date, time);
const utc = (instant: string) => new Date(instant);
const hours = (shift: Shift | undefined) => (Date.parse(shift?.end ?? '') - Date.parse(shift?.start ?? '')) / 3_600_000;
const gaps = (shifts: Shift[], from: Date, to: Date) => checkRota(shifts, team, from, to).gaps;

describe.each([
  { year: 2026, saturday: '2026-03-28', sunday: '2026-03-29', monday: '2026-03-30', change: 'forward', nightHours: 15 },
  { year: 2026, saturday: '2026-10-24', sunday: '2026-10-25', monday: '2026-10-26', change: 'back', nightHours: 17 },
  { year: 2027, saturday: '2027-03-27', sunday: '2027-03-28', monday: '2027-03-29', change: 'forward', nightHours: 15 },
  { year: 2027, saturday: '2027-10-30', sunday: '2027-10-31', monday: '2027-11-01', change: 'back', nightHours: 17 },
])('the night the clocks go $change in $year', ({ saturday, sunday, monday, change, nightHours }) => {
  const weekend = rota(
    `${saturday},09:00,17:00,amhp-chloe,primary`,
    `${saturday},17:00,09:00,amhp-asha,primary`,
    `${saturday},09:00,09:00,amhp-ben,secondary`,
    `${saturday},09:00,09:00,manager-dev,manager`,
    `${sunday},09:00,09:00,amhp-chloe,primary`,
    `${sunday},09:00,09:00,amhp-ben,secondary`,
    `${sunday},09:00,09:00,manager-dev,manager`,
  );

  it(`gives the 17:00–09:00 night shift ${nightHours} real hours: the clock change neither loses nor doubles one`, () => {
    expect(hours(weekend[1])).toBe(nightHours);
    expect(weekend[1]?.end).toBe(weekend[4]?.start);
  });

  it('has the night team on duty through the change, one person per position', () => {
    // 00:30 to 02:30 by the clock, probed every quarter of an hour of real time.
    const from = london(sunday, '00:30').getTime();
    for (let t = from; t < from + (change === 'back' ? 3 : 1) * 3_600_000; t += 15 * 60_000) {
      expect(whoIsOnDuty(weekend, new Date(t))).toEqual({ primary: 'amhp-asha', secondary: 'amhp-ben', manager: 'manager-dev' });
    }
  });

  it('hands over at 09:00 London time on the Sunday', () => {
    expect(whoIsOnDuty(weekend, new Date(london(sunday, '09:00').getTime() - 1)).primary).toBe('amhp-asha');
    expect(whoIsOnDuty(weekend, london(sunday, '09:00')).primary).toBe('amhp-chloe');
  });

  it('shows no gap from Saturday morning to Monday 08:45', () => {
    expect(gaps(weekend, london(saturday, '09:00'), london(monday, '08:45'))).toEqual([]);
  });
});

describe('the October night, both 01:30s', () => {
  const night = rota('2026-10-24,17:00,09:00,amhp-asha,primary', '2026-10-25,01:00+01:00,03:00,amhp-ben,primary,override,amhp-asha');

  it('reads an override from 01:00+01:00 as the first 01:00 (BST), so it holds through both 01:30s', () => {
    expect(whoIsOnDuty(night, utc('2026-10-25T00:30:00Z')).primary).toBe('amhp-ben'); // 01:30 BST
    expect(whoIsOnDuty(night, utc('2026-10-25T01:30:00Z')).primary).toBe('amhp-ben'); // 01:30 GMT
    expect(whoIsOnDuty(night, utc('2026-10-25T03:00:00Z')).primary).toBe('amhp-asha'); // 03:00 GMT
    expect(hours(night[1])).toBe(3);
  });
});

describe('a Friday-evening handover', () => {
  // Friday 27 November 2026 (GMT): the office closes at 16:45, not 17:00.
  const week = (fridayStart: string) =>
    rota(
      '2026-11-26,17:00,08:45,amhp-asha,primary',
      '2026-11-26,17:00,08:45,amhp-ben,secondary',
      '2026-11-26,17:00,08:45,manager-dev,manager',
      `2026-11-27,${fridayStart},09:00,amhp-chloe,primary`,
      `2026-11-27,${fridayStart},09:00,amhp-asha,secondary`,
      `2026-11-27,${fridayStart},09:00,manager-dev,manager`,
    );
  const from = london('2026-11-26', '17:00');
  const to = london('2026-11-28', '09:00');

  it('passes from Thursday night to the Friday team, with the office in between and no gap', () => {
    const rotaWeek = week('16:45');
    expect(whoIsOnDuty(rotaWeek, london('2026-11-27', '08:44')).primary).toBe('amhp-asha');
    expect(whoIsOnDuty(rotaWeek, london('2026-11-27', '12:00'))).toEqual({});
    expect(whoIsOnDuty(rotaWeek, london('2026-11-27', '16:45')).primary).toBe('amhp-chloe');
    expect(gaps(rotaWeek, from, to)).toEqual([]);
  });

  it('shows the quarter hour nobody holds when Friday’s shifts start at 17:00', () => {
    expect(gaps(week('17:00'), from, to)).toEqual(
      ['primary', 'secondary', 'manager'].map((position) => ({ position, start: '2026-11-27T16:45:00.000Z', end: '2026-11-27T17:00:00.000Z' })),
    );
  });
});

describe('a bank-holiday Monday', () => {
  // Early May bank holiday, Monday 4 May 2026 (BST): out of hours from Friday 16:45 to Tuesday 08:45.
  const normalWeek = rota(
    '2026-05-01,16:45,09:00,amhp-asha,primary',
    '2026-05-02,09:00,09:00,amhp-ben,primary',
    '2026-05-03,09:00,08:45,amhp-chloe,primary',
    '2026-05-04,17:00,08:45,amhp-asha,primary',
  );
  const from = london('2026-05-01', '16:45');
  const to = london('2026-05-05', '08:45');
  const onlyPrimary = (shifts: Shift[]) => checkRota(shifts, { ...team, requiredPositions: ['primary'] }, from, to).gaps;

  it('shows the Monday day as a gap when the rota was written as an ordinary week', () => {
    expect(onlyPrimary(normalWeek)).toEqual([{ position: 'primary', start: '2026-05-04T07:45:00.000Z', end: '2026-05-04T16:00:00.000Z' }]);
  });

  it('has no gap once the Monday day is covered, and routes a 10:00 referral to the bank-holiday AMHP', () => {
    const covered = [...normalWeek, ...rota('2026-05-04,08:45,17:00,amhp-ben,primary')];
    expect(onlyPrimary(covered)).toEqual([]);
    const match = matchOnDuty({ continuity: 'ignore', onDuty: onDutyAt(covered, london('2026-05-04', '10:00')), conflicts: [], busy: new Set(), lastChosenAt: {} });
    expect(match.steps.map((s) => s.staffId)).toEqual(['amhp-ben', null, null]);
  });
});

describe('an overnight override', () => {
  // Tuesday night 24–25 November 2026: Dev covers Asha from 23:00 to 03:00, across midnight.
  const night = rota(
    '2026-11-24,17:00,08:45,amhp-asha,primary',
    '2026-11-24,17:00,08:45,amhp-ben,secondary',
    '2026-11-24,17:00,08:45,manager-dev,manager',
    '2026-11-24,23:00,03:00,amhp-chloe,primary,override,amhp-asha',
  );

  it('wins over the base rota for its window only', () => {
    expect(whoIsOnDuty(night, london('2026-11-24', '22:59')).primary).toBe('amhp-asha');
    expect(whoIsOnDuty(night, london('2026-11-25', '00:30')).primary).toBe('amhp-chloe');
    expect(whoIsOnDuty(night, london('2026-11-25', '03:00')).primary).toBe('amhp-asha');
  });

  it('pages the cover first for a referral routed at 02:00, and leaves no gap or overlap', () => {
    const match = matchOnDuty({ continuity: 'ignore', onDuty: onDutyAt(night, london('2026-11-25', '02:00')), conflicts: [], busy: new Set(), lastChosenAt: {} });
    const decision = startEscalation(buildChain(team, match), london('2026-11-25', '02:00'));
    expect(decision.actions[0]).toMatchObject({ kind: 'page', staffId: 'amhp-chloe', position: 'primary' });
    expect(checkRota(night, team, london('2026-11-24', '17:00'), london('2026-11-25', '08:45'))).toEqual({ gaps: [], overlaps: [] });
  });
});
