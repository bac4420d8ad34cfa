/**
 * What the referrer is told about their referral while it is routed, paged, escalated and
 * accepted: plain English from the status and the timeline. Staff ids, decline reasons and who
 * declined are never shown; the AMHP who accepted is named, because they will call back.
 */
import type { ReferralStatus, TimelineEntry, Urgency } from './types.ts';

export type ReferrerStage = 'received' | 'paging' | 'escalated' | 'accepted' | 'exhausted' | 'unrouted' | 'closed';

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
  acceptedAt: string | null;
  /** When the call-back is due at the latest, from the acceptance and the urgency. */
  callBackBy: string | null;
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
}

const escalations = new Set(['ack_timeout', 'declined', 'chain_exhausted']);

function stageOf(input: ProgressInput): ReferrerStage {
  switch (input.status) {
    case 'received':
      return 'received';
    case 'unrouted':
      return 'unrouted';
    case 'accepted':
      return 'accepted';
    case 'exhausted':
      return 'exhausted';
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
    case 'chain_exhausted':
      return 'Every AMHP on duty has been asked';
    case 'fallback_alerted':
      return 'The duty manager has been alerted';
    case 'accepted':
      return `Accepted by ${names.amhpName?.trim() || 'an AMHP'}`;
    case 'referrer_notified':
      return entry.channel === 'sms' ? 'Text message sent to you' : null;
    default:
      // Steps skipped, failed pages and audit entries are for the team, not the referrer.
      return null;
  }
}

export function referrerProgress(input: ProgressInput, names: ProgressNames = {}): ReferrerProgress {
  const stage = stageOf(input);
  const accepted = [...input.timeline].reverse().find((entry) => entry.type === 'accepted');
  const acceptedAt = stage === 'accepted' && accepted ? accepted.at : null;
  const callBackBy = acceptedAt
    ? new Date(Date.parse(acceptedAt) + CALL_BACK_WITHIN_MINUTES[input.urgency] * 60_000).toISOString()
    : null;
  const amhp = names.amhpName?.trim() || 'An AMHP';
  const headline: Record<ReferrerStage, string> = {
    received: 'Received. Finding the emergency duty team for the area.',
    paging: 'The AMHP on duty has been asked to accept.',
    escalated: 'Not accepted yet. The next AMHP on duty is being asked.',
    accepted: `Accepted. ${amhp} will call you back.`,
    exhausted: 'Not accepted yet. Every AMHP on duty has been asked and the duty manager alerted.',
    unrouted: 'No emergency duty team covers this area. Call the local emergency duty team.',
    closed: 'Closed. The emergency duty team has recorded what happened.',
  };
  return {
    stage,
    headline: headline[stage],
    settled: stage === 'accepted' || stage === 'unrouted' || stage === 'closed',
    acceptedAt,
    callBackBy,
    events: input.timeline.flatMap((entry) => {
      const text = eventText(entry, input, names);
      return text ? [{ at: entry.at, text }] : [];
    }),
  };
}
