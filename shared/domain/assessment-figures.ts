/**
 * Response times that matter (issue 13 part 6): from the person's arrival at the place of safety
 * to the assessment, the decision and the admission; hours lost waiting, by reason; statutory
 * clocks that ran out before a lawful end; s136B extensions; police-station and under-18 use; and
 * outcomes by legal status: overall and by team, accepting AMHP and hour received, as the
 * response-time breakdowns are (shared/domain/response-times.ts, whose nearest-rank percentiles
 * these share).
 *
 * Two steps, so that a closed referral's part can be kept small: `assessmentFactsOf` reads one
 * referral into `AssessmentFacts` (no `now`, nothing about the person but the under-18 flag), and
 * `assessmentFigures` adds them up as at `now`. Facts hold instants as epoch milliseconds, read
 * once: a year of a big service adds up each one in several groups. Durations are in seconds,
 * hours lost in hours.
 */
import { placeOfSafetyClockKinds } from './clocks.ts';
import { ASSESSMENT_START_STANDARD_MINUTES } from './overruns.ts';
import { decisionOutcomes, type DecisionOutcome } from './referral-events/assessment.ts';
import { delayReasons, type DelayReason } from './referral-events/delays.ts';
import { happenedAt } from './referral-events/recorded.ts';
import { londonHourOf, summarise, type DurationSummary } from './response-times.ts';
import { delaysOf } from './stage.ts';
import { legalStatuses, placeOfSafetyKinds, type LegalStatus, type PlaceOfSafetyKind, type StatutoryClock, type StatutoryClockKind, type TimelineEntry } from './types.ts';

/** What the figures read from a stored referral (a `Referral` is one). */
export interface FigureSource {
  id: string;
  teamId?: string;
  createdAt: string;
  status?: string;
  legal: { status: string; placeOfSafety?: { kind: PlaceOfSafetyKind } };
  clocks: readonly StatutoryClock[];
  timeline: readonly TimelineEntry[];
  subjectUnder18?: boolean;
}

export interface ClockFacts {
  kind: StatutoryClockKind;
  startedAt: number;
  /** With any s136B extension. */
  expiresAt: number;
  endedAt: number | null;
  extensionHours: number | null;
  /** The extension was approved by a superintendent: the person was at a police station (s136B(3)). */
  extendedAtPoliceStation: boolean;
  /** Already run out when dutyline received the referral. */
  expiredBeforeReferral: boolean;
}

/** One referral, as the figures need it: events' times and closed-list values only. */
export interface AssessmentFacts {
  teamId: string;
  receivedAt: number;
  /** London hour received, `00`–`23`. */
  hour: string;
  /** The status the referral was made under: an admission changes `legal.status` later. */
  legalStatus: LegalStatus;
  /** Null when no date of birth was given (a phone referral). */
  under18: boolean | null;
  acceptedBy: string | null;
  closedAt: number | null;
  /** When the place-of-safety period began: the arrival, or the decision to keep the person where they are. */
  arrivalAt: number | null;
  /** The place of safety the person was first taken to. */
  firstPlace: PlaceOfSafetyKind | null;
  /** A police station was the place of safety at some point (first, or by a transfer). */
  policeStation: boolean;
  assessmentStartedAt: number | null;
  decisionAt: number | null;
  outcome: DecisionOutcome | null;
  admittedAt: number | null;
  delays: { reason: DelayReason; since: number; until: number | null }[];
  clocks: ClockFacts[];
}

const first = (timeline: readonly TimelineEntry[], type: string) => timeline.find((entry) => entry.type === type);
const isLegalStatus = (value: unknown): value is LegalStatus => (legalStatuses as readonly unknown[]).includes(value);
const isPlaceKind = (value: unknown): value is PlaceOfSafetyKind => (placeOfSafetyKinds as readonly unknown[]).includes(value);

/** The status at intake: the `received` entry says it; else the first change's `from`; else the status now. */
export function legalStatusAtReferral(source: Pick<FigureSource, 'legal' | 'timeline'>): LegalStatus {
  const received = first(source.timeline, 'received')?.legalStatus;
  if (isLegalStatus(received)) return received;
  const from = source.timeline.find((entry) => (entry.type === 'status_changed' || entry.type === 'admitted') && isLegalStatus(entry.from))?.from;
  if (isLegalStatus(from)) return from;
  return isLegalStatus(source.legal.status) ? source.legal.status : 'other';
}

