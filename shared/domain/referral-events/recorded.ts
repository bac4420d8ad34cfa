/**
 * Reading what the timeline says already happened, for the event groups' order rules: each event
 * entry carries `eventAt` (when it happened), `at` (when it was recorded) and `by` (who).
 */
import { londonTime } from '../sms.ts';
import type { TimelineEntry } from '../types.ts';
import { refuse, type EventContext, type EventReferral, type EventRefusal, type EventResult } from './event-group.ts';

/** When an entry's event happened: `eventAt` for a recorded event, else when it was written (an accept, a close). */
export const happenedAt = (entry: TimelineEntry): string => (typeof entry.eventAt === 'string' ? entry.eventAt : entry.at);

export const entriesOf = (timeline: readonly TimelineEntry[], type: string, where: (entry: TimelineEntry) => boolean = () => true) =>
  timeline.filter((entry) => entry.type === type && where(entry));

export const lastOf = (timeline: readonly TimelineEntry[], type: string, where: (entry: TimelineEntry) => boolean = () => true) =>
  timeline.findLast((entry) => entry.type === type && where(entry));

/** The entry an event adds: who recorded it, when, and when it happened. */
export function recordedEntry(event: { type: string; at: string }, context: EventContext, detail: Record<string, unknown> = {}): TimelineEntry {
  return { at: context.now.toISOString(), type: event.type as TimelineEntry['type'], eventAt: event.at, by: context.by, ...(context.via ? { via: context.via } : {}), ...detail };
}

/** The work after the accept is the accepting AMHP's: it cannot be recorded before someone has accepted. */
export function unlessAccepted(referral: EventReferral): EventRefusal | null {
  return referral.status === 'accepted'
    ? null
    : refuse('not_accepted', 'no AMHP has accepted this referral yet: the assessment, its delays and the relatives are recorded after the accept');
}

/** `what` came first at `entry`'s time: an event that depends on it cannot be dated before it. */
export function unlessAfter(event: { at: string }, entry: TimelineEntry, what: string): EventRefusal | null {
  const since = happenedAt(entry);
  return Date.parse(event.at) < Date.parse(since) ? refuse('before_earlier_event', `${what} was recorded at ${londonTime(since)}: this cannot be dated before it`) : null;
}

/** An event that only adds its entry: the legal facts and the clocks stay as they are. */
export const onTimeline = (referral: EventReferral, entry: TimelineEntry): EventResult => ({
  ok: true,
  legal: referral.legal,
  clocks: [...referral.clocks],
  timeline: [entry],
  armed: [],
});
