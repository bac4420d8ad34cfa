import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isoWeek,
  percentile,
  responseTimeReport,
  summarise,
  windowDays,
  type GroupStatistics,
  type ReferralEvents,
} from '../../../shared/domain/response-times.ts';
import { localToInstant } from '../../../shared/domain/rota-time.ts';
import type { TimelineEntry } from '../../../shared/domain/types.ts';

describe('percentile (nearest rank)', () => {
  it('is the value at rank ⌈p/100 × n⌉ of the sorted values, always one that happened', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 90)).toBe(4);
    expect(percentile([1, 2, 3, 4], 25)).toBe(1);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 91)).toBe(10);
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([7], 100)).toBe(7);
  });

  it('is null for no values and refuses a p outside (0, 100]', () => {
    expect(percentile([], 50)).toBeNull();
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('summarises unsorted durations: count, p50, p90 and max', () => {
    expect(summarise([300, 60, 120, 600, 30])).toEqual({ count: 5, p50: 120, p90: 600, max: 600 });
    expect(summarise([])).toEqual({ count: 0, p50: null, p90: null, max: null });
  });

  it('summarises as sorting would, with repeats, runs already in order and reversed (it selects the ranks instead)', () => {
    const durations = fc.oneof(
      fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 60 }),
      fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { maxLength: 300 }),
      fc.integer({ min: 1, max: 400 }).map((n) => Array.from({ length: n }, (_, i) => i)),
      fc.integer({ min: 1, max: 400 }).map((n) => Array.from({ length: n }, (_, i) => n - i)),
    );
    fc.assert(
      fc.property(durations, (values) => {
        const sorted = [...values].sort((a, b) => a - b);
        expect(summarise(values)).toEqual({ count: values.length, p50: percentile(sorted, 50), p90: percentile(sorted, 90), max: sorted.at(-1) ?? null });
      }),
      { numRuns: 2000 },
    );
  });
});

describe('calendar grouping', () => {
  it('names ISO 8601 weeks, including the ones that straddle a new year', () => {
    expect(isoWeek('2026-01-01')).toBe('2026-W01');
    expect(isoWeek('2025-12-29')).toBe('2026-W01');
    expect(isoWeek('2027-01-01')).toBe('2026-W53');
    expect(isoWeek('2024-12-30')).toBe('2025-W01');
    expect(isoWeek('2026-10-01')).toBe('2026-W40');
    expect(isoWeek('2026-10-25')).toBe('2026-W43');
    expect(isoWeek('2026-10-26')).toBe('2026-W44');
  });

  it('lists every London day of a window, the day the clocks go back included once', () => {
    const days = windowDays(localToInstant('2026-10-24', '00:00'), localToInstant('2026-10-27', '00:00'));
    expect(days).toEqual(['2026-10-24', '2026-10-25', '2026-10-26']);
  });
});

/**
 * A month of referrals with known timings: October 2026, one referral per day d = 1..31, received
 * at d mod 24 o'clock London time (so the clocks going back on Sunday 25 October is inside it).
 *
 * - team: `north` on odd days, `south` on even days; s136 when d is a multiple of 4, else none.
 * - first page 10·d seconds after receipt, to `amhp-a` on odd days and `amhp-b` on even days.
 * - d a multiple of 7: before that page, "no one on duty" as primary.
 * - d a multiple of 10 (10, 20, 30): nobody answers: two more pages 10 min apart, then the chain
 *   is exhausted 30 min after the first page. Never accepted, never closed.
 * - otherwise d a multiple of 3: the first AMHP declines 2 min after the page, `amhp-c` is paged
 *   at once and accepts 60·d seconds after receipt.
 * - otherwise the first AMHP accepts 60·d seconds after receipt.
 * - accepted referrals on odd days are closed an hour after acceptance.
 */
const OCTOBER = { from: localToInstant('2026-10-01', '00:00'), to: localToInstant('2026-11-01', '00:00') };

