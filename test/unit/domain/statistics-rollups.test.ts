import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessmentFactsOf, assessmentFigures, type FigureSource } from '../../../shared/domain/assessment-figures.ts';
import { responseTimeReport, responseTimeReportOf, type ReferralEvents } from '../../../shared/domain/response-times.ts';
import { canRollUp, decodeFigureRecord, encodeFigureRecord, figureRecordOf } from '../../../shared/domain/statistics-rollups.ts';
import { delayReasons } from '../../../shared/domain/referral-events/delays.ts';
import type { StatutoryClock, TimelineEntry } from '../../../shared/domain/types.ts';

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** A referral with a night of events at generated offsets (minutes after receipt). */
const referral = fc
  .record({
    received: fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-12-31T00:00:00Z') }),
    s136: fc.boolean(),
    under18: fc.option(fc.boolean(), { nil: undefined }),
    accepted: fc.option(fc.integer({ min: 1, max: 60 }), { nil: null }),
    arrival: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
    started: fc.option(fc.integer({ min: 121, max: 600 }), { nil: null }),
    delay: fc.option(fc.tuple(fc.constantFrom(...delayReasons), fc.integer({ min: 0, max: 300 }), fc.option(fc.integer({ min: 1, max: 300 }), { nil: null })), { nil: null }),
    closed: fc.option(fc.integer({ min: 601, max: 2000 }), { nil: null }),
    clockEnd: fc.option(fc.integer({ min: 1, max: 3000 }), { nil: null }),
    extended: fc.boolean(),
  })
  .map((g) => {
    const at = (minutes: number) => iso(g.received + minutes * MIN);
    const timeline: TimelineEntry[] = [{ at: at(0), type: 'received', legalStatus: g.s136 ? 's136' : 'none' }, { at: at(0.5), type: 'paged', staffId: 'amhp-a', pageSeq: 1 }];
    if (g.accepted !== null) timeline.push({ at: at(g.accepted), type: 'accepted', staffId: 'amhp-a', pageSeq: 1 });
    if (g.arrival !== null) timeline.push({ at: at(g.arrival), type: 'arrived_at_place_of_safety', eventAt: at(g.arrival), placeKind: 'emergency_department' });
    if (g.started !== null) timeline.push({ at: at(g.started), type: 'assessment_started', eventAt: at(g.started) }, { at: at(g.started + 30), type: 'decision', eventAt: at(g.started + 30), outcome: 'application_s2' });
    if (g.delay) {
      const [reason, since, length] = g.delay;
      timeline.push({ at: at(since), type: 'delay_started', eventAt: at(since), reason });
      if (length !== null) timeline.push({ at: at(since + length), type: 'delay_ended', eventAt: at(since + length), reason });
    }
    if (g.closed !== null) timeline.push({ at: at(g.closed), type: 'closed', outcome: 'assessed' });
    const clocks: StatutoryClock[] =
      g.s136 && g.arrival !== null
        ? [
            {
              kind: 's136',
              startedAt: at(g.arrival),
              expiresAt: at(g.arrival + (g.extended ? 36 : 24) * 60),
              startEvent: 'arrived_at_place_of_safety',
              ...(g.clockEnd !== null ? { endedAt: at(g.arrival + g.clockEnd), endReason: 'admitted' as const } : {}),
              ...(g.extended ? { extension: { hours: 12, doctorName: 'Dr A', reason: 'person_condition' as const, recordedAt: at(g.arrival + 60), recordedBy: 'amhp-a' } } : {}),
            },
          ]
        : [];
    const source: FigureSource = { id: `r${g.received}`, teamId: 'north', createdAt: iso(g.received), legal: { status: g.s136 ? 's136' : 'none' }, clocks, timeline, ...(g.under18 === undefined ? {} : { subjectUnder18: g.under18 }) };
    const events: ReferralEvents = { id: source.id, teamId: 'north', legalStatus: g.s136 ? 's136' : 'none', createdAt: source.createdAt, timeline };
    return { source, events };
  });

