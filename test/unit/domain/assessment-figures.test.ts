import { describe, expect, it } from 'vitest';
import { assessmentFiguresCsv } from '../../../shared/domain/assessment-figures-csv.ts';
import {
  assessmentFactsOf,
  assessmentFigures,
  breachedClocks,
  hoursLostOf,
  legalStatusAtReferral,
  metStandard,
  policePowersTable,
  type FigureSource,
} from '../../../shared/domain/assessment-figures.ts';
import { clockIntakeTimeline, statutoryClocks } from '../../../shared/domain/clocks.ts';
import type { StatutoryClock, TimelineEntry } from '../../../shared/domain/types.ts';

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const T0 = Date.parse('2026-11-10T20:00:00Z');
const at = (minutes: number) => iso(T0 + minutes * MIN);
const event = (type: TimelineEntry['type'], minutes: number, detail: Record<string, unknown> = {}): TimelineEntry => ({ at: at(minutes + 1), type, eventAt: at(minutes), by: 'amhp-a', ...detail });
const window = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') };
const late = new Date('2026-11-30T00:00:00Z');

function s136(arrivalMinutes: number, timeline: TimelineEntry[], over: Partial<FigureSource> = {}): FigureSource {
  const clock: StatutoryClock = { kind: 's136', startedAt: at(arrivalMinutes), expiresAt: at(arrivalMinutes + 24 * 60), startEvent: 'arrived_at_place_of_safety' };
  return {
    id: 'r1',
    teamId: 'north',
    createdAt: at(0),
    legal: { status: 's136', placeOfSafety: { kind: 'health_based' } },
    clocks: [clock],
    subjectUnder18: false,
    timeline: [
      { at: at(0), type: 'received', legalStatus: 's136', channel: 'web', urgency: 'immediate', district: 'LS1' },
      { at: at(5), type: 'accepted', staffId: 'amhp-a', pageSeq: 1 },
      ...timeline,
    ],
    ...over,
  };
}

describe('one referral read into facts', () => {
  it('the night from arrival to admission: each figure from the event the timeline says happened', () => {
    const source = s136(30, [
      event('arrived_at_place_of_safety', 30, { placeKind: 'emergency_department' }),
      event('attending', 40),
      event('assessment_started', 150),
      event('decision', 200, { outcome: 'application_s2' }),
      event('admitted', 400, { section: 's2', from: 's136' }),
    ]);
    const facts = assessmentFactsOf(source);
    expect(facts).toMatchObject({ arrivalAt: Date.parse(at(30)), firstPlace: 'emergency_department', assessmentStartedAt: Date.parse(at(150)), decisionAt: Date.parse(at(200)), admittedAt: Date.parse(at(400)), outcome: 'application_s2', acceptedBy: 'amhp-a' });
    const report = assessmentFigures([facts], window, late);
    expect(report.overall.arrivalToAssessment).toEqual({ count: 1, p50: 120 * 60, p90: 120 * 60, max: 120 * 60 });
    expect(report.overall.arrivalToDecision.p50).toBe(170 * 60);
    expect(report.overall.arrivalToAdmission.p50).toBe(370 * 60);
    expect(report.overall.withinStandard).toEqual({ met: 1, counted: 1, share: 1 });
  });

  it('keeps the status the referral was made under after an admission changes it', () => {
    const source = s136(30, [event('admitted', 400, { section: 's2', from: 's136' })], { legal: { status: 's2' } });
    expect(legalStatusAtReferral(source)).toBe('s136');
    expect(legalStatusAtReferral({ legal: { status: 's2' }, timeline: [event('admitted', 1, { from: 's5_2' })] })).toBe('s5_2');
    expect(legalStatusAtReferral({ legal: { status: 's3' }, timeline: [] })).toBe('s3');
  });

  it('takes the first place of safety from the intake clock entry, though a transfer moved the person since', () => {
    const legal = { status: 's136', placeOfSafety: { kind: 'police_station' as const, arrivedAt: at(0), policeStationAuthorisedBy: 'Insp A' } };
    const clocks = statutoryClocks(legal);
    const intake = clockIntakeTimeline(legal, clocks, new Date(T0 + MIN));
    expect(intake[0]).toMatchObject({ placeKind: 'police_station' });
    const source = s136(0, [...intake, event('transferred', 60, { placeKind: 'health_based' })], { clocks, legal: { status: 's136', placeOfSafety: { kind: 'health_based' } } });
    expect(assessmentFactsOf(source)).toMatchObject({ firstPlace: 'police_station', policeStation: true });
  });

  it('a referral with no arrival has no arrival figures and no place', () => {
    const facts = assessmentFactsOf(s136(0, [event('assessment_started', 60)], { clocks: [], legal: { status: 's136', placeOfSafety: { kind: 'health_based' } } }));
    expect(facts).toMatchObject({ arrivalAt: null, firstPlace: null });
    const report = assessmentFigures([facts], window, late);
    expect(report.overall).toMatchObject({ referrals: 1, arrived: 0, arrivalToAssessment: { count: 0, p50: null }, withinStandard: { counted: 0, share: null } });
    expect(report.policePowers.rows.find((row) => row.place === 'not_known')).toMatchObject({ notKnown: 0, adult: 1, total: 1 });
  });
});

