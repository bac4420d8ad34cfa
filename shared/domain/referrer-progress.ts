/**
 * What the referrer is told about their referral while it is routed, paged, escalated and
 * accepted: plain English from the status and the timeline. Staff ids, decline reasons and who
 * declined are never shown; the AMHP who accepted is named, because they will call back.
 */
import { formatUkPhone } from './phone.ts';
import { stageOf } from './stage.ts';
import { eventText as stepText, referrerStageSentence } from './stage-words.ts';
import type { ReferralStatus, TimelineEntry, Urgency } from './types.ts';

/** `unreachable`: the team had nobody on duty to page; its manager, fallback or the service's was told. */
export type ReferrerStage = 'received' | 'paging' | 'escalated' | 'accepted' | 'exhausted' | 'unreachable' | 'unrouted' | 'closed';

/**
 * How soon after accepting the AMHP aims to call the referrer back, by urgency. A service
 * standard, not law: teams may set their own once team policy carries it.
 */
export const CALL_BACK_WITHIN_MINUTES: Record<Urgency, number> = {
  immediate: 30,
  within_4_hours: 60,
  within_24_hours: 240,
};

export interface ReferrerProgress {
  stage: ReferrerStage;
  /** One sentence for the status line, also announced to screen readers when it changes. */
  headline: string;
  /** Nothing more will change without someone acting, so the page need not keep checking. */
  settled: boolean;
  /**
   * After the accept, where the assessment has got to in plain words ("The AMHP is on the way,
   * expected about 02:40."), from shared/domain/stage-words.ts; null before, at the accept and once closed.
   */
  assessment: string | null;
  acceptedAt: string | null;
  /** When the call-back is due at the latest, from the acceptance and the urgency. */
  callBackBy: string | null;
  /** The number to call about it (E.164): the team's contact, else the service's, else its fallback. */
  callPhone: string | null;
  events: { at: string; text: string }[];
}

export interface ProgressInput {
  status: ReferralStatus;
  urgency: Urgency;
  district: string;
  timeline: readonly TimelineEntry[];
}

export interface ProgressNames {
  teamName?: string | null;
  amhpName?: string | null;
  /** The number referrers are told to call (E.164), when the team or the service has one. */
  contactPhone?: string | null;
}

const escalations = new Set(['ack_timeout', 'declined', 'chain_exhausted']);

function referrerStageOf(input: ProgressInput): ReferrerStage {
  switch (input.status) {
    case 'received':
      return 'received';
    case 'unrouted':
      return 'unrouted';
    case 'accepted':
      return 'accepted';
    case 'exhausted':
      return input.timeline.some((entry) => entry.type === 'nobody_to_page') ? 'unreachable' : 'exhausted';
    case 'closed':
      return 'closed';
    case 'paging':
      return input.timeline.some((entry) => escalations.has(entry.type)) ? 'escalated' : 'paging';
  }
}

function eventText(entry: TimelineEntry, input: ProgressInput, names: ProgressNames): string | null {
  switch (entry.type) {
    case 'received':
      return 'Referral received';
    case 'routed':
      return `Sent to ${names.teamName ?? 'the emergency duty team'}`;
    case 'no_team_for_area':
      return `No emergency duty team covers ${input.district}`;
    case 'paged':
      return Number(entry.round ?? 0) > 0 ? 'AMHP on duty asked again' : 'AMHP on duty asked to accept';
    case 'ack_timeout':
      return 'No answer in time: the next AMHP on duty is being asked';
    case 'declined':
      return 'An AMHP could not take it: the next AMHP on duty is being asked';
    case 'nobody_to_page':
      return 'Nobody on duty in the team could be asked';
    case 'chain_exhausted':
      // After "nobody could be asked", saying everyone has been would be untrue.
      return input.timeline.some((other) => other.type === 'nobody_to_page' && other.at === entry.at) ? null : 'Every AMHP on duty has been asked';
    case 'fallback_alerted':
      return entry.managerStaffId ? 'The duty manager has been told' : entry.fallbackPhone ? "The team's duty phone has been told" : null;
    case 'fallback_phone_alerted':
      return "The team's duty phone has been told";
    case 'service_fallback_alerted':
      return "The service's on-call contact has been told";
    case 'nobody_told':
      return 'Nobody could be told: please call';
    case 'accepted':
      return `Accepted by ${names.amhpName?.trim() || 'an AMHP'}`;
    case 'referrer_notified':
      return entry.channel === 'sms' ? 'Text message sent to you' : null;
    case 'arrived_at_place_of_safety':
      return entry.kept ? 'Kept at the place of safety: the 24 hours started' : 'Arrived at the place of safety: the 24 hours started';
    case 'transferred':
      return 'Moved to another place of safety: the 24 hours go on';
    case 'admitted':
      return 'Admitted to hospital';
    case 'released':
      return 'Released';
    // The assessment as the referrer may know it: not the doctors, delays, relatives or the decision itself.
    case 'referrer_contacted':
      return 'The AMHP called you back';
    case 'attending':
    case 'assessment_started':
    case 'bed_requested':
    case 'bed_identified':
    case 'conveyed':
      return stepText(entry);
    case 'decision':
      return 'The assessment reached a decision';
    case 'conveyance_requested':
      return 'Transport to hospital asked for';
    case 'handed_over':
      return 'Handed over to the day service';
    default:
      // Steps skipped, failed pages and audit entries are for the team, not the referrer.
      return null;
  }
}