/**
 * The first place of safety: the intake clock entry's `placeKind` (written since issue 13 part 6),
 * else the first reported arrival, else the place the legal facts hold now (for referrals stored
 * before, and transferred since, this is the latest place, not the first).
 */
function firstPlaceOf(source: FigureSource): PlaceOfSafetyKind | null {
  const intake = source.timeline.find((entry) => entry.type === 'clock_started' && isPlaceKind(entry.placeKind));
  if (intake) return intake.placeKind as PlaceOfSafetyKind;
  const arrived = first(source.timeline, 'arrived_at_place_of_safety')?.placeKind;
  if (isPlaceKind(arrived)) return arrived;
  const now = source.legal.placeOfSafety?.kind;
  return source.clocks.some((clock) => placeOfSafetyClockKinds.includes(clock.kind)) && isPlaceKind(now) ? now : null;
}

/** An instant as epoch milliseconds; null for none (or an empty string). */
const instant = (at: string | null | undefined): number | null => (at ? Date.parse(at) : null);

export function assessmentFactsOf(source: FigureSource): AssessmentFacts {
  const { timeline } = source;
  const at = (type: string) => {
    const entry = first(timeline, type);
    return entry ? instant(happenedAt(entry)) : null;
  };
  const accepted = first(timeline, 'accepted');
  const decision = first(timeline, 'decision');
  const placeClock = source.clocks.find((clock) => placeOfSafetyClockKinds.includes(clock.kind));
  const firstPlace = firstPlaceOf(source);
  const expiredAtIntake = new Set(timeline.filter((entry) => entry.type === 'clock_expired' && entry.atIntake === true).map((entry) => String(entry.clockKind)));
  return {
    teamId: source.teamId ?? '',
    receivedAt: Date.parse(source.createdAt),
    hour: londonHourOf(Date.parse(source.createdAt)).hour,
    legalStatus: legalStatusAtReferral(source),
    under18: typeof source.subjectUnder18 === 'boolean' ? source.subjectUnder18 : null,
    acceptedBy: accepted && typeof accepted.staffId === 'string' ? accepted.staffId : null,
    closedAt: at('closed'),
    arrivalAt: instant(placeClock?.startedAt),
    firstPlace,
    policeStation:
      firstPlace === 'police_station' ||
      source.legal.placeOfSafety?.kind === 'police_station' ||
      timeline.some((entry) => (entry.type === 'transferred' || entry.type === 'arrived_at_place_of_safety') && entry.placeKind === 'police_station'),
    assessmentStartedAt: at('assessment_started'),
    decisionAt: decision ? instant(happenedAt(decision)) : null,
    outcome: decision && (decisionOutcomes as readonly unknown[]).includes(decision.outcome) ? (decision.outcome as DecisionOutcome) : null,
    admittedAt: at('admitted'),
    delays: delaysOf(timeline).flatMap((delay) =>
      (delayReasons as readonly string[]).includes(delay.reason) ? [{ reason: delay.reason as DelayReason, since: Date.parse(delay.since), until: instant(delay.until) }] : [],
    ),
    clocks: source.clocks.map((clock) => ({
      kind: clock.kind,
      startedAt: Date.parse(clock.startedAt),
      expiresAt: Date.parse(clock.expiresAt),
      endedAt: instant(clock.endedAt),
      extensionHours: clock.extension?.hours ?? null,
      extendedAtPoliceStation: Boolean(clock.extension?.superintendentName),
      expiredBeforeReferral: expiredAtIntake.has(clock.kind),
    })),
  };
}

// --- adding up --------------------------------------------------------------------------------

export type OutcomeKey = DecisionOutcome | 'none';
export const outcomeKeys: readonly OutcomeKey[] = [...decisionOutcomes, 'none'];

