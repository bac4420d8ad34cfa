/**
 * The relatives events (SPEC "Contract v1.1", group `relatives`): the AMHP informed or consulted
 * the nearest relative (MHA 1983 s26) or, from the date the service sets, the nominated person
 * (Mental Health Act 2025), or they objected, or consulting them was not reasonably practicable.
 * Only the role and the action are kept: never who the relative is.
 *
 * What the Acts' words decide for an application under s3 (`decision {outcome: application_s3}`):
 * - MHA 1983 s11(4)(a) (as amended by the MHA 2007): an AMHP "may not make an application for
 *   admission for treatment" where the nearest relative "has notified that professional, or the
 *   local social services authority on whose behalf the professional is acting, that he objects to
 *   the application being made". A bar, not a warning: refused. An objection once notified stands
 *   until there is clear evidence of a change of mind (M v East London NHS FT [2009]), so a later
 *   consultation does not lift it; the routes left are s2, or displacing the nearest relative by the
 *   county court (s29(3)(c)).
 * - s11(4) as substituted by the MHA 2025 s25: a nominated person must be consulted (s11(4)) and may
 *   object (s11(4B)), but the objection is no bar: the application "may be made only if it is
 *   accompanied by a report certifying that, in the opinion of the approved mental health
 *   professional, the patient, if not admitted ... would be likely to act in a manner that is
 *   dangerous to other persons or to the patient" (s11(4C)). So it is refused unless the decision
 *   says that report is made (`dangerReport: true`).
 * - Consultation itself (s11(4)(b); s11(4), (4A) as substituted) is owed to "the person (if any)
 *   appearing to be" the nearest relative, unless not reasonably practicable or it would involve
 *   unreasonable delay. A person may have none, and the event has no way to say so, so an s3 with
 *   no consultation recorded is not refused.
 * - s2 (s11(3): inform, before or within a reasonable time after) and s4 are not barred by an objection.
 */
import * as z from 'zod';
import { londonTime } from '../sms.ts';
import type { TimelineEntry } from '../types.ts';
import { refuse, type EventGroup, type EventRefusal } from './event-group.ts';
import { eventAt } from './instant.ts';
import { lastOf, onTimeline, recordedEntry, unlessAccepted } from './recorded.ts';

export const relativeRoles = ['nearest_relative', 'nominated_person'] as const;
export type RelativeRole = (typeof relativeRoles)[number];
export const relativeActions = ['informed', 'consulted', 'objected', 'not_practicable'] as const;
export type RelativeAction = (typeof relativeActions)[number];

export const relativesEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('relative_consulted'), at: eventAt(), role: z.enum(relativeRoles), action: z.enum(relativeActions) }),
]);

export type RelativesEvent = z.output<typeof relativesEventSchema>;

export const relativesEventTypes = ['relative_consulted'] as const satisfies readonly RelativesEvent['type'][];

/** Why an s3 decision cannot be recorded after an objection, or null when it can. */
export function relativesRule(timeline: readonly TimelineEntry[], decision: { outcome: string; dangerReport?: boolean | undefined }): EventRefusal | null {
  if (decision.outcome !== 'application_s3') return null;
  const objected = (role: RelativeRole) => lastOf(timeline, 'relative_consulted', (entry) => entry.role === role && entry.action === 'objected');
  const nearestRelative = objected('nearest_relative');
  if (nearestRelative) {
    return refuse(
      'nearest_relative_objected',
      `the nearest relative objected (recorded at ${londonTime(String(nearestRelative.eventAt))}): an AMHP may not make an application for admission for treatment while they object (MHA 1983 s11(4)). Consider an application under s2, or displacing the nearest relative through the county court (s29)`,
    );
  }
  const nominatedPerson = objected('nominated_person');
  if (nominatedPerson && decision.dangerReport !== true) {
    return refuse(
      'nominated_person_objected',
      `the nominated person objected (recorded at ${londonTime(String(nominatedPerson.eventAt))}): an application for admission for treatment may be made only with the AMHP's report that the person, if not admitted, would be likely to act in a manner dangerous to others or to themselves (MHA 1983 s11(4C), as substituted by the Mental Health Act 2025): record the decision with dangerReport`,
    );
  }
  return null;
}

export const relativesEvents: EventGroup<RelativesEvent> = {
  name: 'relatives',
  types: relativesEventTypes,
  schema: relativesEventSchema,
  mayRecord: (_type, recorder) => recorder !== 'referrer',
  apply: (referral, event, context) => unlessAccepted(referral) ?? onTimeline(referral, recordedEntry(event, context, { role: event.role, action: event.action })),
};
