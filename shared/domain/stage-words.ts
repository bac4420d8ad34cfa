/**
 * The words for a referral's stage and the events after the accept, in one place: the AMHP's
 * home page, the SMS replies, the referrer's status page, the audit trail and the refusals all
 * read them from here, so that they cannot drift apart. No word here names or describes the person.
 */
import { londonHourMinute } from './london-time.ts';
import type { DecisionOutcome, DoctorRole } from './referral-events/assessment.ts';
import type { DelayReason } from './referral-events/delays.ts';
import type { RelativeAction, RelativeRole } from './referral-events/relatives.ts';
import { expectedArrival, type Stage, type StageNow } from './stage.ts';
import type { TimelineEntry } from './types.ts';

/** The stage as a short label, for the team's pages. */
export const stageLabel: Record<Stage, string> = {
  not_accepted: 'Not accepted yet',
  accepted: 'Accepted',
  referrer_contacted: 'Referrer called back',
  attending: 'On the way',
  assessment_started: 'Assessing',
  decision: 'Decided',
  bed_requested: 'Finding a bed',
  bed_identified: 'Bed found',
  conveyance_requested: 'Waiting for conveyance',
  conveyed: 'Conveyed to hospital',
  admitted: 'Admitted',
  released: 'Released',
  handed_over: 'Handed over',
  closed: 'Closed',
};

export const doctorRoleText: Record<DoctorRole, string> = { s12: 's12 doctor', second: 'second doctor', responsible_clinician: 'responsible clinician' };

export const outcomeText: Record<DecisionOutcome, string> = {
  application_s2: 'Application under section 2',
  application_s3: 'Application under section 3',
  application_s4: 'Application under section 4',
  informal_admission: 'Informal admission',
  community_plan: 'Plan in the community',
  no_further_action: 'No further action',
};

export const delayReasonText: Record<DelayReason, string> = {
  s12_doctor: 'An s12 doctor',
  second_doctor: 'A second doctor',
  bed: 'A bed',
  ambulance: 'An ambulance',
  police: 'The police',
  interpreter: 'An interpreter',
  person_not_fit: 'The person to be fit for assessment',
  other: 'Something else',
};

export const conveyorText: Record<'ambulance' | 'police' | 'other', string> = { ambulance: 'ambulance', police: 'police', other: 'other transport' };

export const relativeRoleText: Record<RelativeRole, string> = { nearest_relative: 'Nearest relative', nominated_person: 'Nominated person' };
export const relativeActionText: Record<RelativeAction, string> = {
  informed: 'informed',
  consulted: 'consulted',
  objected: 'objected',
  not_practicable: 'not practicable to consult',
};

/** What an event entry says, in a few words: the texted confirmation and the audit trail. */
export function eventText(entry: Pick<TimelineEntry, 'type'> & Record<string, unknown>): string | null {
  const role = (value: unknown) => doctorRoleText[value as DoctorRole] ?? String(value);
  switch (entry.type) {
    case 'referrer_contacted':
      return 'Referrer called back';
    case 'attending':
      return typeof entry.etaMinutes === 'number' ? `AMHP on the way (about ${entry.etaMinutes} min)` : 'AMHP on the way';
    case 'doctor_requested':
      return `${capital(role(entry.role))} asked for`;
    case 'doctor_arrived':
      return `${capital(role(entry.role))} arrived`;
    case 'assessment_started':
      return 'Assessment started';
    case 'decision':
      return `Decision: ${(outcomeText[entry.outcome as DecisionOutcome] ?? String(entry.outcome)).toLowerCase()}${entry.dangerReport ? ' (with the s11(4C) report)' : ''}`;
    case 'bed_requested':
      return 'Bed asked for';
    case 'bed_identified':
      return 'Bed found';
    case 'conveyance_requested':
      return `Conveyance asked for (${conveyorText[entry.by as 'ambulance'] ?? String(entry.by)})`;
    case 'conveyed':
      return 'Conveyed to hospital';
    case 'handed_over':
      return entry.to === 'team' ? `Handed over to team ${String(entry.teamId)}` : 'Handed over to the day service';
    case 'delay_started':
      return `Waiting for ${(delayReasonText[entry.reason as DelayReason] ?? String(entry.reason)).toLowerCase()}`;
    case 'delay_ended':
      return `No longer waiting for ${(delayReasonText[entry.reason as DelayReason] ?? String(entry.reason)).toLowerCase()}`;
    case 'relative_consulted':
      return `${relativeRoleText[entry.role as RelativeRole] ?? String(entry.role)} ${relativeActionText[entry.action as RelativeAction] ?? String(entry.action)}`;
    default:
      return null;
  }
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The referrer's sentence for the stage, in plain words (London time), or null where the status
 * line says it already (not yet accepted, accepted, closed). The decision itself is the team's to tell.
 */
export function referrerStageSentence(now: StageNow, timeline: readonly TimelineEntry[]): string | null {
  switch (now.stage) {
    case 'not_accepted':
    case 'accepted':
    case 'closed':
      return null;
    case 'referrer_contacted':
      return 'The AMHP has called you back and is arranging the assessment.';
    case 'attending': {
      const expected = expectedArrival(timeline);
      return expected ? `The AMHP is on the way, expected about ${londonHourMinute(expected)}.` : 'The AMHP is on the way.';
    }
    case 'assessment_started':
      return 'The assessment has started.';
    case 'decision':
      return 'The assessment has finished. The AMHP will tell you what happens next.';
    case 'bed_requested':
      return 'A hospital bed is being found.';
    case 'bed_identified':
      return 'A hospital bed has been found.';
    case 'conveyance_requested':
      return now.entry?.by === 'ambulance' ? 'An ambulance has been asked for to take the person to hospital.' : 'Transport to hospital has been asked for.';
    case 'conveyed':
      return 'The person has been taken to hospital.';
    case 'admitted':
      return 'The person has been admitted to hospital.';
    case 'released':
      return 'The person has been released.';
    case 'handed_over':
      return 'The emergency duty team has handed the referral over to the day service.';
  }
}

/** The AMHP's button for a next step (shared/domain/next-steps.ts), saying what they have done. */
export function stepButtonText(body: { type: string } & Record<string, unknown>): string {
  const role = doctorRoleText[body.role as DoctorRole] ?? String(body.role);
  switch (body.type) {
    case 'referrer_contacted':
      return 'I have called the referrer';
    case 'attending':
      return 'I am on my way';
    case 'doctor_requested':
      return `${capital(role)} asked for`;
    case 'doctor_arrived':
      return `${capital(role)} has arrived`;
    case 'assessment_started':
      return 'Assessment started';
    case 'decision':
      return 'Record the decision';
    case 'bed_requested':
      return 'Bed asked for';
    case 'bed_identified':
      return 'Bed found';
    case 'conveyance_requested':
      return 'Conveyance asked for';
    case 'conveyed':
      return 'Person conveyed';
    case 'admitted':
      return `Admitted under section ${String(body.section).slice(1)}`;
    case 'delay_started':
      return 'Start the delay';
    case 'delay_ended':
      return 'No longer waiting';
    default:
      return body.type.replaceAll('_', ' ');
  }
}