export interface AssessmentGroup {
  key: string;
  referrals: number;
  /** Referrals with a place-of-safety period begun: the ones the arrival figures are about. */
  arrived: number;
  arrivalToAssessment: DurationSummary;
  /**
   * Assessments started within 3 h of the arrival (the Royal College of Psychiatrists' standard,
   * shared/domain/overruns.ts), of those whose 3 h are over or that started; `share` null for none.
   */
  withinStandard: { met: number; counted: number; share: number | null };
  arrivalToDecision: DurationSummary;
  arrivalToAdmission: DurationSummary;
  /** Hours spent waiting, by reason: open delays count up to the report's end. */
  hoursLost: Record<DelayReason, number>;
  delayedReferrals: number;
  /** Statutory clocks that ran out before a lawful end, by kind, and the referrals with one. */
  breaches: { clocks: number; referrals: number; beforeReferral: number; byKind: Partial<Record<StatutoryClockKind, number>> };
  s136bExtensions: { count: number; hours: number; atPoliceStation: number };
  policeStation: { referrals: number; firstPlace: number };
  under18: { referrals: number; atPoliceStation: number };
  outcomes: Record<OutcomeKey, number>;
  admitted: number;
}

export interface OutcomesByStatus {
  legalStatus: LegalStatus;
  referrals: number;
  outcomes: Record<OutcomeKey, number>;
  admitted: number;
}

/** The place-of-safety rows of the Home Office's s136 table, and dutyline's row for an arrival not yet recorded. */
export const policePlaceRows = ['health_based', 'emergency_department', 'police_station', 'other', 'not_known'] as const;
export type PolicePlaceRow = (typeof policePlaceRows)[number];
export const ageColumns = ['under18', 'adult', 'notKnown'] as const;
export type AgeColumn = (typeof ageColumns)[number];

/**
 * s136 detentions laid out as the Home Office's "Police powers and procedures: other PACE powers"
 * return counts them: one per use of the power, by the place of safety the person was first taken
 * to, by age group. See the README ("Figures for returns") for what of its layout was confirmed.
 */
export interface PolicePowersTable {
  detentions: number;
  rows: { place: PolicePlaceRow; under18: number; adult: number; notKnown: number; total: number }[];
  totals: Record<AgeColumn, number>;
}

/** Measures of the ADASS/LGA AMHP activity surveys that a referral line's own records can give. */
export interface HeadlineMeasures {
  referrals: number;
  /** Mental Health Act assessments started. */
  assessments: number;
  decisions: number;
  applications: { s2: number; s3: number; s4: number; total: number };
  informalAdmissions: number;
  /** A plan in the community, or no further action. */
  notAdmitted: number;
  /** Applications per decision. */
  applicationRate: number | null;
  /** Referrals that waited for a bed, and for a doctor (s12 or second). */
  delayedForBed: number;
  delayedForDoctor: number;
}

export interface AssessmentFiguresReport {
  from: string;
  to: string;
  /** When the figures were made: open delays and clocks are counted to the earlier of this and `to`. */
  asAt: string;
  percentileMethod: 'nearest-rank';
  standardMinutes: number;
  overall: AssessmentGroup;
  byTeam: AssessmentGroup[];
  byAmhp: AssessmentGroup[];
  byHour: AssessmentGroup[];
  byLegalStatus: OutcomesByStatus[];
  policePowers: PolicePowersTable;
  headline: HeadlineMeasures;
}

const seconds = (from: number | null, to: number | null) => (from === null || to === null ? null : (to - from) / 1000);
const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
const STANDARD_MS = ASSESSMENT_START_STANDARD_MINUTES * 60_000;
const HOUR_MS = 3_600_000;

/**
 * Whether the assessment started within the standard: null while the 3 h are still running, or
 * when the place-of-safety period (or the referral) ended inside them with no assessment (then
 * there was nothing to assess within 3 h, and no standard was missed).
 */
export function metStandard(facts: AssessmentFacts, end: number): boolean | null {
  if (facts.arrivalAt === null) return null;
  const due = facts.arrivalAt + STANDARD_MS;
  if (facts.assessmentStartedAt !== null) return facts.assessmentStartedAt <= due;
  if (due > end) return null;
  const placeClock = facts.clocks.find((clock) => placeOfSafetyClockKinds.includes(clock.kind));
  const stopped = [placeClock?.endedAt ?? null, facts.closedAt].filter((at): at is number => at !== null);
  return stopped.some((at) => at < due) ? null : false;
}

/** Hours waited for each reason, a delay still open counted up to `end` (or the close, if sooner). */
export function hoursLostOf(facts: AssessmentFacts, end: number): Record<DelayReason, number> {
  const lost = zeros(delayReasons);
  for (const [reason, hours] of lostByReason(facts, end)) lost[reason] = hours;
  return lost;
}

