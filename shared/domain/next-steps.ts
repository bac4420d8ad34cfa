/**
 * What the AMHP may record next on a referral they hold: one step per button on their phone
 * (`/amhp`). A step is offered only when the event rules would accept it now (each candidate is
 * tried against them), so a button never leads to a refusal the page could have known.
 */
import { applyReferralEvent, parseReferralEvent, type EventReferral } from './referral-events/index.ts';
import { admissionSection } from './stage.ts';
import type { TimelineEntry } from './types.ts';

/** `choose`: the field the AMHP picks on the page (its first option is tried). */
export interface NextStep {
  body: { type: string } & Record<string, string>;
  choose?: 'etaMinutes' | 'outcome' | 'by';
}

const has = (timeline: readonly TimelineEntry[], type: string, where: (entry: TimelineEntry) => boolean = () => true) =>
  timeline.some((entry) => entry.type === type && where(entry));

function candidates(timeline: readonly TimelineEntry[]): NextStep[] {
  const decided = has(timeline, 'decision');
  const section = admissionSection(timeline);
  const doctors = (['s12', 'second'] as const).flatMap((role): NextStep[] => [
    ...(!decided && !has(timeline, 'doctor_requested', (e) => e.role === role) ? [{ body: { type: 'doctor_requested', role } }] : []),
    { body: { type: 'doctor_arrived', role } },
  ]);
  return [
    ...(!decided && !has(timeline, 'referrer_contacted') ? [{ body: { type: 'referrer_contacted' } }] : []),
    ...(!has(timeline, 'attending') ? [{ body: { type: 'attending' }, choose: 'etaMinutes' as const }] : []),
    ...doctors,
    { body: { type: 'assessment_started' } },
    { body: { type: 'decision', outcome: 'application_s2' }, choose: 'outcome' },
    { body: { type: 'bed_requested' } },
    { body: { type: 'bed_identified' } },
    { body: { type: 'conveyance_requested', by: 'ambulance' }, choose: 'by' },
    { body: { type: 'conveyed' } },
    ...(section ? [{ body: { type: 'admitted', section } }] : []),
  ];
}

export function nextSteps(referral: EventReferral, now: Date): NextStep[] {
  return candidates(referral.timeline).filter((step) => {
    const parsed = parseReferralEvent(step.body, now);
    return parsed.ok && applyReferralEvent(referral, parsed.value, { now, by: 'next-steps' }).ok;
  });
}
