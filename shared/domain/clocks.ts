/**
 * Statutory time limits (Mental Health Act 1983, as amended). Each runs from the event the Act
 * names, never from when dutyline received the referral. The hour limits are elapsed hours: a
 * clock running over a DST change still lasts exactly 24 (or 72, or 6) hours. s2's 28 days are
 * London calendar days.
 */
import { londonInstant, londonWallClock } from './london-time.ts';
import type { ClockStartEvent, ClockState, LegalStatus, PlaceOfSafetyKind, StatutoryClock, StatutoryClockKind, TimelineEntry } from './types.ts';

const HOUR_MS = 3_600_000;

/** The legal facts a clock can run from: the referral's `legal` (contract v1 and v1.1 fields). */
export interface LegalFacts {
  status: string;
  /** v1: one start for every status, read as the start event of that status's clock. */
  detentionStart?: string;
  placeOfSafety?: { kind: PlaceOfSafetyKind; arrivedAt?: string; keptSince?: string; policeStationAuthorisedBy?: string };
  reportFurnishedAt?: string;
  s5_4RecordMadeAt?: string;
  recordMadeAt?: string;
  admittedAt?: string;
  detainedAfterRecallAt?: string;
  /** Set by a `released` event: a clock still pending then never starts. */
  releasedAt?: string;
}

/** The clock each status runs, and the event it waits for while pending. */
const clockOf: Partial<Record<LegalStatus, { kind: StatutoryClockKind; awaits: ClockStartEvent }>> = {
  s136: { kind: 's136', awaits: 'arrived_at_place_of_safety' },
  s135_1: { kind: 's135', awaits: 'arrived_at_place_of_safety' },
  s135_2: { kind: 's135_2', awaits: 'arrived_at_place_of_safety' },
  s5_2: { kind: 's5_2', awaits: 'report_furnished' },
  s5_4: { kind: 's5_4', awaits: 'record_made' },
  s4: { kind: 's4', awaits: 'admitted' },
  s2: { kind: 's2', awaits: 'admitted' },
  cto_recall: { kind: 'cto_recall', awaits: 'detained_after_recall' },
};

export const clockKindOf = (status: string): StatutoryClockKind | null => clockOf[status as LegalStatus]?.kind ?? null;

/** The place-of-safety powers: s135 and s136, whose period runs from arrival (or keeping). */
export const placeOfSafetyStatuses: readonly LegalStatus[] = ['s136', 's135_1', 's135_2'];
/** Their clocks. */
export const placeOfSafetyClockKinds: readonly StatutoryClockKind[] = ['s136', 's135', 's135_2'];

/** When a clock started, from what, and whether that was v1's `detentionStart`. */
export interface ClockStart {
  kind: StatutoryClockKind;
  startEvent: ClockStartEvent;
  at: string;
  readFrom?: 'detentionStart';
}

/** The event a status's clock runs from, if it has happened; v1.1 fields win over v1's `detentionStart`. */
export function clockStart(legal: LegalFacts): ClockStart | null {
  const clock = clockOf[legal.status as LegalStatus];
  if (!clock) return null;
  const from = (startEvent: ClockStartEvent, at: string | undefined): ClockStart | null => (at ? { kind: clock.kind, startEvent, at } : null);
  const v1 = legal.detentionStart ? { kind: clock.kind, startEvent: 'detention_start' as const, at: legal.detentionStart, readFrom: 'detentionStart' as const } : null;
  switch (legal.status) {
    case 's136':
    case 's135_1':
    case 's135_2':
      // MHA 1983 s136(2A)(a), s135(3ZA)(a): 24 h beginning with arrival at the place of safety, or,
      // when the person is kept where they are, the decision to keep them (s136) or the constable's
      // first entry to the premises to execute the warrant (s135(3ZA)(a)(ii)): `keptSince` is that time.
      return from('arrived_at_place_of_safety', legal.placeOfSafety?.arrivedAt) ?? from('kept_at_place_of_safety', legal.placeOfSafety?.keptSince) ?? v1;
    case 's5_2':
      // MHA 1983 s5(5): s5(2) after s5(4) runs from the s5(4) record, not from the report.
      return from('s5_4_record_made', legal.s5_4RecordMadeAt) ?? from('report_furnished', legal.reportFurnishedAt) ?? v1;
    case 's5_4':
      return from('record_made', legal.recordMadeAt) ?? v1;
    case 's4':
    case 's2':
      return from('admitted', legal.admittedAt) ?? v1;
    case 'cto_recall':
      return from('detained_after_recall', legal.detainedAfterRecallAt) ?? v1;
    default:
      return null;
  }
}