describe('a roll-up line', () => {
  it('gives back exactly what the referral contributes, and the same reports', () => {
    fc.assert(
      fc.property(fc.array(referral, { minLength: 1, maxLength: 8 }), (referrals) => {
        const records = referrals.map(({ events, source }) => figureRecordOf(events, source));
        const decoded = records.map((record) => decodeFigureRecord(encodeFigureRecord(record), 'north'));
        expect(decoded).toEqual(records);
        const window = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') };
        const now = new Date('2027-02-01T00:00:00Z');
        expect(responseTimeReportOf(decoded.map((r) => r.timings), window)).toEqual(responseTimeReport(referrals.map((r) => r.events), window));
        expect(assessmentFigures(decoded.map((r) => r.facts), window, now)).toEqual(assessmentFigures(records.map((r) => r.facts), window, now));
      }),
      { numRuns: 100 },
    );
  });

  it('gives the same reports for a window that ends among the events, as at any moment', () => {
    // The window's end and `now` cut open delays, clocks and the 3-hour standard short: a roll-up
    // holds closed referrals, but its figures are worked out as at each report's end all the same.
    const start = Date.parse('2026-01-01T00:00:00Z');
    fc.assert(
      fc.property(fc.array(referral, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 366 * 24 * 60 }), fc.integer({ min: -3000, max: 3000 }), (referrals, toMinutes, nowMinutes) => {
        const records = referrals.map(({ events, source }) => figureRecordOf(events, source));
        const decoded = records.map((record) => decodeFigureRecord(encodeFigureRecord(record), 'north'));
        const window = { from: new Date(start), to: new Date(start + toMinutes * MIN) };
        const now = new Date(window.to.getTime() + nowMinutes * MIN);
        expect(responseTimeReportOf(decoded.map((r) => r.timings), window)).toEqual(responseTimeReport(referrals.map((r) => r.events), window));
        expect(assessmentFigures(decoded.map((r) => r.facts), window, now)).toEqual(assessmentFigures(referrals.map((r) => assessmentFactsOf(r.source)), window, now));
      }),
      { numRuns: 100 },
    );
  });

  it('carries no name, date of birth, address or free text: only closed-list values, ids and times', () => {
    const line = encodeFigureRecord(figureRecordOf(
      { id: 'r1', teamId: 'north', legalStatus: 's136', createdAt: '2026-11-01T20:00:00Z', timeline: [] },
      { id: 'r1', teamId: 'north', createdAt: '2026-11-01T20:00:00Z', legal: { status: 's136' }, clocks: [], timeline: [], subjectUnder18: true },
    ));
    expect(line).toBe('[1,"r1",1793563200000,1,null,null,null,null,null,0,0,0,0,"s136",1,null,null,null,null,null,null,null,null,[],[]]');
  });

  it('refuses a line of another version rather than misread it', () => {
    expect(() => decodeFigureRecord('[2,"r1"]', 'north')).toThrow(/version 2/);
  });
});

describe('when a day can be rolled up', () => {
  const closed = [{ status: 'closed' }];
  it('an hour after the London day ends, with every referral closed', () => {
    // 1 November 2026 (GMT) ends at 00:00 UTC on the 2nd.
    expect(canRollUp('2026-11-01', closed, new Date('2026-11-02T00:59:59Z'))).toBe(false);
    expect(canRollUp('2026-11-01', closed, new Date('2026-11-02T01:00:00Z'))).toBe(true);
    expect(canRollUp('2026-11-01', [...closed, { status: 'accepted' }], new Date('2026-12-01T00:00:00Z'))).toBe(false);
    expect(canRollUp('2026-11-01', [], new Date('2026-11-02T01:00:00Z'))).toBe(true);
  });

  it('on the 25-hour day the clocks go back, an hour after its last hour', () => {
    // 25 October 2026 ends at 00:00 GMT on the 26th, 25 hours after it began at 23:00 UTC on the 24th.
    expect(canRollUp('2026-10-25', closed, new Date('2026-10-26T00:30:00Z'))).toBe(false);
    expect(canRollUp('2026-10-25', closed, new Date('2026-10-26T01:00:00Z'))).toBe(true);
  });
});
