/**
 * The delays events (SPEC "Contract v1.1", group `delays`): what the night is waiting for, by a
 * closed list of reasons (never free text about the person). A delay is open from its
 * `delay_started` until the `delay_ended` of the same reason; one open delay per reason, and a
 * delay ends only once it has started. The view lists them (shared/domain/stage.ts `delaysOf`).
 */
import * as z from 'zod';
import { londonTime } from '../sms.ts';
import { delayReasonText } from '../stage-words.ts';
import type { TimelineEntry } from '../types.ts';
import { refuse, type EventGroup } from './event-group.ts';
import { eventAt } from './instant.ts';
import { onTimeline, recordedEntry, unlessAccepted, unlessAfter } from './recorded.ts';

export const delayReasons = ['s12_doctor', 'second_doctor', 'bed', 'ambulance', 'police', 'interpreter', 'person_not_fit', 'other'] as const;
export type DelayReason = (typeof delayReasons)[number];

export const delaysEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('delay_started'), at: eventAt(), reason: z.enum(delayReasons) }),
  z.strictObject({ type: z.literal('delay_ended'), at: eventAt(), reason: z.enum(delayReasons) }),
]);

export type DelaysEvent = z.output<typeof delaysEventSchema>;

export const delaysEventTypes = ['delay_started', 'delay_ended'] as const satisfies readonly DelaysEvent['type'][];

/** The start of the open delay of that reason, if one is open. */
export function openDelay(timeline: readonly TimelineEntry[], reason: string): TimelineEntry | undefined {
  const started = timeline.findLastIndex((entry) => entry.type === 'delay_started' && entry.reason === reason);
  const ended = timeline.findLastIndex((entry) => entry.type === 'delay_ended' && entry.reason === reason);
  return started > ended ? timeline[started] : undefined;
}

export const delaysEvents: EventGroup<DelaysEvent> = {
  name: 'delays',
  types: delaysEventTypes,
  schema: delaysEventSchema,
  mayRecord: (_type, recorder) => recorder !== 'referrer',
  apply(referral, event, context) {
    const refused = unlessAccepted(referral);
    if (refused) return refused;
    const open = openDelay(referral.timeline, event.reason);
    const reason = delayReasonText[event.reason].toLowerCase();
    if (event.type === 'delay_started' && open) {
      return refuse('delay_open', `a delay waiting for ${reason} is already open since ${londonTime(String(open.eventAt))}: end it before starting another`);
    }
    if (event.type === 'delay_ended') {
      if (!open) return refuse('no_open_delay', `no delay waiting for ${reason} is open: there is nothing to end`);
      const early = unlessAfter(event, open, 'the start of this delay');
      if (early) return early;
    }
    return onTimeline(referral, recordedEntry(event, context, { reason: event.reason }));
  },
};
