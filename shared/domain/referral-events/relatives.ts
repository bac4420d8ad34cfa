/**
 * The relatives' events (SPEC "Contract v1.1", group `relatives`): the nearest relative (MHA 1983
 * s26) or, once the Mental Health Act 2025 brings it in, the nominated person, informed,
 * consulted, objecting, or not practicably consulted. An objection bars an application for
 * admission for treatment (s3); it does not bar one for assessment (s2), where s11(3) asks only
 * that the nearest relative be informed.
 */
import * as z from 'zod';
import type { TimelineEntry } from '../types.ts';
import { afterAccept, refuse, type EventGroup, type EventRefusal } from './event-group.ts';
import { eventAt } from './instant.ts';

export const relativeRoles = ['nearest_relative', 'nominated_person'] as const;
export const relativeActions = ['informed', 'consulted', 'objected', 'not_practicable'] as const;

export const relativeEventSchema = z.strictObject({
  type: z.literal('relative_consulted'),
  at: eventAt(),
  role: z.enum(relativeRoles),
  action: z.enum(relativeActions),
});

export type RelativeEvent = z.output<typeof relativeEventSchema>;

/**
 * Whether an application under s3 may be made, given what the relatives said.
 *
 * MHA 1983 s11(4)(a): an AMHP "shall not make an application for admission for treatment ... if
 * the nearest relative of the patient has notified that professional, or the local social
 * services authority on whose behalf the professional is acting, that he objects to the
 * application being made". The words are absolute: only displacing the nearest relative in the
 * county court (s29(3)(c)) removes the bar, so no report or urgency here overrides it. An
 * objection once made stands until it is withdrawn (M v East London NHS Foundation Trust [2009]
 * EWHC 1331 (Admin)), and the contract has no withdrawal: a later "consulted" does not lift it.
 *
 * The nominated person (s11(4B)-(4C) as substituted by the Mental Health Act 2025 s25, from the
 * date regulations set): an objection no longer bars the application if it is accompanied by the
 * AMHP's report that the patient, if not admitted, would be likely to act in a manner dangerous
 * to others or to themselves.
 */
export function s3ObjectionRefusal(timeline: readonly TimelineEntry[], dangerReport: boolean): EventRefusal | null {
  const objections = timeline.filter((entry) => entry.type === 'relative_consulted' && entry.action === 'objected');
  if (objections.some((entry) => entry.role === 'nearest_relative')) {
    return refuse(
      'nearest_relative_objected',
      'the nearest relative objected: an AMHP may not apply for admission for treatment (MHA 1983 s11(4)); consider an s2 application, or ask the county court to displace the nearest relative (s29)',
    );
  }
  if (objections.some((entry) => entry.role === 'nominated_person') && !dangerReport) {
    return refuse(
      'nominated_person_objected',
      'the nominated person objected: an s3 application may be made only with the AMHP\'s report that the person would be likely to act dangerously if not admitted (MHA 1983 s11(4C)): send "dangerReport": true with the decision',
    );
  }
  return null;
}

export const relativeEvents: EventGroup<RelativeEvent> = {
  name: 'relatives',
  types: ['relative_consulted'],
  schema: relativeEventSchema,
  mayRecord: (_type, recorder) => recorder === 'accepting_amhp' || recorder === 'manager',
  apply(referral, event, context) {
    const notYet = afterAccept(referral, event.at);
    if (notYet) return notYet;
    const decision = referral.timeline.findLast((entry) => entry.type === 'decision');
    // An objection after the application is made does not undo it (s11(4) speaks of an application "being made").
    if (decision && event.action === 'objected' && Date.parse(event.at) > Date.parse(String(decision.eventAt ?? decision.at))) {
      return refuse('already_decided', 'the decision is recorded: an objection after the application was made does not affect it; record it in the case notes');
    }
    return {
      ok: true,
      legal: referral.legal,
      clocks: [...referral.clocks],
      timeline: [{ at: context.now.toISOString(), type: 'relative_consulted', eventAt: event.at, by: context.by, role: event.role, action: event.action }],
      armed: [],
    };
  },
};
