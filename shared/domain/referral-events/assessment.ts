/**
 * The assessment events (SPEC "Contract v1.1", group `assessment`): the night's work between the
 * accept and the close, recorded by the AMHP who accepted or a manager of the team, each with who
 * and when. They happen in this order, and an event out of it is refused (409) with why:
 *
 * 1. `referrer_contacted`, `attending {etaMinutes?}`, `doctor_requested {role}`,
 *    `doctor_arrived {role}`: in any order once accepted. A doctor arrives after their request
 *    (one open request per role); `attending` may be sent again (a new ETA) until the assessment starts.
 * 2. `assessment_started`: after `attending` (the AMHP interviews the person "in a suitable
 *    manner", s13(2): they must be there). Once.
 * 3. `decision {outcome}`: after the assessment started. Once. An application under s3 after the
 *    nearest relative objected is refused (s11(4)); see `relativesRule`.
 * 4. `bed_requested` → `bed_identified`: after a decision to admit (an application or an informal
 *    admission). A bed that falls through is asked for again once the last one was identified.
 * 5. `conveyance_requested {by}` → `conveyed`: after a bed is identified (the conveyance goes to it).
 * 6. `admitted` (the legal group) ends the place of safety clock; `handed_over {to}` passes what is
 *    left to the day service or another team, at any point after the accept.
 *
 * The stage the referral is at follows from these entries (shared/domain/stage.ts).
 */
import * as z from 'zod';
import { londonTime } from '../sms.ts';
import { doctorRoleText, outcomeText } from '../stage-words.ts';
import type { TimelineEntry } from '../types.ts';
import { trimmedText } from '../validation.ts';
import { refuse, type EventContext, type EventGroup, type EventReferral, type EventResult } from './event-group.ts';
import { eventAt } from './instant.ts';
import { entriesOf, lastOf, onTimeline, recordedEntry, unlessAccepted, unlessAfter } from './recorded.ts';
import { relativesRule } from './relatives.ts';

export const doctorRoles = ['s12', 'second', 'responsible_clinician'] as const;
export type DoctorRole = (typeof doctorRoles)[number];

export const decisionOutcomes = ['application_s2', 'application_s3', 'application_s4', 'informal_admission', 'community_plan', 'no_further_action'] as const;
export type DecisionOutcome = (typeof decisionOutcomes)[number];

/** Outcomes that take the person to a hospital bed. */
export const admittingOutcomes: readonly DecisionOutcome[] = ['application_s2', 'application_s3', 'application_s4', 'informal_admission'];

export const conveyors = ['ambulance', 'police', 'other'] as const;
export const handoverTargets = ['day_service', 'team'] as const;

/** Longer than any journey across a county at night: a typo (`attending 450`) is caught at the edge. */
export const MAX_ETA_MINUTES = 600;

export const assessmentEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('referrer_contacted'), at: eventAt() }),
  z.strictObject({ type: z.literal('attending'), at: eventAt(), etaMinutes: z.int().min(0).max(MAX_ETA_MINUTES).optional() }),
  z.strictObject({ type: z.literal('doctor_requested'), at: eventAt(), role: z.enum(doctorRoles) }),
  z.strictObject({ type: z.literal('doctor_arrived'), at: eventAt(), role: z.enum(doctorRoles) }),
  z.strictObject({ type: z.literal('assessment_started'), at: eventAt() }),
  z.strictObject({
    type: z.literal('decision'),
    at: eventAt(),
    outcome: z.enum(decisionOutcomes),
    /**
     * MHA 1983 s11(4C) (substituted by the Mental Health Act 2025 s25): after a nominated person's
     * objection, an s3 application may be made only with the AMHP's report certifying that the
     * person, if not admitted, would be likely to act in a manner dangerous to others or to themselves.
     */
    dangerReport: z.boolean().optional(),
  }),
  z.strictObject({ type: z.literal('bed_requested'), at: eventAt() }),
  z.strictObject({ type: z.literal('bed_identified'), at: eventAt() }),
  z.strictObject({ type: z.literal('conveyance_requested'), at: eventAt(), by: z.enum(conveyors) }),
  z.strictObject({ type: z.literal('conveyed'), at: eventAt() }),
  z
    .strictObject({ type: z.literal('handed_over'), at: eventAt(), to: z.enum(handoverTargets), teamId: trimmedText(100).optional() })
    .superRefine((value, ctx) => {
      if (value.to === 'team' && !value.teamId) ctx.addIssue({ code: 'custom', path: ['teamId'], message: 'is required when handing over to a team' });
      if (value.to !== 'team' && value.teamId) ctx.addIssue({ code: 'custom', path: ['teamId'], message: 'applies only when handing over to a team' });
    }),
]);