/**
 * When a clock of this kind, started at `startedAt`, runs out (before any s136B extension).
 * - s136, s135(1): 24 h (s136(2A), s135(3ZA)). s135(2): 24 h too, as s135(3) limits detention at a
 *   place of safety of any patient "removed to a place of safety in pursuance of a warrant issued
 *   under this section": the Act's words take in s135(2) warrants as well as s135(1).
 * - s5(2): 72 h "from the time when the report is so furnished" (s5(2)); s5(4): six hours from the record (s5(4)).
 * - s4: 72 h "from the time when the patient is admitted" (s4(4)).
 * - CTO recall: 72 h beginning with the patient's detention in hospital by virtue of the recall notice (s17F(8)(a)).
 * - s2: "a period not exceeding 28 days beginning with the day on which he is admitted" (s2(4)):
 *   "beginning with" counts the day of admission as the first day, so it ends at the end of the
 *   27th London day after it (midnight starting the 28th), whatever the hour of admission.
 */
export function clockExpiry(kind: StatutoryClockKind, startedAt: string): string {
  const start = Date.parse(startedAt);
  const hours = { s136: 24, s135: 24, s135_2: 24, s5_2: 72, s5_4: 6, s4: 72, cto_recall: 72 } as const;
  if (kind !== 's2') return new Date(start + hours[kind] * HOUR_MS).toISOString();
  const day = londonWallClock(new Date(start));
  const end = new Date(Date.UTC(day.year, day.month - 1, day.day + 28));
  // London midnight always exists: the clocks change at 01:00 UTC.
  const midnight = londonInstant({ year: end.getUTCFullYear(), month: end.getUTCMonth() + 1, day: end.getUTCDate(), hour: 0, minute: 0 });
  if (!midnight) throw new Error('London midnight missing');
  return midnight.toISOString();
}

export function startClock(start: ClockStart): StatutoryClock {
  const startedAt = new Date(Date.parse(start.at)).toISOString();
  return { kind: start.kind, startedAt, expiresAt: clockExpiry(start.kind, startedAt), startEvent: start.startEvent };
}

/** The clocks a referral's legal facts start (an empty list while pending, or for a status with no clock). */
export function statutoryClocks(legal: LegalFacts): StatutoryClock[] {
  if (legal.releasedAt) return [];
  const start = clockStart(legal);
  return start && !Number.isNaN(Date.parse(start.at)) ? [startClock(start)] : [];
}

/**
 * The clock a status will run once its event happens: an s136 en route to the place of safety
 * (s136(2A): nothing runs until arrival), an s4 or s2 not yet admitted, a recall not yet detained.
 * s135(2) is no assessment power: a retaken patient usually goes straight to where they are liable
 * to be detained, so nothing is pending for it until an arrival at a place of safety is reported.
 */
export function pendingClock(legal: LegalFacts, clocks: readonly StatutoryClock[]): { kind: StatutoryClockKind; awaits: ClockStartEvent } | null {
  const clock = clockOf[legal.status as LegalStatus];
  if (!clock || legal.status === 's135_2' || legal.releasedAt) return null;
  return clocks.some((c) => c.kind === clock.kind) || clockStart(legal) ? null : clock;
}

/** How a started clock stands at `now`. */
export function clockState(clock: StatutoryClock, now: Date): Exclude<ClockState, 'pending'> {
  if (clock.endedAt) return 'ended';
  if (Date.parse(clock.expiresAt) <= now.getTime()) return 'expired';
  return clock.extension ? 'extended' : 'running';
}

/** A clock whose power has not ended: warnings and expiry alerts are for these only. */
export const isLive = (clock: StatutoryClock) => !clock.endedAt;

/** The expiry that comes first among clocks not ended, or null when none runs. */
export function earliestExpiry(clocks: readonly StatutoryClock[]): string | null {
  let earliest: string | null = null;
  for (const { expiresAt } of clocks.filter(isLive)) {
    if (earliest === null || Date.parse(expiresAt) < Date.parse(earliest)) earliest = expiresAt;
  }
  return earliest;
}

/**
 * Warnings before a clock runs out, while the referral is open (SPEC "Statutory clocks"): T−6 h
 * and T−2 h to the manager on duty, T−1 h to the accepting AMHP as well, and at expiry (0) to
 * all of them and the fallback, since detention past the period is unlawful (MHA 1983 s136(2A),
 * s135(3ZA), s5(2), s5(4), s4(4), s2(4), s17F(8)(a) each end the power at its period's end).
 */
