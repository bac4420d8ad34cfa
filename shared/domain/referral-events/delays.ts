/**
 * The delay events (SPEC "Contract v1.1", group `delays`): what is holding the assessment up, and
 * when it stopped. One open delay per reason; the view's `delays[]` lists them
 * (shared/domain/stage.ts), and the figures count the hours lost by reason.
 */
import * as z from 'zod';
import { delayLabel, delayReasons, openDelays } from '../stage.ts';
import { afterAccept, refuse, type EventGroup } from './event-group.ts';
import { eventAt } from './instant.ts';

export const delayEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('delay_started'), at: eventAt(), reason: z.enum(delayReasons) }),
  z.strictObject({ type: z.literal('delay_ended'), at: eventAt(), reason: z.enum(delayReasons) }),
]);

export type DelayEvent = z.output<typeof delayEventSchema>;

export const delayEvents: EventGroup<DelayEvent> = {
  name: 'delays',
  types: ['delay_started', 'delay_ended'],
  schema: delayEventSchema,
  mayRecord: (_type, recorder) => recorder === 'accepting_amhp' || recorder === 'manager',
  apply(referral, event, context) {
    // Before the accept nobody is assessing, so nothing is delayed yet.
    const notYet = afterAccept(referral, event.at);
    if (notYet) return notYet;
    const open = openDelays(referral.timeline).find((delay) => delay.reason === event.reason);
    if (event.type === 'delay_started' && open) return refuse('delay_open', `a delay (${delayLabel[event.reason]}) is already open since ${open.startedAt}: end it first`);
    if (event.type === 'delay_ended') {
      if (!open) return refuse('no_open_delay', `no delay (${delayLabel[event.reason]}) is open`);
      if (Date.parse(event.at) < Date.parse(open.startedAt)) return refuse('before_delay_start', `the delay began at ${open.startedAt}: it cannot end before that`);
    }
    return {
      ok: true,
      legal: referral.legal,
      clocks: [...referral.clocks],
      timeline: [{ at: context.now.toISOString(), type: event.type, eventAt: event.at, by: context.by, reason: event.reason }],
      armed: [],
    };
  },
};