export type AssessmentEvent = z.output<typeof assessmentEventSchema>;
type Of<T extends AssessmentEvent['type']> = Extract<AssessmentEvent, { type: T }>;

export const assessmentEventTypes = [
  'referrer_contacted',
  'attending',
  'doctor_requested',
  'doctor_arrived',
  'assessment_started',
  'decision',
  'bed_requested',
  'bed_identified',
  'conveyance_requested',
  'conveyed',
  'handed_over',
] as const satisfies readonly AssessmentEvent['type'][];

/** Whether the request last made (of `requested`) is still waiting for its answer (`answered`) since. */
function openRequest(timeline: readonly TimelineEntry[], requested: string, answered: string, where: (entry: TimelineEntry) => boolean = () => true) {
  const request = timeline.findLastIndex((entry) => entry.type === requested && where(entry));
  if (request < 0) return undefined;
  const answer = timeline.findLastIndex((entry) => entry.type === answered && where(entry));
  return answer > request ? undefined : timeline[request];
}

function doctorRequested(referral: EventReferral, event: Of<'doctor_requested'>): EventResult | null {
  const open = openRequest(referral.timeline, 'doctor_requested', 'doctor_arrived', (entry) => entry.role === event.role);
  return open ? refuse('already_requested', `a doctor (${doctorRoleText[event.role]}) was asked for at ${londonTime(String(open.eventAt))} and has not arrived yet: record their arrival first`) : null;
}

function doctorArrived(referral: EventReferral, event: Of<'doctor_arrived'>): EventResult | null {
  const open = openRequest(referral.timeline, 'doctor_requested', 'doctor_arrived', (entry) => entry.role === event.role);
  if (!open) return refuse('not_requested', `no request for a doctor (${doctorRoleText[event.role]}) is waiting: record the request first (it may be dated the same time)`);
  return unlessAfter(event, open, 'the request for this doctor');
}

function assessmentStarted(referral: EventReferral, event: Of<'assessment_started'>): EventResult | null {
  const started = lastOf(referral.timeline, 'assessment_started');
  if (started) return refuse('already_started', `the assessment started at ${londonTime(String(started.eventAt))}`);
  const attending = lastOf(referral.timeline, 'attending');
  // MHA 1983 s13(2): the AMHP interviews the person "in a suitable manner" before applying: they are there.
  if (!attending) return refuse('not_attending', 'the AMHP is not recorded as attending: record attending first (it may be dated the same time)');
  return unlessAfter(event, attending, 'attending');
}

function decision(referral: EventReferral, event: Of<'decision'>): EventResult | null {
  const decided = lastOf(referral.timeline, 'decision');
  if (decided) return refuse('already_decided', `the decision was recorded at ${londonTime(String(decided.eventAt))}`);
  const started = lastOf(referral.timeline, 'assessment_started');
  if (!started) return refuse('not_started', 'the assessment has not started: record the start of the assessment before its decision');
  return unlessAfter(event, started, 'the start of the assessment') ?? relativesRule(referral.timeline, event);
}