/** Who was last told that nobody is working on it: the team's manager or phone, the service's contact, or nobody. */
function toldText(timeline: readonly TimelineEntry[]): string {
  const last = [...timeline].reverse().find((entry) => ['fallback_alerted', 'service_fallback_alerted', 'nobody_told'].includes(entry.type));
  if (!last) return 'nobody has been told yet';
  if (last.type === 'service_fallback_alerted') return "the service's on-call contact has been told";
  if (last.type === 'nobody_told') return 'nobody else could be told';
  return last.managerStaffId ? 'the duty manager has been told' : "the team's duty phone has been told";
}

export function referrerProgress(input: ProgressInput, names: ProgressNames = {}): ReferrerProgress {
  const stage = referrerStageOf(input);
  const assessment = stage === 'accepted' ? referrerStageSentence(stageOf(input.timeline), input.timeline) : null;
  const accepted = [...input.timeline].reverse().find((entry) => entry.type === 'accepted');
  const acceptedAt = stage === 'accepted' && accepted ? accepted.at : null;
  const callBackBy = acceptedAt
    ? new Date(Date.parse(acceptedAt) + CALL_BACK_WITHIN_MINUTES[input.urgency] * 60_000).toISOString()
    : null;
  const amhp = names.amhpName?.trim() || 'An AMHP';
  const team = names.teamName?.trim() || 'the emergency duty team';
  const callPhone = names.contactPhone ?? null;
  const call = callPhone ? `Call ${formatUkPhone(callPhone)} and give the reference.` : 'Call the emergency duty team for the area and give the reference.';
  // The step in hand: a person paged, or a fallback-phone step of the team's policy (nobody paged).
  const lastAsk = [...input.timeline].reverse().find((entry) => entry.type === 'paged' || entry.type === 'fallback_phone_alerted');
  const asking = lastAsk?.type === 'fallback_phone_alerted' ? "No AMHP has accepted yet; the team's duty phone has been told." : null;
  const told = toldText(input.timeline);
  // The chain stopped because the referral was handed over before anyone accepted (shared/domain/escalation.ts onHandedOver).
  const handedOver = input.timeline.findLast((entry) => entry.type === 'handed_over');
  const unrouted = input.timeline.some((entry) => entry.type === 'service_fallback_alerted' && entry.reason === 'no_team_for_area')
    ? "The service's on-call contact has been told."
    : 'Nobody has been told yet.';
  const headline: Record<ReferrerStage, string> = {
    received: `Received. Finding the emergency duty team for ${input.district}.`,
    paging: `Sent to ${team}. ${asking ?? 'The AMHP on duty has been asked to accept.'}`,
    escalated: `Not accepted yet. ${asking ?? `The next AMHP on duty at ${team} is being asked.`}`,
    accepted: assessment ? `Accepted. ${assessment}` : `Accepted. ${amhp} will call you back.`,
    exhausted: handedOver
      ? `Handed over to ${handedOver.to === 'team' ? 'another team' : 'the day service'}: no AMHP of ${team} had accepted it. ${call}`
      : `Not accepted yet. Every AMHP on duty at ${team} has been asked, and ${told}. ${call}`,
    unreachable: `Sent to ${team}, but nobody there can be reached now, and ${told}. ${call}`,
    unrouted: `No emergency duty team covers ${input.district}. ${unrouted} ${call}`,
    closed: 'Closed. The emergency duty team has recorded what happened.',
  };
  return {
    stage,
    headline: headline[stage],
    // An unrouted referral may yet be routed again by a manager, so its page keeps checking.
    settled: stage === 'accepted' || stage === 'closed',
    assessment,
    acceptedAt,
    callBackBy,
    callPhone,
    events: input.timeline.flatMap((entry) => {
      const text = eventText(entry, input, names);
      return text ? [{ at: entry.at, text }] : [];
    }),
  };
}