function octoberReferral(d: number): ReferralEvents {
  const date = `2026-10-${String(d).padStart(2, '0')}`;
  const received = localToInstant(date, `${String(d % 24).padStart(2, '0')}:00`).getTime();
  const at = (seconds: number) => new Date(received + seconds * 1000).toISOString();
  const first = d % 2 === 1 ? 'amhp-a' : 'amhp-b';
  const timeline: TimelineEntry[] = [{ at: at(0), type: 'received' }, { at: at(5), type: 'routed' }];
  const firstPage = 10 * d;
  if (d % 7 === 0) timeline.push({ at: at(firstPage), type: 'no_one_on_duty', position: 'primary', round: 0 });
  timeline.push({ at: at(firstPage), type: 'paged', staffId: first, position: 'secondary', round: 0, pageSeq: 1 });
  let accepted: { by: string; pageSeq: number } | null = null;
  if (d % 10 === 0) {
    timeline.push(
      { at: at(firstPage + 600), type: 'ack_timeout', staffId: first, pageSeq: 1 },
      { at: at(firstPage + 600), type: 'paged', staffId: 'amhp-c', position: 'secondary', round: 0, pageSeq: 2 },
      { at: at(firstPage + 1200), type: 'ack_timeout', staffId: 'amhp-c', pageSeq: 2 },
      { at: at(firstPage + 1200), type: 'paged', staffId: 'manager-m', position: 'manager', round: 0, pageSeq: 3 },
      { at: at(firstPage + 1800), type: 'ack_timeout', staffId: 'manager-m', pageSeq: 3 },
      { at: at(firstPage + 1800), type: 'chain_exhausted', rounds: 1 },
    );
  } else if (d % 3 === 0) {
    timeline.push(
      { at: at(firstPage + 120), type: 'declined', staffId: first, pageSeq: 1 },
      { at: at(firstPage + 120), type: 'paged', staffId: 'amhp-c', position: 'manager', round: 0, pageSeq: 2 },
    );
    accepted = { by: 'amhp-c', pageSeq: 2 };
  } else {
    accepted = { by: first, pageSeq: 1 };
  }
  if (accepted) {
    timeline.push({ at: at(60 * d), type: 'accepted', staffId: accepted.by, pageSeq: accepted.pageSeq, round: 0 });
    if (d % 2 === 1) timeline.push({ at: at(60 * d + 3600), type: 'closed', outcome: 'assessed', result: 'no_further_action', by: accepted.by });
  }
  return { id: `oct-${d}`, teamId: d % 2 === 1 ? 'north' : 'south', legalStatus: d % 4 === 0 ? 's136' : 'none', createdAt: at(0), timeline };
}

const month = Array.from({ length: 31 }, (_, i) => octoberReferral(i + 1));
/** Just outside the window at each end: never counted. */
const outside: ReferralEvents[] = [
  { id: 'sept', teamId: 'north', legalStatus: 's136', createdAt: localToInstant('2026-09-30', '23:59').toISOString(), timeline: [] },
  { id: 'nov', teamId: 'north', legalStatus: 's136', createdAt: localToInstant('2026-11-01', '00:00').toISOString(), timeline: [] },
];
const report = responseTimeReport([...outside, ...month], OCTOBER);
const group = (groups: GroupStatistics[], key: string) => {
  const found = groups.find((g) => g.key === key);
  if (!found) throw new Error(`no group ${key}`);
  return found;
};