describe('the 3-hour standard', () => {
  const facts = (timeline: TimelineEntry[], over: Partial<FigureSource> = {}) => assessmentFactsOf(s136(0, timeline, over));
  it('is met at exactly 3 h and missed a minute after', () => {
    expect(metStandard(facts([event('assessment_started', 180)]), late.getTime())).toBe(true);
    expect(metStandard(facts([event('assessment_started', 181)]), late.getTime())).toBe(false);
  });

  it('is not yet counted while the 3 h run, and missed once they are over with no assessment', () => {
    expect(metStandard(facts([]), T0 + 179 * MIN)).toBeNull();
    expect(metStandard(facts([]), T0 + 180 * MIN)).toBe(false);
  });

  it('is not counted when the person was released inside the 3 h without an assessment', () => {
    const clock: StatutoryClock = { kind: 's136', startedAt: at(0), expiresAt: at(24 * 60), endedAt: at(60), endReason: 'released', startEvent: 'arrived_at_place_of_safety' };
    expect(metStandard(facts([], { clocks: [clock] }), late.getTime())).toBeNull();
  });

  it('runs in elapsed time across the night the clocks go back', () => {
    // Arrival 00:30 BST on 25 October 2026; 02:30 GMT the same morning is 3 h later, not 2.
    const arrival = Date.parse('2026-10-24T23:30:00Z');
    const source: FigureSource = {
      id: 'dst',
      teamId: 'north',
      createdAt: iso(arrival - 10 * MIN),
      legal: { status: 's136' },
      clocks: [{ kind: 's136', startedAt: iso(arrival), expiresAt: iso(arrival + 24 * 60 * MIN), startEvent: 'arrived_at_place_of_safety' }],
      timeline: [{ at: iso(arrival + 3 * 60 * MIN), type: 'assessment_started', eventAt: iso(arrival + 3 * 60 * MIN) }],
    };
    const f = assessmentFactsOf(source);
    expect(metStandard(f, Date.parse('2026-11-01T00:00:00Z'))).toBe(true);
    const report = assessmentFigures([f], { from: new Date('2026-10-24T00:00:00Z'), to: new Date('2026-10-26T00:00:00Z') }, new Date('2026-10-27T00:00:00Z'));
    expect(report.overall.arrivalToAssessment.p50).toBe(3 * 3600);
    // Received 00:20 BST: the hour of the London clock, not of UTC.
    expect(report.byHour.find((h) => h.key === '00')?.referrals).toBe(1);
  });

  it('counts both 01:xx hours of the autumn night in hour 01', () => {
    const first = Date.parse('2026-10-25T00:15:00Z'); // 01:15 BST
    const second = Date.parse('2026-10-25T01:15:00Z'); // 01:15 GMT
    const source = (id: string, ms: number): FigureSource => ({ id, teamId: 't', createdAt: iso(ms), legal: { status: 'none' }, clocks: [], timeline: [] });
    const report = assessmentFigures([assessmentFactsOf(source('a', first)), assessmentFactsOf(source('b', second))], { from: new Date('2026-10-24T23:00:00Z'), to: new Date('2026-10-26T00:00:00Z') }, late);
    expect(report.byHour.map((h) => h.referrals)).toEqual(report.byHour.map((h) => (h.key === '01' ? 2 : 0)));
  });
});

