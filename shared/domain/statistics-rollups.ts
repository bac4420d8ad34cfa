/**
 * Daily roll-ups of the statistics (issue 13 part 7): a year of a big service is too many whole
 * referrals to read for every report (the statistics bench measured it), so what a closed
 * referral contributes is kept small, one line per referral, in one item per team and London day
 * of receipt. A day is rolled up only once it is over and every referral received on it is closed:
 * then nothing about it depends on `now` any more (a closed referral waits for nothing and holds no
 * clock; shared/domain/assessment-figures.ts), so its lines stay true until the referral changes,
 * and a change bumps the day's generation (see the referral store), which makes readers read it
 * whole again.
 *
 * A line is a versioned JSON array, times as milliseconds after receipt: nothing about the person
 * beyond the under-18 flag, as in the figures themselves.
 */
import { assessmentFactsOf, type AssessmentFacts, type ClockFacts, type FigureSource } from './assessment-figures.ts';
import type { DecisionOutcome } from './referral-events/assessment.ts';
import type { DelayReason } from './referral-events/delays.ts';
import { londonHourOf, timingsOf, type ReferralEvents, type ReferralTimings } from './response-times.ts';
import { addDays, startOfLocalDay } from './rota-time.ts';
import type { LegalStatus, PlaceOfSafetyKind, StatutoryClockKind } from './types.ts';

/** What one referral contributes to both reports. */
export interface FigureRecord {
  timings: ReferralTimings;
  facts: AssessmentFacts;
}

export const figureRecordOf = (events: ReferralEvents, source: FigureSource): FigureRecord => ({ timings: timingsOf(events), facts: assessmentFactsOf(source) });

/** A day is rolled up this long after it ends: routing a referral received just before midnight takes a moment. */
export const ROLLUP_AFTER_DAY_MS = 3_600_000;

/** Whether the referrals received on this London day can be rolled up now. */
export function canRollUp(day: string, referrals: readonly { status: string }[], now: Date): boolean {
  return startOfLocalDay(addDays(day, 1)).getTime() + ROLLUP_AFTER_DAY_MS <= now.getTime() && referrals.every((r) => r.status === 'closed');
}

const VERSION = 1;
type Offset = number | null;

export function encodeFigureRecord({ timings: t, facts: f }: FigureRecord): string {
  const received = f.receivedAt;
  const offset = (at: number | null): Offset => (at === null ? null : at - received);
  const clock = (c: ClockFacts) => [c.kind, offset(c.startedAt), offset(c.expiresAt), offset(c.endedAt), c.extensionHours, c.extendedAtPoliceStation ? 1 : 0, c.expiredBeforeReferral ? 1 : 0];
  return JSON.stringify([
    VERSION,
    t.id,
    received,
    t.s136 ? 1 : 0,
    t.acceptedBy,
    t.timeToFirstPage,
    t.timeToAccept,
    t.timeToClose,
    t.pageToAccept,
    t.pages,
    t.declines,
    (t.escalated ? 1 : 0) | (t.exhausted ? 2 : 0) | (t.closed ? 4 : 0) | (f.policeStation ? 8 : 0),
    t.noOneOnDuty,
    f.legalStatus,
    f.under18 === null ? null : f.under18 ? 1 : 0,
    f.acceptedBy,
    offset(f.closedAt),
    offset(f.arrivalAt),
    f.firstPlace,
    offset(f.assessmentStartedAt),
    offset(f.decisionAt),
    f.outcome,
    offset(f.admittedAt),
    f.delays.map((d) => [d.reason, offset(d.since), offset(d.until)]),
    f.clocks.map(clock),
  ]);
}

type Line = [
  number, string, number, number, string | null, number | null, number | null, number | null, number | null, number, number, number, number,
  LegalStatus, number | null, string | null, Offset, Offset, PlaceOfSafetyKind | null, Offset, Offset, DecisionOutcome | null, Offset,
  [DelayReason, Offset, Offset][],
  [StatutoryClockKind, Offset, Offset, Offset, number | null, number, number][],
];

/** The line back, for the team whose roll-up holds it; throws on a line of another version. */
export function decodeFigureRecord(text: string, teamId: string): FigureRecord {
  const line = JSON.parse(text) as Line;
  if (line[0] !== VERSION) throw new Error(`roll-up line version ${String(line[0])}`);
  const [, id, received, s136, acceptedBy, toFirstPage, toAccept, toClose, pageToAccept, pages, declines, flags, noOneOnDuty, legalStatus, under18, factsAcceptedBy, closed, arrival, firstPlace, started, decided, outcome, admitted, delays, clocks] = line;
  const at = (offset: Offset) => (offset === null ? null : received + offset);
  const local = londonHourOf(received);
  return {
    timings: {
      id,
      teamId,
      receivedAt: received,
      s136: s136 === 1,
      day: local.date,
      week: local.week,
      hour: local.hour,
      acceptedBy,
      timeToFirstPage: toFirstPage,
      timeToAccept: toAccept,
      timeToClose: toClose,
      pageToAccept,
      pages,
      declines,
      escalated: (flags & 1) !== 0,
      exhausted: (flags & 2) !== 0,
      closed: (flags & 4) !== 0,
      noOneOnDuty,
    },
    facts: {
      teamId,
      receivedAt: received,
      hour: local.hour,
      legalStatus,
      under18: under18 === null ? null : under18 === 1,
      acceptedBy: factsAcceptedBy,
      closedAt: at(closed),
      arrivalAt: at(arrival),
      firstPlace,
      policeStation: (flags & 8) !== 0,
      assessmentStartedAt: at(started),
      decisionAt: at(decided),
      outcome,
      admittedAt: at(admitted),
      delays: delays.map(([reason, since, until]) => ({ reason, since: at(since) ?? received, until: at(until) })),
      clocks: clocks.map(([kind, startedAt, expiresAt, endedAt, extensionHours, atPolice, before]) => ({
        kind,
        startedAt: at(startedAt) ?? received,
        expiresAt: at(expiresAt) ?? received,
        endedAt: at(endedAt),
        extensionHours,
        extendedAtPoliceStation: atPolice === 1,
        expiredBeforeReferral: before === 1,
      })),
    },
  };
}