describe('a month of referrals with known timings', () => {
  it('counts the referrals received in the window, and no others', () => {
    expect(report.from).toBe('2026-09-30T23:00:00.000Z');
    expect(report.to).toBe('2026-11-01T00:00:00.000Z');
    expect(report.percentileMethod).toBe('nearest-rank');
    expect(report.all.overall.referrals).toBe(31);
    expect(report.s136.overall.referrals).toBe(7);
  });

  it('gives every figure for all referrals exactly', () => {
    expect(report.all.overall).toEqual({
      key: 'all',
      referrals: 31,
      accepted: 28,
      closed: 16,
      awaitingAcceptance: 3,
      // 10·d for d = 1..31: ranks 16 and 28.
      timeToFirstPage: { count: 31, p50: 160, p90: 280, max: 310 },
      // 60·d for the 28 accepted days (not 10, 20, 30): ranks 14 (d = 15) and 26 (d = 28).
      timeToAccept: { count: 28, p50: 900, p90: 1680, max: 1860 },
      // 60·d + 3600 for the 16 odd days: ranks 8 (d = 15) and 15 (d = 29).
      timeToClose: { count: 16, p50: 4500, p90: 5340, max: 5460 },
      // 50·d after a first page; 50·d − 120 after the page that followed a decline.
      pageToAccept: { count: 28, p50: 700, p90: 1400, max: 1550 },
      escalated: 12,
      escalationRate: 12 / 31,
      pages: 46,
      declines: 9,
      declineRate: 9 / 46,
      exhausted: 3,
      noOneOnDuty: { incidents: 4, referrals: 4 },
    });
  });

  it('gives every figure for s136 referrals apart, exactly', () => {
    expect(report.s136.overall).toEqual({
      key: 'all',
      referrals: 7,
      accepted: 6,
      closed: 0,
      awaitingAcceptance: 1,
      timeToFirstPage: { count: 7, p50: 160, p90: 280, max: 280 },
      timeToAccept: { count: 6, p50: 720, p90: 1680, max: 1680 },
      timeToClose: { count: 0, p50: null, p90: null, max: null },
      pageToAccept: { count: 6, p50: 480, p90: 1400, max: 1400 },
      escalated: 3,
      escalationRate: 3 / 7,
      pages: 11,
      declines: 2,
      declineRate: 2 / 11,
      exhausted: 1,
      noOneOnDuty: { incidents: 1, referrals: 1 },
    });
  });

  it('groups by team', () => {
    expect(report.all.byTeam.map((g) => g.key)).toEqual(['north', 'south']);
    expect(group(report.all.byTeam, 'north')).toEqual({
      key: 'north',
      referrals: 16,
      accepted: 16,
      closed: 16,
      awaitingAcceptance: 0,
      timeToFirstPage: { count: 16, p50: 150, p90: 290, max: 310 },
      timeToAccept: { count: 16, p50: 900, p90: 1740, max: 1860 },
      timeToClose: { count: 16, p50: 4500, p90: 5340, max: 5460 },
      // Odd days: 50·d, or 50·d − 120 on 3, 9, 15, 21, 27.
      pageToAccept: { count: 16, p50: 650, p90: 1450, max: 1550 },
      escalated: 5,
      escalationRate: 5 / 16,
      pages: 21,
      declines: 5,
      declineRate: 5 / 21,
      exhausted: 0,
      noOneOnDuty: { incidents: 2, referrals: 2 },
    });
    const south = group(report.all.byTeam, 'south');
    expect([south.referrals, south.accepted, south.closed, south.awaitingAcceptance]).toEqual([15, 12, 0, 3]);
    expect([south.escalated, south.escalationRate, south.pages, south.declines, south.declineRate, south.exhausted]).toEqual([7, 7 / 15, 25, 4, 4 / 25, 3]);
    expect(south.noOneOnDuty).toEqual({ incidents: 2, referrals: 2 });
    // 60·d for 2, 4, 6, 8, 12, 14, 16, 18, 22, 24, 26, 28: ranks 6 (d = 14) and 11 (d = 26).
    expect(south.timeToAccept).toEqual({ count: 12, p50: 840, p90: 1560, max: 1680 });
  });

  it('groups by the AMHP who accepted', () => {
    expect(report.all.byAmhp.map((g) => [g.key, g.referrals])).toEqual([
      ['amhp-a', 11],
      ['amhp-b', 8],
      ['amhp-c', 9],
    ]);
    const c = group(report.all.byAmhp, 'amhp-c');
    // 60·d for d = 3, 6, 9, 12, 15, 18, 21, 24, 27: ranks 5 and 9.
    expect(c.timeToAccept).toEqual({ count: 9, p50: 900, p90: 1620, max: 1620 });
    expect(c.pageToAccept).toEqual({ count: 9, p50: 630, p90: 1230, max: 1230 });
    expect([c.escalated, c.escalationRate, c.pages, c.declines, c.declineRate]).toEqual([9, 1, 18, 9, 0.5]);
    const a = group(report.all.byAmhp, 'amhp-a');
    // d = 1, 5, 7, 11, 13, 17, 19, 23, 25, 29, 31: ranks 6 (d = 17) and 10 (d = 29).
    expect(a.timeToAccept).toEqual({ count: 11, p50: 1020, p90: 1740, max: 1860 });
    expect([a.escalated, a.pages, a.declines, a.declineRate, a.closed]).toEqual([0, 11, 0, 0, 11]);
  });

  it('groups by London day, every day of the month, the 25th (clocks back) once', () => {
    expect(report.all.byDay.map((g) => g.key)).toEqual(Array.from({ length: 31 }, (_, i) => `2026-10-${String(i + 1).padStart(2, '0')}`));
    expect(report.all.byDay.every((g) => g.referrals === 1)).toBe(true);
    expect(group(report.all.byDay, '2026-10-20')).toMatchObject({ accepted: 0, exhausted: 1, pages: 3, escalationRate: 1, declineRate: 0 });
    expect(group(report.all.byDay, '2026-10-21').timeToAccept).toEqual({ count: 1, p50: 1260, p90: 1260, max: 1260 });
    // Days are kept for the s136 figures too, empty where none came in.
    expect(report.s136.byDay).toHaveLength(31);
    expect(group(report.s136.byDay, '2026-10-01')).toMatchObject({ referrals: 0, escalationRate: null, declineRate: null, timeToAccept: { count: 0, p50: null } });
  });

  it('groups by ISO week of the London date', () => {
    expect(report.all.byWeek.map((g) => [g.key, g.referrals])).toEqual([
      ['2026-W40', 4],
      ['2026-W41', 7],
      ['2026-W42', 7],
      ['2026-W43', 7],
      ['2026-W44', 6],
    ]);
    expect(group(report.all.byWeek, '2026-W43')).toMatchObject({ escalated: 3, escalationRate: 3 / 7, pages: 11, declines: 2, declineRate: 2 / 11, noOneOnDuty: { incidents: 1, referrals: 1 } });
  });

  it('groups by the hour of the London clock the referral came in, all 24 hours', () => {
    expect(report.all.byHour.map((g) => g.key)).toEqual(Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')));
    expect(report.all.byHour.map((g) => g.referrals)).toEqual([1, 2, 2, 2, 2, 2, 2, 2, ...Array<number>(16).fill(1)]);
    // 01:00 on 1 October and 01:00 BST on 25 October, the first of the two 01:00s that night.
    expect(group(report.all.byHour, '01').timeToAccept).toEqual({ count: 2, p50: 60, p90: 1500, max: 1500 });
    expect(report.s136.byHour.map((g) => g.referrals).reduce((a, b) => a + b, 0)).toBe(7);
    expect(group(report.s136.byHour, '00').referrals).toBe(1);
  });
});

describe('edge cases', () => {
  it('counts a referral not yet paged or accepted as awaiting, and adds no times for it', () => {
    const waiting: ReferralEvents = { id: 'w', teamId: 't', legalStatus: 's5_2', createdAt: '2026-10-10T20:00:00.000Z', timeline: [{ at: '2026-10-10T20:00:00.000Z', type: 'received' }] };
    const { overall } = responseTimeReport([waiting], OCTOBER).all;
    expect(overall).toMatchObject({ referrals: 1, accepted: 0, awaitingAcceptance: 1, pages: 0, escalationRate: 0, declineRate: null });
    expect(overall.timeToFirstPage).toEqual({ count: 0, p50: null, p90: null, max: null });
  });

  it('reports an empty window with nulls, not zeros, for times and rates', () => {
    const empty = responseTimeReport([], OCTOBER);
    expect(empty.all.overall).toMatchObject({ referrals: 0, escalationRate: null, declineRate: null, timeToAccept: { count: 0, p50: null } });
    expect(empty.all.byTeam).toEqual([]);
    expect(empty.all.byDay).toHaveLength(31);
  });
});