function bedRequested(referral: EventReferral, event: Of<'bed_requested'>): EventResult | null {
  const decided = lastOf(referral.timeline, 'decision');
  if (!decided) return refuse('not_decided', 'no decision is recorded: a bed is asked for once the assessment decides on admission');
  if (!admittingOutcomes.includes(decided.outcome as DecisionOutcome)) {
    return refuse('no_admission', `the decision was ${outcomeText[decided.outcome as DecisionOutcome]?.toLowerCase() ?? String(decided.outcome)}: no bed is needed`);
  }
  const open = openRequest(referral.timeline, 'bed_requested', 'bed_identified');
  if (open) return refuse('already_requested', `a bed was asked for at ${londonTime(String(open.eventAt))} and none is identified yet`);
  return unlessAfter(event, decided, 'the decision');
}

function bedIdentified(referral: EventReferral, event: Of<'bed_identified'>): EventResult | null {
  const open = openRequest(referral.timeline, 'bed_requested', 'bed_identified');
  if (!open) return refuse('not_requested', 'no request for a bed is waiting: record the request first (it may be dated the same time)');
  return unlessAfter(event, open, 'the request for a bed');
}

function conveyanceRequested(referral: EventReferral, event: Of<'conveyance_requested'>): EventResult | null {
  const bed = lastOf(referral.timeline, 'bed_identified');
  if (!bed || openRequest(referral.timeline, 'bed_requested', 'bed_identified')) {
    return refuse('no_bed', 'no bed is identified: a conveyance is arranged to the bed once it is found');
  }
  const open = openRequest(referral.timeline, 'conveyance_requested', 'conveyed');
  if (open) return refuse('already_requested', `a conveyance was asked for at ${londonTime(String(open.eventAt))} and has not happened yet`);
  return unlessAfter(event, bed, 'the bed');
}

function conveyed(referral: EventReferral, event: Of<'conveyed'>): EventResult | null {
  const open = openRequest(referral.timeline, 'conveyance_requested', 'conveyed');
  if (!open) {
    return entriesOf(referral.timeline, 'conveyed').length > 0
      ? refuse('already_conveyed', 'the conveyance is already recorded as done')
      : refuse('not_requested', 'no conveyance was asked for: record the request first (it may be dated the same time)');
  }
  return unlessAfter(event, open, 'the request for the conveyance');
}

function attending(referral: EventReferral): EventResult | null {
  const started = lastOf(referral.timeline, 'assessment_started');
  return started ? refuse('already_started', `the assessment started at ${londonTime(String(started.eventAt))}: the AMHP is there`) : null;
}

/** The rule each type must pass; `null` means it may be recorded. */
function orderRule(referral: EventReferral, event: AssessmentEvent): EventResult | null {
  switch (event.type) {
    case 'referrer_contacted':
    case 'handed_over':
      return null;
    case 'attending':
      return attending(referral);
    case 'doctor_requested':
      return doctorRequested(referral, event);
    case 'doctor_arrived':
      return doctorArrived(referral, event);
    case 'assessment_started':
      return assessmentStarted(referral, event);
    case 'decision':
      return decision(referral, event);
    case 'bed_requested':
      return bedRequested(referral, event);
    case 'bed_identified':
      return bedIdentified(referral, event);
    case 'conveyance_requested':
      return conveyanceRequested(referral, event);
    case 'conveyed':
      return conveyed(referral, event);
  }
}

/** The fields an entry keeps: closed lists and numbers only, so nothing said about the person lands on the timeline. */
function detail(event: AssessmentEvent): Record<string, unknown> {
  const { type: _type, at: _at, ...fields } = event;
  return fields;
}

export const assessmentEvents: EventGroup<AssessmentEvent> = {
  name: 'assessment',
  types: assessmentEventTypes,
  schema: assessmentEventSchema,
  mayRecord: (_type, recorder) => recorder !== 'referrer',
  apply(referral, event, context: EventContext) {
    // The morning handover takes what is open as it stands, accepted overnight or not (shared/domain/handover.ts).
    const accepted = event.type === 'handed_over' ? null : unlessAccepted(referral);
    return accepted ?? orderRule(referral, event) ?? onTimeline(referral, recordedEntry(event, context, detail(event)));
  },
};

