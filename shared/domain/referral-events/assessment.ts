/**
 * The assessment events (SPEC "Contract v1.1", group `assessment`): what happens between the
 * accept and the end of the night, from reaching the referrer to conveyance and handover. They
 * follow the accept and come in the order the work does; each moves the stage
 * (shared/domain/stage.ts). The relatives' rule on an s3 application is in `relatives.ts`.
 */
import * as z from 'zod';
import { referralStage, stages, type Stage } from '../stage.ts';
import type { TimelineEntry } from '../types.ts';
import { afterAccept, refuse, type EventContext, type EventGroup, type EventReferral, type EventResult } from './event-group.ts';
import { eventAt } from './instant.ts';
import { s3ObjectionRefusal } from './relatives.ts';

export const doctorRoles = ['s12', 'second', 'responsible_clinician'] as const;
export const decisionOutcomes = ['application_s2', 'application_s3', 'application_s4', 'informal_admission', 'community_plan', 'no_further_action'] as const;
export type DecisionOutcome = (typeof decisionOutcomes)[number];

export const assessmentEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('referrer_contacted'), at: eventAt() }),
  z.strictObject({ type: z.literal('attending'), at: eventAt(), etaMinutes: z.number().int().min(0).max(600).optional() }),
  z.strictObject({ type: z.literal('doctor_requested'), at: eventAt(), role: z.enum(doctorRoles) }),
  z.strictObject({ type: z.literal('doctor_arrived'), at: eventAt(), role: z.enum(doctorRoles) }),
  z.strictObject({ type: z.literal('assessment_started'), at: eventAt() }),
  z.strictObject({
    type: z.literal('decision'),
    at: eventAt(),
    outcome: z.enum(decisionOutcomes),
    /** MHA 1983 s11(4C) (as substituted by the Mental Health Act 2025 s25): the AMHP's report that overrides a nominated person's objection. */
    dangerReport: z.boolean().optional(),
  }),
  z.strictObject({ type: z.literal('bed_requested'), at: eventAt() }),
  z.strictObject({ type: z.literal('bed_identified'), at: eventAt() }),
  z.strictObject({ type: z.literal('conveyance_requested'), at: eventAt(), by: z.enum(['ambulance', 'police', 'other']) }),
  z.strictObject({ type: z.literal('conveyed'), at: eventAt() }),
  z
    .strictObject({ type: z.literal('handed_over'), at: eventAt(), to: z.enum(['day_service', 'team']), teamId: z.string().trim().min(1).max(64).optional() })
    .superRefine((value, ctx) => {
      if (value.to === 'team' && !value.teamId) ctx.addIssue({ code: 'custom', path: ['teamId'], message: 'is required when handing over to a team' });
      if (value.to === 'day_service' && value.teamId) ctx.addIssue({ code: 'custom', path: ['teamId'], message: 'applies only when handing over to a team' });
    }),
]);

export type AssessmentEvent = z.output<typeof assessmentEventSchema>;

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

const ms = Date.parse;
const words = (type: string) => type.replaceAll('_', ' ');
const atOrAfter = (stage: Stage, than: Stage) => stages.indexOf(stage) >= stages.indexOf(than);
const admissionOutcomes: readonly DecisionOutcome[] = ['application_s2', 'application_s3', 'application_s4', 'informal_admission'];

/** The entries since the accept, for the rules that look back. */
const sinceAccept = (timeline: readonly TimelineEntry[]) => timeline.slice(Math.max(timeline.findLastIndex((entry) => entry.type === 'accepted'), 0));
const recorded = (referral: EventReferral, type: string) => sinceAccept(referral.timeline).findLast((entry) => entry.type === type);

