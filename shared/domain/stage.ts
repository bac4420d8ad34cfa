/**
 * Where a referral's assessment is (SPEC "Contract v1.1": the view's `stage`, `stageSince`,
 * `delays[]`), read from its timeline alone: the events recorded after the accept move it on
 * (shared/domain/referral-events/assessment.ts decides which may come when). The words each
 * stage is shown with live here too, so the board, the AMHP's phone and the referrer's page
 * cannot drift apart.
 */
import type { ReferralStatus, TimelineEntry } from './types.ts';

export const stages = [
  'received',
  'paging',
  'unrouted',
  'exhausted',
  'accepted',
  'referrer_contacted',
  'attending',
  'awaiting_doctors',
  'assessing',
  'decided',
  'finding_bed',
  'bed_identified',
  'awaiting_conveyance',
  'conveyed',
  'admitted',
  'handed_over',
  'closed',
] as const;
export type Stage = (typeof stages)[number];

/** The stage each assessment event moves the referral to. `doctor_arrived` moves nothing: the assessment starting does. */
export const stageOfEvent: Partial<Record<string, Stage>> = {
  referrer_contacted: 'referrer_contacted',
  attending: 'attending',
  doctor_requested: 'awaiting_doctors',
  assessment_started: 'assessing',
  decision: 'decided',
  bed_requested: 'finding_bed',
  bed_identified: 'bed_identified',
  conveyance_requested: 'awaiting_conveyance',
  conveyed: 'conveyed',
  // The legal event: admitted under s2, s3 or s4 (shared/domain/referral-events/legal.ts).
  admitted: 'admitted',
  handed_over: 'handed_over',
};

/** How far along each stage is: a stage-moving event never takes the referral back (a doctor requested while assessing keeps it assessing). */
const rank = (stage: Stage) => stages.indexOf(stage);

/** Before the accept (and once closed) the status is the stage; it began with the first of these entries since the last accept or routing. */
const statusStage: Record<ReferralStatus, { stage: Stage; enteredBy: readonly string[] }> = {
  received: { stage: 'received', enteredBy: ['received'] },
  paging: { stage: 'paging', enteredBy: ['paged'] },
  unrouted: { stage: 'unrouted', enteredBy: ['no_team_for_area'] },
  exhausted: { stage: 'exhausted', enteredBy: ['chain_exhausted'] },
  accepted: { stage: 'accepted', enteredBy: ['accepted'] },
  closed: { stage: 'closed', enteredBy: ['closed'] },
};

export interface StageView {
  stage: Stage;
  /** When the referral entered it: the time the event was said to happen (`eventAt`), else when it was recorded. */
  stageSince: string;
}

const happenedAt = (entry: TimelineEntry) => (typeof entry.eventAt === 'string' ? entry.eventAt : entry.at);

/** The referral's stage now, and since when. Before the accept (and once closed) the status is the stage. */
export function referralStage(status: ReferralStatus, timeline: readonly TimelineEntry[]): StageView {
  const first = timeline[0]?.at ?? new Date(0).toISOString();
  if (status !== 'accepted') {
    const { stage, enteredBy } = statusStage[status];
    // Paging since the first page of the current round of routing; the others since their own entry.
    const restart = timeline.findLastIndex((entry) => entry.type === 'routed' || entry.type === 'routed_again');
    const entered = stage === 'paging' ? timeline.find((entry, i) => i > restart && enteredBy.includes(entry.type)) : timeline.findLast((entry) => enteredBy.includes(entry.type));
    return { stage, stageSince: entered?.at ?? timeline.at(-1)?.at ?? first };
  }
  const accepted = timeline.findLast((entry) => entry.type === 'accepted');
  let view: StageView = { stage: 'accepted', stageSince: accepted?.at ?? first };
  for (const entry of timeline) {
    if (accepted && entry.at < accepted.at) continue;
    const next = stageOfEvent[entry.type];
    if (next && rank(next) > rank(view.stage)) view = { stage: next, stageSince: happenedAt(entry) };
  }
  return view;
}

export const delayReasons = ['s12_doctor', 'second_doctor', 'bed', 'ambulance', 'police', 'interpreter', 'person_not_fit', 'other'] as const;
export type DelayReason = (typeof delayReasons)[number];

export interface Delay {
  reason: DelayReason;
  startedAt: string;
  endedAt?: string;
}

/** Each delay reported, oldest first; one with no `endedAt` is open. */
export function referralDelays(timeline: readonly TimelineEntry[]): Delay[] {
  const delays: Delay[] = [];
  for (const entry of timeline) {
    if (entry.type === 'delay_started') delays.push({ reason: entry.reason as DelayReason, startedAt: happenedAt(entry) });
    if (entry.type === 'delay_ended') {
      const open = delays.findLast((delay) => delay.reason === entry.reason && delay.endedAt === undefined);
      if (open) open.endedAt = happenedAt(entry);
    }
  }
  return delays;
}

export const openDelays = (timeline: readonly TimelineEntry[]) => referralDelays(timeline).filter((delay) => delay.endedAt === undefined);

/** The words for each stage, as the team reads them (board, AMHP's phone). */
export const stageLabel: Record<Stage, string> = {
  received: 'Received',
  paging: 'Paging',
  unrouted: 'No team',
  exhausted: 'Nobody accepted',
  accepted: 'Accepted',
  referrer_contacted: 'Referrer contacted',
  attending: 'On the way',
  awaiting_doctors: 'Waiting for doctors',
  assessing: 'Assessing',
  decided: 'Decision made',
  finding_bed: 'Finding a bed',
  bed_identified: 'Bed found',
  awaiting_conveyance: 'Waiting for transport',
  conveyed: 'Conveyed',
  admitted: 'Admitted',
  handed_over: 'Handed over',
  closed: 'Closed',
};

export const delayLabel: Record<DelayReason, string> = {
  s12_doctor: 'waiting for an s12 doctor',
  second_doctor: 'waiting for a second doctor',
  bed: 'waiting for a bed',
  ambulance: 'waiting for an ambulance',
  police: 'waiting for the police',
  interpreter: 'waiting for an interpreter',
  person_not_fit: 'the person is not fit to be assessed',
  other: 'delayed',
};