export const CLOCK_WARNING_HOURS = [6, 2, 1, 0] as const;
export type WarningThreshold = (typeof CLOCK_WARNING_HOURS)[number];

export type WarningAudience = 'manager' | 'amhp' | 'fallback';

/** Who a warning at this threshold is for: the accepting AMHP from T−1 h, the fallback at expiry. */
export function warningAudience(hoursBefore: number): WarningAudience[] {
  if (hoursBefore <= 0) return ['manager', 'amhp', 'fallback'];
  if (hoursBefore <= 1) return ['manager', 'amhp'];
  return ['manager'];
}

export interface ClockWarning {
  clockKind: StatutoryClockKind;
  hoursBefore: WarningThreshold;
  /** The expiry the warning is about: a warning for an expiry since extended is stale. */
  expiresAt: string;
  warnAt: string;
}

/**
 * The warnings still to give for these clocks. A threshold already passed is given now, unless a
 * later one has passed too (a referral made 20 h into an s136 gets the 2 h warning at once, not
 * the 6 h one as well); a clock already run out gets its expiry alert at once.
 */
export function clockWarnings(clocks: readonly StatutoryClock[], now: Date): ClockWarning[] {
  const warnings: ClockWarning[] = [];
  for (const clock of clocks.filter(isLive)) {
    const expiry = Date.parse(clock.expiresAt);
    const thresholds = CLOCK_WARNING_HOURS.map((hoursBefore) => ({ hoursBefore, at: expiry - hoursBefore * 3_600_000 }));
    const passed = thresholds.filter((t) => t.at <= now.getTime());
    const latestPassed = passed.at(-1);
    for (const threshold of thresholds) {
      if (threshold.at > now.getTime() || threshold === latestPassed) {
        warnings.push({
          clockKind: clock.kind,
          hoursBefore: threshold.hoursBefore,
          expiresAt: clock.expiresAt,
          warnAt: new Date(Math.max(threshold.at, now.getTime())).toISOString(),
        });
      }
    }
  }
  return warnings;
}

/**
 * MHA 1983 s136B(1): the period under s135(3ZA) or s136(2A) may be extended once, "for a further
 * period not exceeding 12 hours (beginning immediately at the end of the period of 24 hours)".
 * s135(2) warrants are not extendable: s136B(2) allows an extension only to complete "the
 * assessment of the person for the purpose of section 135", and an s135(2) warrant retakes a
 * patient already liable to be detained; it has no assessment purpose.
 */
export const MAX_EXTENSION_HOURS = 12;
const extendable: readonly StatutoryClockKind[] = ['s136', 's135'];

export type ExtensionReason = 'person_condition' | 'amhp_unavailable' | 'doctor_unavailable';

export type ExtensionError =
  | 'no-such-clock'
  | 'not-extendable'
  | 'already-extended'
  | 'expired'
  | 'ended'
  | 'unlawful-reason'
  | 'superintendent-required';

export type ExtensionResult =
  | { ok: true; clocks: StatutoryClock[]; clock: StatutoryClock }
  | { ok: false; error: ExtensionError; message: string };

export interface ExtensionRequest {
  kind: StatutoryClockKind;
  hours: number;
  /** The registered medical practitioner responsible for the examination (s136B(1)): only they may authorise it. */
  doctorName: string;
  reason: ExtensionReason;
  recordedBy: string;
  /** Where the person is detained now: at a police station a superintendent must approve (s136B(3)). */
  placeKind?: PlaceOfSafetyKind;
  superintendentName?: string;
}

/**
 * Where the person is detained now, as s136B(3) asks ("if the person is detained at a police
 * station"): the place of safety the legal facts hold (moved by each transfer), else, for a
 * contract v1 referral that gave only `detentionStart`, a police station the referrer said the
 * person is at; unknown otherwise. At a station the superintendent's approval is asked for even
 * if the assessment might be done elsewhere: the code cannot know, and asking is the safe side.
 */
export function placeOfDetention(legal: { placeOfSafety?: { kind: PlaceOfSafetyKind } | undefined }, locationKind?: string): PlaceOfSafetyKind | undefined {
  if (legal.placeOfSafety) return legal.placeOfSafety.kind;
  return locationKind === 'police_station' ? 'police_station' : undefined;
}

/**
 * Records an s136B extension. Only the person's condition making the assessment impracticable is
 * a lawful ground (s136B(2)); an AMHP or a doctor being unavailable is not, and is refused with
 * that reason. It must be given before the 24 hours end (s136B(1): "at any time before the
 * expiry"); at a police station an officer of superintendent rank or above must approve it (s136B(3)).
 */