describe('hours lost waiting', () => {
  it('sums each reason\u2019s delays, and counts an open delay up to the report\u2019s end', () => {
    const facts = assessmentFactsOf(
      s136(0, [
        event('delay_started', 10, { reason: 's12_doctor' }),
        event('delay_ended', 70, { reason: 's12_doctor' }),
        event('delay_started', 100, { reason: 's12_doctor' }),
        event('delay_ended', 130, { reason: 's12_doctor' }),
        event('delay_started', 200, { reason: 'bed' }),
      ]),
    );
    const lost = hoursLostOf(facts, T0 + 320 * MIN);
    expect(lost).toMatchObject({ s12_doctor: 1.5, bed: 2, ambulance: 0 });
    const report = assessmentFigures([facts], window, new Date(T0 + 320 * MIN));
    expect(report.overall.hoursLost).toMatchObject({ s12_doctor: 1.5, bed: 2 });
    expect(report.overall.delayedReferrals).toBe(1);
    expect(report.headline).toMatchObject({ delayedForBed: 1, delayedForDoctor: 1 });
  });

  it('stops an open delay at the close: a closed referral waits for nothing', () => {
    const facts = assessmentFactsOf(s136(0, [event('delay_started', 200, { reason: 'ambulance' }), { at: at(260), type: 'closed', outcome: 'assessed' }]));
    expect(hoursLostOf(facts, late.getTime()).ambulance).toBe(1);
  });
});

describe('breaches: a clock that ran out before a lawful end', () => {
  const clock = (over: Partial<StatutoryClock>): StatutoryClock => ({ kind: 's136', startedAt: at(0), expiresAt: at(24 * 60), startEvent: 'arrived_at_place_of_safety', ...over });
  const facts = (clocks: StatutoryClock[], timeline: TimelineEntry[] = []) => assessmentFactsOf(s136(0, timeline, { clocks }));
  const end = T0 + 30 * 60 * MIN;

  it('counts a clock ended after its expiry, and one still running past it', () => {
    expect(breachedClocks(facts([clock({ endedAt: at(24 * 60 + 1), endReason: 'admitted' })]), end)).toHaveLength(1);
    expect(breachedClocks(facts([clock({})]), end)).toHaveLength(1);
  });

  it('does not count a clock ended lawfully, at or before its expiry, nor one not yet expired', () => {
    expect(breachedClocks(facts([clock({ endedAt: at(24 * 60), endReason: 'released' })]), end)).toHaveLength(0);
    expect(breachedClocks(facts([clock({ endedAt: at(300), endReason: 'admitted' })]), end)).toHaveLength(0);
    expect(breachedClocks(facts([clock({})]), T0 + 23 * 60 * MIN)).toHaveLength(0);
  });

  it('counts the s136B extension: the extended expiry is the one that matters', () => {
    const extended = clock({ expiresAt: at(36 * 60), endedAt: at(30 * 60), extension: { hours: 12, doctorName: 'Dr A', reason: 'person_condition', recordedAt: at(600), recordedBy: 'amhp-a', superintendentName: 'Supt B' } });
    const f = facts([extended]);
    expect(breachedClocks(f, late.getTime())).toHaveLength(0);
    expect(assessmentFigures([f], window, late).overall.s136bExtensions).toEqual({ count: 1, hours: 12, atPoliceStation: 1 });
  });

  it('does not count a clock left to the hospital when the referral closed before its expiry', () => {
    const s2: StatutoryClock = { kind: 's2', startedAt: at(400), expiresAt: at(400 + 28 * 24 * 60), startEvent: 'admitted' };
    const closed = facts([s2], [{ at: at(500), type: 'closed', outcome: 'assessed' }]);
    expect(breachedClocks(closed, T0 + 40 * 24 * 60 * MIN)).toHaveLength(0);
  });

  it('says which breaches had run out before the referral came', () => {
    const f = facts([clock({})], [{ at: at(0), type: 'clock_expired', clockKind: 's136', atIntake: true, expiresAt: at(24 * 60) }]);
    expect(assessmentFigures([f], window, late).overall.breaches).toEqual({ clocks: 1, referrals: 1, beforeReferral: 1, byKind: { s136: 1 } });
  });
});