/** The reasons waited for, each with its hours (the delays' in their order): a referral waits for one or two. */
function lostByReason(facts: AssessmentFacts, end: number): [DelayReason, number][] {
  const lost: [DelayReason, number][] = [];
  const stop = facts.closedAt !== null ? Math.min(end, facts.closedAt) : end;
  for (const delay of facts.delays) {
    const span = Math.min(delay.until ?? stop, stop) - delay.since;
    if (!(span > 0)) continue;
    const same = lost.find(([reason]) => reason === delay.reason);
    if (same) same[1] += span / HOUR_MS;
    else lost.push([delay.reason, span / HOUR_MS]);
  }
  return lost;
}

/**
 * The clocks that ran out before a lawful end. Detention past the period is unlawful (MHA 1983
 * s136(2A), s135(3ZA), s5(2), s5(4), s4(4), s2(4), s17F(8)(a)): a clock ended (admission, release,
 * another status) after its expiry breached it, and so did one not ended by its expiry while
 * dutyline held the referral. A clock left running when the referral closed, with its expiry after
 * the close, is the hospital's from then on (an s2's 28 days) and is not counted. Ending exactly at
 * expiry is lawful: the period is "not exceeding" its length.
 */
export function breachedClocks(facts: AssessmentFacts, end: number): ClockFacts[] {
  return facts.clocks.filter((clock) => {
    const stopped = clock.endedAt ?? facts.closedAt;
    return clock.expiresAt <= end && (stopped === null || clock.expiresAt < stopped);
  });
}

/** What one referral adds up to as at the report's end: worked out once, then counted in each of its groups. */
interface Derived {
  facts: AssessmentFacts;
  standard: boolean | null;
  /** The reasons with hours lost, and the hours: adding the others' zeros would change no sum. */
  lost: [DelayReason, number][];
  breached: ClockFacts[];
  /** From the arrival, in seconds; null without an arrival or the event, or for an event recorded before it. */
  toAssessment: number | null;
  toDecision: number | null;
  toAdmission: number | null;
  /** s136B extensions of clocks started by the report's end. */
  extensions: ClockFacts[];
}

function derive(facts: AssessmentFacts, end: number): Derived {
  const lost = lostByReason(facts, end);
  const fromArrival = (at: number | null) => {
    const value = facts.arrivalAt === null ? null : seconds(facts.arrivalAt, at);
    return value !== null && value >= 0 ? value : null;
  };
  return {
    facts,
    standard: metStandard(facts, end),
    lost,
    breached: breachedClocks(facts, end),
    toAssessment: fromArrival(facts.assessmentStartedAt),
    toDecision: fromArrival(facts.decisionAt),
    toAdmission: fromArrival(facts.admittedAt),
    extensions: facts.clocks.filter((clock) => clock.extensionHours !== null && clock.startedAt <= end),
  };
}

/** A group's figures, added to one referral at a time. */
class GroupTally {
  private readonly hoursLost = zeros(delayReasons);
  private readonly outcomes = zeros(outcomeKeys);
  private readonly breaches: AssessmentGroup['breaches'] = { clocks: 0, referrals: 0, beforeReferral: 0, byKind: {} };
  private readonly extensions = { count: 0, hours: 0, atPoliceStation: 0 };
  private readonly toAssessment: number[] = [];
  private readonly toDecision: number[] = [];
  private readonly toAdmission: number[] = [];
  private readonly n = { referrals: 0, met: 0, counted: 0, delayed: 0, arrived: 0, policeStation: 0, policeFirst: 0, under18: 0, under18AtPolice: 0, admitted: 0 };

  constructor(readonly key: string) {}

