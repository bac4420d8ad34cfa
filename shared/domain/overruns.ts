/**
 * Overruns (issue 13 part 3): a stage that has taken longer than the standard the service holds
 * itself to, each told to the manager on duty once and shown on the board. Pure: read from the
 * referral's clocks and timeline; the team-set times are written on the event's timeline entry
 * when it is recorded (`overrunAt`), so the deadline does not move if the team's setting does.
 *
 * - `assessment_not_started`: an s136 (or s135(1)) assessment not started 3 h after the arrival
 *   at the place of safety: the Royal College of Psychiatrists' standard for s136 assessments, as
 *   issue 13 quotes it (its report's text was not read here). Not a statutory limit: the 24 h
 *   clock is s136(2A)'s.
 * - `no_bed`: a decision to admit with no bed identified after the team's `bedMinutes`.
 * - `conveyance_not_done`: a conveyance requested and not done after the team's `conveyanceMinutes`.
 * - `handover_unacknowledged`, `handover_unanswered`: a referral on the morning handover list not
 *   marked received by the day service by the listing's `ackBy`, then by its `escalateBy`
 *   (shared/domain/handover.ts).
 */
import { isLive } from './clocks.ts';
import { handoverStanding } from './handover.ts';
import { admittingOutcomes, type DecisionOutcome } from './referral-events/assessment.ts';
import { happenedAt } from './referral-events/recorded.ts';
import type { StatutoryClock, TimelineEntry } from './types.ts';

export const overrunKinds = ['assessment_not_started', 'no_bed', 'conveyance_not_done', 'handover_unacknowledged', 'handover_unanswered'] as const;
export type OverrunKind = (typeof overrunKinds)[number];

/** Royal College of Psychiatrists: an s136 assessment should start within 3 hours of arrival. */
export const ASSESSMENT_START_STANDARD_MINUTES = 180;
/** A team's own times, where it has set none. */
export const DEFAULT_OVERRUN_MINUTES = { bedMinutes: 120, conveyanceMinutes: 60 } as const;

export interface OverrunSettings {
  bedMinutes: number;
  conveyanceMinutes: number;
}

export interface Overrun {
  kind: OverrunKind;
  /** When the stage became overdue. */
  dueAt: string;
  /** When the stage began (the arrival, the decision, the conveyance request). */
  since: string;
}

export interface OverrunInput {
  status: string;
  clocks: readonly StatutoryClock[];
  timeline: readonly TimelineEntry[];
}

const iso = (ms: number) => new Date(ms).toISOString();
const has = (timeline: readonly TimelineEntry[], type: string) => timeline.some((entry) => entry.type === type);

/** The overruns a recorded entry plans: the team setting that times it, and the entry that ends it in time. */
const teamTimed = [
  { plannedBy: 'decision', kind: 'no_bed', setting: 'bedMinutes', doneBy: 'bed_identified' },
  { plannedBy: 'conveyance_requested', kind: 'conveyance_not_done', setting: 'conveyanceMinutes', doneBy: 'conveyed' },
] as const satisfies readonly { plannedBy: string; kind: OverrunKind; setting: keyof OverrunSettings; doneBy: string }[];

/** The entry types whose recording plans an overrun (the events use case reads the team's times only for these). */
export const plansOverrun = (type: string) => teamTimed.some((timed) => timed.plannedBy === type);

/** A decision plans a bed only when it admits (an application, or an informal admission). */
const admitting = (entry: TimelineEntry) => entry.type !== 'decision' || admittingOutcomes.includes(entry.outcome as DecisionOutcome);

/** The deadline a newly recorded entry carries, from the team's settings (written on the entry). */
export function overrunAtFor(entry: TimelineEntry, settings: OverrunSettings): string | null {
  const timed = teamTimed.find((t) => t.plannedBy === entry.type);
  if (!timed || !admitting(entry)) return null;
  return iso(Date.parse(happenedAt(entry)) + settings[timed.setting] * 60_000);
}

/** Every overrun the referral can still run into, whether or not it is due yet, and not yet told. */
export function owedOverruns(referral: OverrunInput): Overrun[] {
  if (referral.status === 'closed') return [];
  const told = new Set(referral.timeline.filter((entry) => entry.type === 'overrun_alerted').map((entry) => `${String(entry.overrun)}|${String(entry.dueAt)}`));
  const owed: Overrun[] = [];
  for (const clock of referral.clocks) {
    // The period runs from the arrival (or the decision to keep the person where they are): so does the standard.
    if ((clock.kind !== 's136' && clock.kind !== 's135') || !isLive(clock) || !clock.startedAt || has(referral.timeline, 'assessment_started')) continue;
    owed.push({ kind: 'assessment_not_started', since: clock.startedAt, dueAt: iso(Date.parse(clock.startedAt) + ASSESSMENT_START_STANDARD_MINUTES * 60_000) });
  }
  for (const timed of teamTimed) {
    const planned = referral.timeline.findLast((entry) => entry.type === timed.plannedBy && typeof entry.overrunAt === 'string');
    if (planned && !has(referral.timeline, timed.doneBy)) owed.push({ kind: timed.kind, since: happenedAt(planned), dueAt: String(planned.overrunAt) });
  }
  const { listed, received } = handoverStanding(referral.timeline);
  if (listed && !received && typeof listed.ackBy === 'string' && typeof listed.escalateBy === 'string') {
    const since = String(listed.periodEnd);
    owed.push({ kind: 'handover_unacknowledged', since, dueAt: listed.ackBy }, { kind: 'handover_unanswered', since, dueAt: listed.escalateBy });
  }
  return owed.filter((overrun) => !told.has(`${overrun.kind}|${overrun.dueAt}`));
}

/** Overruns already past their time at `now` (told or not): what the board shows. */
export function currentOverruns(referral: OverrunInput, now: Date): Overrun[] {
  if (referral.status === 'closed') return [];
  const untold = owedOverruns({ ...referral, timeline: referral.timeline.filter((entry) => entry.type !== 'overrun_alerted') });
  return untold.filter((overrun) => Date.parse(overrun.dueAt) <= now.getTime());
}

export const overrunWords: Record<OverrunKind, string> = {
  assessment_not_started: 'assessment not started 3 h after arrival',
  no_bed: 'no bed identified',
  conveyance_not_done: 'conveyance not done',
  handover_unacknowledged: 'handover not marked received',
  handover_unanswered: 'handover still not marked received',
};

/** The overruns of the morning handover: told to the day service too, and the last to the service fallback. */
export const isHandoverOverrun = (kind: OverrunKind) => kind === 'handover_unacknowledged' || kind === 'handover_unanswered';
