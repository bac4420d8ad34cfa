/**
 * Where a referral's assessment has got to: a pure function of its timeline. The stage is the
 * furthest step recorded (a late `referrer_contacted` after `attending` does not move it back);
 * `since` is when that step happened. Delays are read from the same entries.
 */
import { admittingOutcomes, type DecisionOutcome } from './referral-events/assessment.ts';
import { happenedAt } from './referral-events/recorded.ts';
import type { TimelineEntry } from './types.ts';

/** `not_accepted`: received, paging or escalating; admission and release end the same step. */
export const stages = [
  'not_accepted',
  'accepted',
  'referrer_contacted',
  'attending',
  'assessment_started',
  'decision',
  'bed_requested',
  'bed_identified',
  'conveyance_requested',
  'conveyed',
  'admitted',
  'released',
  'handed_over',
  'closed',
] as const;
export type Stage = (typeof stages)[number];

const rank: Record<Stage, number> = Object.fromEntries(stages.map((stage, i) => [stage, i])) as Record<Stage, number>;
rank.released = rank.admitted;

const isStage = (type: string): type is Exclude<Stage, 'not_accepted'> => type !== 'not_accepted' && type in rank;

export interface StageNow {
  stage: Stage;
  /** When the stage began: when its event happened (`eventAt`), or null for an empty timeline. */
  since: string | null;
  /** The latest entry of the stage (a second `attending` brings a new ETA, not a new stage). */
  entry: TimelineEntry | null;
}

export function stageOf(timeline: readonly TimelineEntry[]): StageNow {
  let now: StageNow = { stage: 'not_accepted', since: timeline[0]?.at ?? null, entry: null };
  for (const entry of timeline) {
    if (!isStage(entry.type)) continue;
    const stage = entry.type;
    if (stage === now.stage) now = { ...now, entry };
    else if (rank[stage] >= rank[now.stage]) now = { stage, since: happenedAt(entry), entry };
  }
  return now;
}

export interface Delay {
  reason: string;
  since: string;
  /** Null while the delay is open. */
  until: string | null;
}

/** Every delay, open and closed, in the order they started. */
export function delaysOf(timeline: readonly TimelineEntry[]): Delay[] {
  const delays: Delay[] = [];
  for (const entry of timeline) {
    if (entry.type === 'delay_started') delays.push({ reason: String(entry.reason), since: happenedAt(entry), until: null });
    if (entry.type === 'delay_ended') {
      const open = delays.findLast((delay) => delay.reason === entry.reason && delay.until === null);
      if (open) open.until = happenedAt(entry);
    }
  }
  return delays;
}

/** When the AMHP expects to arrive, from the latest `attending` with an ETA. */
export function expectedArrival(timeline: readonly TimelineEntry[]): string | null {
  const attending = timeline.findLast((entry) => entry.type === 'attending');
  if (!attending || typeof attending.etaMinutes !== 'number') return null;
  return new Date(Date.parse(happenedAt(attending)) + attending.etaMinutes * 60_000).toISOString();
}

/** The section a decision to apply admits under, for the `admitted` event that follows it. */
export function admissionSection(timeline: readonly TimelineEntry[]): 's2' | 's3' | 's4' | null {
  const outcome = timeline.findLast((entry) => entry.type === 'decision')?.outcome as DecisionOutcome | undefined;
  if (!outcome || !admittingOutcomes.includes(outcome) || outcome === 'informal_admission') return null;
  return outcome.slice('application_'.length) as 's2' | 's3' | 's4';
}