  add(derived: Derived): void {
    const { n, breaches, extensions } = this;
    const { facts, standard, breached } = derived;
    n.referrals += 1;
    if (standard !== null) {
      n.counted += 1;
      if (standard) n.met += 1;
    }
    for (const [reason, hours] of derived.lost) this.hoursLost[reason] += hours;
    if (derived.lost.length > 0) n.delayed += 1;
    if (breached.length > 0) breaches.referrals += 1;
    for (const clock of breached) {
      breaches.clocks += 1;
      breaches.byKind[clock.kind] = (breaches.byKind[clock.kind] ?? 0) + 1;
      if (clock.expiredBeforeReferral) breaches.beforeReferral += 1;
    }
    // MHA 1983 s136B(1): one extension of up to 12 h; s136B(3): a superintendent approves it at a police station.
    for (const clock of derived.extensions) {
      extensions.count += 1;
      extensions.hours += clock.extensionHours ?? 0;
      if (clock.extendedAtPoliceStation) extensions.atPoliceStation += 1;
    }
    this.outcomes[facts.outcome ?? 'none'] += 1;
    if (facts.arrivalAt !== null) n.arrived += 1;
    if (derived.toAssessment !== null) this.toAssessment.push(derived.toAssessment);
    if (derived.toDecision !== null) this.toDecision.push(derived.toDecision);
    if (derived.toAdmission !== null) this.toAdmission.push(derived.toAdmission);
    if (facts.policeStation) n.policeStation += 1;
    if (facts.firstPlace === 'police_station') n.policeFirst += 1;
    // MHA 1983 s136A(1): a police station is never a place of safety for a child; any count here is a fault to look into.
    if (facts.under18 === true) {
      n.under18 += 1;
      if (facts.policeStation) n.under18AtPolice += 1;
    }
    if (facts.admittedAt !== null) n.admitted += 1;
  }

  group(): AssessmentGroup {
    const { n } = this;
    return {
      key: this.key,
      referrals: n.referrals,
      arrived: n.arrived,
      arrivalToAssessment: summarise(this.toAssessment),
      withinStandard: { met: n.met, counted: n.counted, share: n.counted === 0 ? null : n.met / n.counted },
      arrivalToDecision: summarise(this.toDecision),
      arrivalToAdmission: summarise(this.toAdmission),
      hoursLost: Object.fromEntries(delayReasons.map((r) => [r, Math.round(this.hoursLost[r] * 100) / 100])) as Record<DelayReason, number>,
      delayedReferrals: n.delayed,
      breaches: this.breaches,
      s136bExtensions: this.extensions,
      policeStation: { referrals: n.policeStation, firstPlace: n.policeFirst },
      under18: { referrals: n.under18, atPoliceStation: n.under18AtPolice },
      outcomes: this.outcomes,
      admitted: n.admitted,
    };
  }
}

/** Groups by a key: those of `keys` in that order (each even with none), then others as first met; without `keys`, every key met, sorted. */
class GroupedTally {
  private readonly groups: Map<string, GroupTally>;

  constructor(
    private readonly keyOf: (f: AssessmentFacts) => string | null,
    private readonly keys?: readonly string[],
  ) {
    this.groups = new Map((keys ?? []).map((key) => [key, new GroupTally(key)]));
  }

  add(derived: Derived): void {
    const key = this.keyOf(derived.facts);
    if (key === null) return;
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = new GroupTally(key)));
    group.add(derived);
  }

  groupsInOrder(): AssessmentGroup[] {
    const ordered = this.keys ? [...this.groups.keys()] : [...this.groups.keys()].sort();
    return ordered.map((key) => this.groups.get(key)!.group());
  }
}

const hours = Array.from({ length: 24 }, (_, hour) => String(hour).padStart(2, '0'));

function ageOf(facts: AssessmentFacts): AgeColumn {
  if (facts.under18 === null) return 'notKnown';
  return facts.under18 ? 'under18' : 'adult';
}

/** s136 detentions (the power used), by first place of safety and age group, added one referral at a time. */
class PolicePowersTally {
  private readonly cells = new Map(policePlaceRows.map((place) => [place, zeros(ageColumns)]));
  private detentions = 0;

  add(f: AssessmentFacts): void {
    if (f.legalStatus !== 's136') return;
    this.detentions += 1;
    const row = this.cells.get(f.firstPlace ?? 'not_known');
    if (row) row[ageOf(f)] += 1;
  }

  table(): PolicePowersTable {
    const rows = policePlaceRows.map((place) => {
      const counts = this.cells.get(place) ?? zeros(ageColumns);
      return { place, ...counts, total: ageColumns.reduce((sum, age) => sum + counts[age], 0) };
    });
    const totals = Object.fromEntries(ageColumns.map((age) => [age, rows.reduce((sum, row) => sum + row[age], 0)])) as Record<AgeColumn, number>;
    return { detentions: this.detentions, rows, totals };
  }
}

/** s136 detentions (the power used), by first place of safety and age group. */
export function policePowersTable(all: readonly AssessmentFacts[]): PolicePowersTable {
  const tally = new PolicePowersTally();
  for (const f of all) tally.add(f);
  return tally.table();
}

