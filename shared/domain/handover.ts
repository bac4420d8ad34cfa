/**
 * The morning handover (issue 13 part 5): when a team's out-of-hours period ends (its office
 * opens), every referral it still has open goes on a handover list for the day service, which
 * marks each one received (`handed_over {to: day_service}`). Pure: `now` is passed in.
 *
 * A listed referral not received in time escalates as an unanswered page does, step by step: at
 * `ackBy` (the team's `ackMinutes` after the listing) the day service is reminded and the manager
 * on duty (else the team's fallback phone) told; at `escalateBy` (twice that) the service fallback
 * is texted. Both are overruns (shared/domain/overruns.ts), so the timers, the reconciler's
 * re-arming and the board serve them as they serve the others.
 */
import { outOfHoursSpans } from './service-hours.ts';
import type { ServiceHours, TimelineEntry } from './types.ts';

/** Minutes the day service has to mark a listed referral received, where the team sets none. */
export const DEFAULT_HANDOVER_ACK_MINUTES = 30;

/**
 * A run finds a period that ended this long ago still due: the schedule runs every 5 minutes, and
 * a run that failed (or a deploy that paused it) is made up within the hour. Later than that the
 * day service has long started, and the board, the overruns and the clocks carry the referral.
 */
export const HANDOVER_CATCH_UP_MS = 60 * 60_000;

/** The out-of-hours period a handover closes: [start, end), end being when the office opened. */
export interface HandoverPeriod {
  start: string;
  end: string;
}

export interface HandoverSettings {
  /** Texted the list; absent: the team's fallback phone (else the service's) is, and told so. */
  dayServicePhone?: string;
  /** How the day service is named in texts and on the page, e.g. "Leeds AMHP day service". */
  dayServiceName?: string;
  ackMinutes?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const DAY_MS = 86_400_000;

/** The out-of-hours period that ended most recently at or before `now` (a weekend, or a bank holiday, is one period). */
export function lastEndedPeriod(hours: ServiceHours | undefined, now: Date): HandoverPeriod | null {
  // A period can run from Friday 16:45 to Tuesday 08:45 (a bank-holiday Monday): look back far enough to see its start.
  const spans = outOfHoursSpans(hours, new Date(now.getTime() - 8 * DAY_MS), new Date(now.getTime() + 1));
  const ended = spans.filter((span) => span.end <= now.getTime()).at(-1);
  return ended ? { start: iso(ended.start), end: iso(ended.end) } : null;
}

/** The period whose handover a run at `now` makes: the last one, if it ended within the catch-up window. */
export function endedPeriod(hours: ServiceHours | undefined, now: Date): HandoverPeriod | null {
  const ended = lastEndedPeriod(hours, now);
  return ended && now.getTime() - Date.parse(ended.end) <= HANDOVER_CATCH_UP_MS ? ended : null;
}

/** When the next handover falls: the end of the out-of-hours period in progress, or of the next one. */
export function nextHandoverAt(hours: ServiceHours | undefined, now: Date): string | null {
  const spans = outOfHoursSpans(hours, now, new Date(now.getTime() + 8 * DAY_MS));
  const next = spans.find((span) => span.end > now.getTime() && span.end < now.getTime() + 8 * DAY_MS);
  return next ? iso(next.end) : null;
}

export interface HandoverCandidate {
  status: string;
  createdAt: string;
  timeline: readonly TimelineEntry[];
  synthetic?: boolean | undefined;
}

/** Its last listing, and whether the day service (or another team) has taken it since. */
export function handoverStanding(timeline: readonly TimelineEntry[]): { listed: TimelineEntry | null; received: TimelineEntry | null } {
  const index = timeline.findLastIndex((entry) => entry.type === 'handover_listed');
  const listed = index >= 0 ? (timeline[index] ?? null) : null;
  const received = timeline.slice(index + 1).find((entry) => entry.type === 'handed_over') ?? null;
  return { listed, received };
}

/** Whether the referral is on the list that closes `period` already. */
export const isOnHandover = (timeline: readonly TimelineEntry[], period: HandoverPeriod) =>
  timeline.some((entry) => entry.type === 'handover_listed' && entry.periodEnd === period.end);

/**
 * Whether the referral goes on the list that closes `period`: still open, received before the
 * office opened, not already on this list, and not handed over during the period itself (an AMHP
 * who handed it to the day service at 07:30 has done the handover).
 */
export function belongsOnHandover(referral: HandoverCandidate, period: HandoverPeriod): boolean {
  if (referral.status === 'closed' || referral.synthetic) return false;
  if (Date.parse(referral.createdAt) >= Date.parse(period.end)) return false;
  if (isOnHandover(referral.timeline, period)) return false;
  return !referral.timeline.some((entry) => entry.type === 'handed_over' && Date.parse(entry.at) >= Date.parse(period.start));
}

/** The timeline entry that puts a referral on the list, with its escalation times (kept on the entry, so a later setting does not move them). */
export function handoverListing(period: HandoverPeriod, settings: HandoverSettings | undefined, now: Date): TimelineEntry {
  const minutes = settings?.ackMinutes ?? DEFAULT_HANDOVER_ACK_MINUTES;
  const at = now.getTime();
  return {
    at: iso(at),
    type: 'handover_listed',
    periodStart: period.start,
    periodEnd: period.end,
    ackBy: iso(at + minutes * 60_000),
    escalateBy: iso(at + 2 * minutes * 60_000),
  };
}

/** References for a text: all of them up to `max`, then how many more. */
export function referenceList(references: readonly string[], max = 8): string {
  const shown = references.slice(0, max).join(', ');
  return references.length > max ? `${shown} and ${references.length - max} more` : shown;
}