describe('the figures of many referrals', () => {
  const make = (n: number, over: Partial<FigureSource>, timeline: TimelineEntry[] = []) => ({ ...s136(0, timeline, over), id: `r${n}` });
  const all = [
    make(1, { teamId: 'north', subjectUnder18: true }, [event('decision', 100, { outcome: 'no_further_action' })]),
    make(2, { teamId: 'north', legal: { status: 's136', placeOfSafety: { kind: 'police_station' } } }, [event('arrived_at_place_of_safety', 0, { placeKind: 'police_station' }), event('decision', 100, { outcome: 'application_s3' })]),
    make(3, { teamId: 'south', subjectUnder18: undefined }, [event('arrived_at_place_of_safety', 0, { placeKind: 'other' }), event('decision', 100, { outcome: 'application_s2' })]),
    { id: 'r4', teamId: 'south', createdAt: at(10), legal: { status: 's5_2' }, clocks: [], timeline: [{ at: at(10), type: 'received' as const, legalStatus: 's5_2' }, event('decision', 100, { outcome: 'informal_admission' })] },
  ].map(assessmentFactsOf);
  const report = assessmentFigures(all, window, late);

  it('groups by team, accepting AMHP and hour received, every hour listed', () => {
    expect(report.byTeam.map((g) => [g.key, g.referrals])).toEqual([['north', 2], ['south', 2]]);
    expect(report.byAmhp.map((g) => [g.key, g.referrals])).toEqual([['amhp-a', 3]]);
    expect(report.byHour).toHaveLength(24);
    expect(report.byHour.find((g) => g.key === '20')?.referrals).toBe(4);
  });

  it('counts outcomes by the legal status the referral was made under', () => {
    expect(report.byLegalStatus).toEqual([
      expect.objectContaining({ legalStatus: 's136', referrals: 3, outcomes: expect.objectContaining({ no_further_action: 1, application_s3: 1, application_s2: 1, none: 0 }) }),
      expect.objectContaining({ legalStatus: 's5_2', referrals: 1, outcomes: expect.objectContaining({ informal_admission: 1 }) }),
    ]);
  });

  it('counts police-station and under-18 use', () => {
    expect(report.overall.policeStation).toEqual({ referrals: 1, firstPlace: 1 });
    expect(report.overall.under18).toEqual({ referrals: 1, atPoliceStation: 0 });
  });

  it('lays the s136 detentions out as the Home Office return does: first place of safety by age group', () => {
    expect(report.policePowers.detentions).toBe(3);
    expect(report.policePowers.rows).toEqual([
      { place: 'health_based', under18: 1, adult: 0, notKnown: 0, total: 1 },
      { place: 'emergency_department', under18: 0, adult: 0, notKnown: 0, total: 0 },
      { place: 'police_station', under18: 0, adult: 1, notKnown: 0, total: 1 },
      { place: 'other', under18: 0, adult: 0, notKnown: 1, total: 1 },
      { place: 'not_known', under18: 0, adult: 0, notKnown: 0, total: 0 },
    ]);
    expect(report.policePowers.totals).toEqual({ under18: 1, adult: 1, notKnown: 1 });
    expect(policePowersTable([]).detentions).toBe(0);
  });

  it('gives the headline measures the AMHP surveys publish', () => {
    expect(report.headline).toMatchObject({ referrals: 4, decisions: 4, applications: { s2: 1, s3: 1, s4: 0, total: 2 }, informalAdmissions: 1, notAdmitted: 1, applicationRate: 0.5 });
  });

  it('leaves out referrals received outside the window', () => {
    expect(assessmentFigures(all, { from: new Date(T0 + 5 * MIN), to: window.to }, late).overall.referrals).toBe(1);
  });

  it('writes one figure a row in the CSV, with team and AMHP names from the labels', () => {
    const csv = assessmentFiguresCsv(report, { teams: { north: 'North EDT' }, amhps: { 'amhp-a': 'Asha Patel' } });
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('grouping,key,label,measure,value');
    expect(lines).toContain('team,north,North EDT,referrals,2');
    expect(lines).toContain('amhp,amhp-a,Asha Patel,referrals,3');
    expect(lines).toContain('home_office_s136,police_station,police_station,18_and_over,1');
    expect(lines).toContain('headline,all,Headline measures,applications_total,2');
    // Three s136 arrivals, none assessed, all 3 h past: counted, none within.
    expect(lines).toContain('all,all,All referrals,assessment_within_3h_counted,3');
    expect(lines).toContain('all,all,All referrals,assessment_within_3h_share,0');
    expect(assessmentFiguresCsv(assessmentFigures([], window, late), { teams: {}, amhps: {} })).toContain('all,all,All referrals,assessment_within_3h_share,\r\n');
  });
});