export function extendClock(clocks: readonly StatutoryClock[], request: ExtensionRequest, now: Date): ExtensionResult {
  const clock = clocks.find((c) => c.kind === request.kind);
  if (!clock) return { ok: false, error: 'no-such-clock', message: `no ${request.kind} clock runs on this referral` };
  if (!extendable.includes(clock.kind)) {
    return {
      ok: false,
      error: 'not-extendable',
      message: `an s136B extension applies to the s135(1) and s136 assessment periods only, not ${clock.kind}`,
    };
  }
  if (request.reason !== 'person_condition') {
    return {
      ok: false,
      error: 'unlawful-reason',
      message: 'an AMHP or doctor being unavailable is not a lawful reason for an s136B extension; only the person\u2019s condition is (s136B(2))',
    };
  }
  if (clock.endedAt) return { ok: false, error: 'ended', message: 'this clock has ended: there is no detention to extend' };
  if (clock.extension) return { ok: false, error: 'already-extended', message: 'this clock has already been extended once (s136B(1))' };
  if (Date.parse(clock.expiresAt) <= now.getTime()) {
    return { ok: false, error: 'expired', message: 'this clock has already expired: s136B(1) allows an extension only before the 24 hours end' };
  }
  if (request.placeKind === 'police_station' && !request.superintendentName?.trim()) {
    return {
      ok: false,
      error: 'superintendent-required',
      message: 'at a police station an officer of the rank of superintendent or above must approve the extension (s136B(3)): give superintendentName',
    };
  }
  if (!Number.isInteger(request.hours) || request.hours < 1 || request.hours > MAX_EXTENSION_HOURS) {
    throw new RangeError(`extension hours must be a whole number from 1 to ${MAX_EXTENSION_HOURS}`);
  }
  const superintendent = request.placeKind === 'police_station' ? { superintendentName: request.superintendentName?.trim() } : {};
  const extended: StatutoryClock = {
    ...clock,
    expiresAt: new Date(Date.parse(clock.expiresAt) + request.hours * HOUR_MS).toISOString(),
    extension: {
      hours: request.hours,
      doctorName: request.doctorName,
      reason: 'person_condition',
      recordedAt: now.toISOString(),
      recordedBy: request.recordedBy,
      ...superintendent,
    },
  };
  return { ok: true, clock: extended, clocks: clocks.map((c) => (c === clock ? extended : c)) };
}

/**
 * What the timeline says of the clocks at intake: each clock started and from what (noting when
 * v1's `detentionStart` was read as the start event), one pending, and one already run out. An
 * expired clock is no reason to refuse the referral: the person still needs help, and the team
 * must see at once that the power has gone.
 */
export function clockIntakeTimeline(legal: LegalFacts, clocks: readonly StatutoryClock[], now: Date): TimelineEntry[] {
  const at = now.toISOString();
  const entries: TimelineEntry[] = [];
  const start = clockStart(legal);
  for (const clock of clocks) {
    entries.push({
      at,
      type: 'clock_started',
      clockKind: clock.kind,
      startEvent: clock.startEvent ?? 'detention_start',
      startedAt: clock.startedAt,
      expiresAt: clock.expiresAt,
      // Where the person was first taken (the Home Office counts s136 by the first place of safety): the legal facts change on admission.
      ...(legal.placeOfSafety && placeOfSafetyClockKinds.includes(clock.kind) ? { placeKind: legal.placeOfSafety.kind } : {}),
      ...(start?.readFrom ? { readFrom: start.readFrom, note: 'contract v1 detentionStart read as the start event of this clock' } : {}),
    });
    if (clockState(clock, now) === 'expired') entries.push({ at, type: 'clock_expired', clockKind: clock.kind, expiresAt: clock.expiresAt, atIntake: true });
  }
  const pending = pendingClock(legal, clocks);
  if (pending) entries.push({ at, type: 'clock_started', clockKind: pending.kind, state: 'pending', awaits: pending.awaits });
  return entries;
}

/** The contract v1.1 view of a referral's clocks: each with its state, and any clock still pending. */
export function clockViews(legal: LegalFacts, clocks: readonly StatutoryClock[], now: Date) {
  const started = clocks.map((clock) => ({
    ...clock,
    state: clockState(clock, now) as ClockState,
    startEvent: clock.startEvent ?? ('detention_start' as const),
    endedAt: clock.endedAt ?? null,
  }));
  const pending = pendingClock(legal, clocks);
  return pending
    ? [...started, { kind: pending.kind, state: 'pending' as ClockState, startEvent: pending.awaits, startedAt: null, expiresAt: null, endedAt: null }]
    : started;
}