const waitedFor = (derived: Derived, reasons: readonly DelayReason[]) => derived.lost.some(([reason]) => reasons.includes(reason));

/**
 * The figures for referrals received in [from, to), as at `now`, added one referral at a time, so
 * that a reader can add each team's as it arrives and keep none of them
 * (shared/app/manager-views.ts). Hours lost are sums of fractions: add in the same order for the
 * same last digits.
 */
export class AssessmentFiguresTally {
  private readonly from: number;
  private readonly to: number;
  private readonly end: number;
  private readonly overall = new GroupTally('all');
  private readonly byTeam = new GroupedTally((f) => f.teamId);
  private readonly byAmhp = new GroupedTally((f) => f.acceptedBy);
  private readonly byHour = new GroupedTally((f) => f.hour, hours);
  private readonly byStatus = new Map<LegalStatus, OutcomesByStatus>();
  private readonly policePowers = new PolicePowersTally();
  private readonly counts = { assessments: 0, delayedForBed: 0, delayedForDoctor: 0 };

  constructor(private readonly window: { from: Date; to: Date }, now: Date) {
    this.from = window.from.getTime();
    this.to = window.to.getTime();
    this.end = Math.min(now.getTime(), this.to);
  }

  /** Adds a referral's facts; one received outside the window is ignored. */
  add(facts: AssessmentFacts): void {
    if (!(facts.receivedAt >= this.from && facts.receivedAt < this.to)) return;
    const derived = derive(facts, this.end);
    this.overall.add(derived);
    this.byTeam.add(derived);
    this.byAmhp.add(derived);
    this.byHour.add(derived);
    this.policePowers.add(facts);
    // Outcomes by the status each referral was made under.
    let row = this.byStatus.get(facts.legalStatus);
    if (!row) this.byStatus.set(facts.legalStatus, (row = { legalStatus: facts.legalStatus, referrals: 0, outcomes: zeros(outcomeKeys), admitted: 0 }));
    row.referrals += 1;
    row.outcomes[facts.outcome ?? 'none'] += 1;
    if (facts.admittedAt !== null) row.admitted += 1;
    if (facts.assessmentStartedAt !== null) this.counts.assessments += 1;
    if (waitedFor(derived, ['bed'])) this.counts.delayedForBed += 1;
    if (waitedFor(derived, ['s12_doctor', 'second_doctor'])) this.counts.delayedForDoctor += 1;
  }

  report(): AssessmentFiguresReport {
    const overall = this.overall.group();
    return {
      from: this.window.from.toISOString(),
      to: this.window.to.toISOString(),
      asAt: new Date(this.end).toISOString(),
      percentileMethod: 'nearest-rank',
      standardMinutes: ASSESSMENT_START_STANDARD_MINUTES,
      overall,
      byTeam: this.byTeam.groupsInOrder(),
      byAmhp: this.byAmhp.groupsInOrder(),
      byHour: this.byHour.groupsInOrder(),
      // In the order of `legalStatuses`; statuses with none are left out.
      byLegalStatus: legalStatuses.flatMap((status) => this.byStatus.get(status) ?? []),
      policePowers: this.policePowers.table(),
      headline: this.headline(overall),
    };
  }

  private headline(overall: AssessmentGroup): HeadlineMeasures {
    const count = (outcome: DecisionOutcome) => overall.outcomes[outcome];
    const applications = { s2: count('application_s2'), s3: count('application_s3'), s4: count('application_s4'), total: 0 };
    applications.total = applications.s2 + applications.s3 + applications.s4;
    const decisions = overall.referrals - overall.outcomes.none;
    return {
      referrals: overall.referrals,
      assessments: this.counts.assessments,
      decisions,
      applications,
      informalAdmissions: count('informal_admission'),
      notAdmitted: count('community_plan') + count('no_further_action'),
      applicationRate: decisions === 0 ? null : applications.total / decisions,
      delayedForBed: this.counts.delayedForBed,
      delayedForDoctor: this.counts.delayedForDoctor,
    };
  }
}

/** The figures for referrals received in [from, to), as at `now`. */
export function assessmentFigures(facts: readonly AssessmentFacts[], window: { from: Date; to: Date }, now: Date): AssessmentFiguresReport {
  const tally = new AssessmentFiguresTally(window, now);
  for (const f of facts) tally.add(f);
  return tally.report();
}