/** Why the event cannot come now, or null when it may. */
function orderRefusal(referral: EventReferral, event: AssessmentEvent): EventResult | null {
  const { stage } = referralStage(referral.status, referral.timeline);
  const once = (type: string) => (recorded(referral, type) ? refuse('already_recorded', `${words(type)} is already recorded on this referral`) : null);
  const decision = recorded(referral, 'decision');
  switch (event.type) {
    case 'referrer_contacted':
      return once('referrer_contacted');
    case 'attending':
      // A second `attending` before the assessment is a new estimate; after it has started the AMHP is there.
      return atOrAfter(stage, 'assessing') ? refuse('assessment_started', 'the assessment has started: the AMHP is already there') : null;
    case 'doctor_requested':
    case 'doctor_arrived': {
      if (decision) return refuse('already_decided', `the decision is recorded: a doctor ${event.type === 'doctor_requested' ? 'requested' : 'arriving'} now belongs on a new referral`);
      const same = sinceAccept(referral.timeline).filter((entry) => entry.role === event.role && (entry.type === 'doctor_requested' || entry.type === 'doctor_arrived'));
      const last = same.at(-1);
      if (event.type === 'doctor_arrived' && same.some((entry) => entry.type === 'doctor_arrived')) return refuse('already_arrived', `the ${doctorWords[event.role]} has already arrived`);
      if (event.type === 'doctor_requested' && last?.type === 'doctor_requested') return refuse('already_requested', `the ${doctorWords[event.role]} has already been requested`);
      if (event.type === 'doctor_requested' && last?.type === 'doctor_arrived') return refuse('already_arrived', `the ${doctorWords[event.role]} has already arrived`);
      return null;
    }
    case 'assessment_started':
      return once('assessment_started');
    case 'decision':
      // MHA 1983 s13(2): before applying, the AMHP must interview the patient in a suitable manner;
      // every outcome here is the end of that assessment, so none comes before it has started.
      if (!recorded(referral, 'assessment_started')) return refuse('assessment_not_started', 'record that the assessment started first: the decision follows the interview (MHA 1983 s13(2))');
      return once('decision') ?? (event.outcome === 'application_s3' ? s3ObjectionRefusal(referral.timeline, event.dangerReport === true) : null);
    case 'bed_requested':
      if (!decision || !admissionOutcomes.includes(decision.outcome as DecisionOutcome)) return refuse('no_admission_decided', 'a bed is requested after a decision to apply for admission (or an informal admission)');
      return once('bed_requested');
    case 'bed_identified':
      if (!recorded(referral, 'bed_requested')) return refuse('bed_not_requested', 'record the bed request first');
      return once('bed_identified');
    case 'conveyance_requested':
      // MHA 1983 s11(2): the application is addressed to the managers of the hospital: the person is conveyed to a bed already found.
      if (!recorded(referral, 'bed_identified')) return refuse('no_bed', 'a bed must be identified before the conveyance is requested: the application is addressed to that hospital (MHA 1983 s11(2))');
      return once('conveyance_requested');
    case 'conveyed':
      if (!recorded(referral, 'conveyance_requested')) return refuse('conveyance_not_requested', 'record the conveyance request first');
      return once('conveyed');
    case 'handed_over':
      return once('handed_over');
  }
}

export const doctorWords: Record<(typeof doctorRoles)[number], string> = {
  s12: 's12-approved doctor',
  second: 'second doctor',
  responsible_clinician: 'responsible clinician',
};

function detail(event: AssessmentEvent): Record<string, unknown> {
  const { type: _type, at: _at, ...fields } = event;
  return fields;
}

/**
 * Assessment events come after the accept, from the AMHP who accepted or a manager of the team,
 * dated neither before the accept nor before the last one recorded.
 */
function applyAssessment(referral: EventReferral, event: AssessmentEvent, context: EventContext): EventResult {
  const notYet = afterAccept(referral, event.at);
  if (notYet) return notYet;
  const last = sinceAccept(referral.timeline).findLast((entry) => (assessmentEventTypes as readonly string[]).includes(entry.type) && typeof entry.eventAt === 'string');
  if (last && ms(event.at) < ms(last.eventAt as string)) {
    return refuse('before_earlier_event', `${words(last.type)} was recorded as happening at ${String(last.eventAt)}: this event cannot be dated before it`);
  }
  const refusal = orderRefusal(referral, event);
  if (refusal) return refusal;
  return {
    ok: true,
    legal: referral.legal,
    clocks: [...referral.clocks],
    timeline: [{ at: context.now.toISOString(), type: event.type, eventAt: event.at, by: context.by, ...detail(event) }],
    armed: [],
  };
}

export const assessmentEvents: EventGroup<AssessmentEvent> = {
  name: 'assessment',
  types: assessmentEventTypes,
  schema: assessmentEventSchema,
  mayRecord: (_type, recorder) => recorder === 'accepting_amhp' || recorder === 'manager',
  apply: applyAssessment,
};
