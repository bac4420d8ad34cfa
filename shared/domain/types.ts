/** The nouns of dutyline. Pure data: every rule that works on them lives beside them in shared/domain. */
import type { Mha2025Settings } from './mha-2025.ts';

/** `additional`: an extra AMHP on duty beside the primary and secondary; several may hold it at once. */
export type Position = 'primary' | 'secondary' | 'manager' | 'additional';
export const positions: readonly Position[] = ['primary', 'secondary', 'manager', 'additional'];

export type ContinuityPolicy = 'prefer' | 'avoid' | 'ignore';

export interface EscalationPolicy {
  /** How long a page waits for an answer before the next step is paged (a step may set its own). */
  ackTimeoutSeconds: number;
  /** How many more times the whole chain is walked after the first pass. */
  repeat: number;
  /**
   * The team's own order of steps. Absent: primary, secondary (and additional AMHPs), then the
   * manager, as matching.ts orders them.
   */
  steps?: EscalationPolicyStep[];
  /** A page with no answer is sent once more to the same person before the chain moves on. */
  repageOnce?: boolean;
  /**
   * Seconds after a page that a voice call follows it, if it is still unanswered (`null`: never;
   * absent: shared/domain/voice.ts's default). No call when it is not less than the step's wait.
   */
  callAfterSeconds?: number | null;
}

/**
 * One step of a team's escalation policy: whoever holds a rota position when the referral is
 * routed, one named person whatever the rota says, or the team's fallback phone (texted, then
 * the chain moves on after the step's delay). `delaySeconds` overrides `ackTimeoutSeconds`.
 */
export type EscalationPolicyStep = ({ position: Position } | { staffId: string } | { fallbackPhone: true }) & { delaySeconds?: number };

/** What a chain step pages: a rota position's holder, a person the policy names, or the fallback phone. */
export type StepPosition = Position | 'named' | 'fallback_phone';

export interface Team {
  id: string;
  name: string;
  /** Postcode districts the team covers, e.g. `LS1`, `SW1A`. */
  areas: string[];
  /** When the daytime office is open; absent means the usual weekday office hours (service-hours.ts). */
  hours?: ServiceHours;
  /** Positions the rota must fill through every out-of-hours instant; absent means primary, secondary and manager. */
  requiredPositions?: Position[];
  escalation: EscalationPolicy;
  continuity: ContinuityPolicy;
  /** E.164 number alerted when the chain is exhausted. */
  fallbackPhone?: string;
  /** E.164 number the referrers of this team's referrals are told to call (else the service's). */
  contactPhone?: string;
  /** The team's own overrun times (shared/domain/overruns.ts); absent: the defaults. */
  overruns?: { bedMinutes?: number; conveyanceMinutes?: number };
  /** Told, besides the manager, when no bed is found in time. */
  bedManagerPhone?: string;
  /** When the rota's people are texted before their shifts (shared/domain/shift-notices.ts); absent: 1 h before, no evening notice. */
  shiftNotices?: ShiftNoticeSettings;
  /** The morning handover to the day service (shared/domain/handover.ts); absent: the team's fallback phone is texted the list, 30 min to mark it. */
  handover?: { dayServicePhone?: string; dayServiceName?: string; ackMinutes?: number };
}

/** A team's shift notices: `minutesBefore` a shift starts, and optionally at a London time the evening before. */
export interface ShiftNoticeSettings {
  /** Absent: 60. */
  minutesBefore?: number;
  /** `HH:MM` London time on the day before the shift starts; absent or null: no evening notice. */
  eveningBefore?: string | null;
}

export type StaffRole = 'amhp' | 'manager';

export interface Staff {
  id: string;
  name: string;
  /** E.164 UK mobile. */
  phone: string;
  teamIds: string[];
  roles: StaffRole[];
  /** Has worked with children's services: preferred for a person under 18 among equally placed AMHPs. */
  childrenServicesExperience?: boolean;
  /** The number proven by a code, and when; the phone is verified only while it is still `phone`. */
  phoneVerification?: { phone: string; at: string };
  /** The person's own choice of when an unanswered page rings their phone (`null`: never); absent: the team's. */
  callAfterSeconds?: number | null;
  /** `false`: the person turned their shift notices off (NOTICES OFF by SMS, or their staff record); absent: on. */
  shiftNotices?: boolean;
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/**
 * A team's daytime office hours in Europe/London local time, e.g. `{ mon: "08:45-17:00" }`. Every
 * instant outside them is out of hours, when the EDT rota must be covered; a day not listed is
 * out of hours all day.
 */
export interface ServiceHours {
  office: Partial<Record<Weekday, string>>;
  /** England and Wales bank holidays are out of hours all day (true unless set otherwise). */
  bankHolidaysOutOfHours: boolean;
}

/** Service-wide settings, one per deployment. */
export interface ServiceSettings {
  /** Takes referrals from postcode districts no team lists; they are flagged on the referral. */
  defaultTeamId?: string;
  /**
   * E.164 UK mobile texted at once whenever a referral would otherwise reach nobody: no team for
   * its area, nobody on duty to page and no team contact, the chain run out with no team contact.
   */
  fallbackPhone?: string;
  /** E.164 number referrers are told to call when their team has none of its own. */
  contactPhone?: string;
  /** Commencement dates of the Mental Health Act 2025's changes (shared/domain/mha-2025.ts). */
  settings?: Mha2025Settings;
}

/**
 * `base`: the planned rota. `override` (cover for sickness, an extra AMHP) and `swap` (two people
 * trading shifts) win over the base rota for their window, in their position.
 */
export type ShiftKind = 'base' | 'override' | 'swap';

export interface Shift {
  id: string;
  teamId: string;
  staffId: string;
  position: Position;
  /** ISO 8601 UTC instants; `start` inclusive, `end` exclusive. */
  start: string;
  end: string;
  /** Absent means `base`. */
  kind?: ShiftKind;
  /** For an override or swap: whom it replaces (needed for `additional`, where several hold the position). */
  covers?: string;
}

/** Who holds each position at one instant; a missing key means nobody does. */
export type OnCall = Partial<Record<Position, string>>;

/** One step of the chain: a position and who held it when the referral was routed. */
export interface ChainStep {
  position: StepPosition;
  /** `null` when nobody held the position at routing time (skipped at once), and for the fallback phone. */
  staffId: string | null;
  /** The policy's delay for this step; absent means the chain's `ackTimeoutSeconds`. */
  delaySeconds?: number;
}

/** Why a step holds whom: its position, the team's continuity policy, fair rotation, or nobody free. */
export type ChainStepReason =
  | 'position'
  | 'continuity_preferred'
  | 'continuity_avoided'
  | 'rotation'
  /** Under 18: an AMHP with children's services experience put first among equally placed candidates. */
  | 'children_services_preferred'
  | 'all_busy'
  | 'no_one_on_duty'
  /** The team's policy names this person. */
  | 'named'
  | 'fallback_phone';

/** Someone on duty who is left out of the chain. */
export interface ChainSkip {
  position: StepPosition;
  staffId: string;
  /** `unknown_staff`, `not_in_team`: a person the policy names is gone from the directory or the team. */
  reason: 'conflict' | 'busy' | 'already_in_chain' | 'unknown_staff' | 'not_in_team';
}

export interface EscalationChain {
  steps: ChainStep[];
  /** Index for index with `steps`; absent on chains built without matching. */
  reasons?: ChainStepReason[];
  skipped?: ChainSkip[];
  ackTimeoutSeconds: number;
  repeat: number;
  /** Page a person once more when a page goes unanswered, before moving on (absent: never). */
  repageOnce?: boolean;
  /** The team's voice-call delay when the chain was built (absent: the default of shared/domain/voice.ts). */
  callAfterSeconds?: number | null;
  /** Told when the chain is exhausted, with the fallback phone. */
  managerStaffId: string | null;
  fallbackPhone: string | null;
}

export interface PageRecord {
  staffId: string;
  position: StepPosition;
  pageSeq: number;
  round: number;
  at: string;
  /** The second page to the same person for the same step (the policy's `repageOnce`). */
  repage?: true;
}

export interface EscalationState {
  /** `exhausted`: every round is spent and the fallback was alerted; a late accept still counts. */
  status: 'paging' | 'accepted' | 'exhausted';
  round: number;
  step: number;
  /**
   * Increments with every page and every fallback-phone step (each starts a timer); a timer for
   * an older one is stale and does nothing.
   */
  pageSeq: number;
  pages: PageRecord[];
  declinedBy: string[];
  /** Decliners who declared a conflict of interest: skipped for it, never paged for it again. */
  conflicted?: string[];
  acceptedBy?: string;
  acceptedAt?: string;
}

/** One entry of a referral's append-only timeline. Never carries personal data of the subject. */
export interface TimelineEntry {
  at: string;
  type: TimelineType;
  [detail: string]: unknown;
}

export type TimelineType =
  | 'received'
  | 'routed'
  | 'no_team_for_area'
  | 'routed_to_default_team'
  | 'conflict_declared'
  | 'no_one_on_duty'
  | 'paged'
  | 'page_failed'
  | 'ack_timeout'
  | 'declined'
  | 'skipped'
  | 'accepted'
  | 'chain_exhausted'
  | 'fallback_alerted'
  /** A fallback-phone step of the team's policy texted the fallback phone; the chain goes on after its delay. */
  | 'fallback_phone_alerted'
  | 'referrer_notified'
  /** A page still in the outbox was not sent: someone had accepted, it was closed, or the chain had moved on. */
  | 'page_withdrawn'
  /** An unanswered page was followed by a voice call to the same phone (`pageSeq`, `staffId`; never the number). */
  | 'voice_call'
  /** The voice call could not be placed (`reason`); the chain goes on regardless. */
  | 'voice_call_failed'
  /**
   * A page went to a phone that is not verified (`staffId`): it was still tried, and the manager on
   * duty, else the team's fallback, was texted (`told`: `manager`, `fallback` or `nobody`). Once per person.
   */
  | 'unverified_phone_paged'
  /** Those paged (or alerted) were told that another AMHP accepted: nothing more is needed of them. */
  | 'stood_down'
  /** An effect failed past its attempts (or was refused for good) and was given up; a person was texted instead. */
  | 'effect_set_aside'
  | 'viewed'
  | 'clock_warning'
  | 'clock_extended'
  /** A statutory clock started, from the event the Act names (`startEvent`); `readFrom: 'detentionStart'` for a v1 body. */
  | 'clock_started'
  /** A statutory clock had already run out when it was recorded (e.g. an s136 that began days before the referral). */
  | 'clock_expired'
  /** A statutory clock ended (admission, release, a change of status): no warnings after this. */
  | 'clock_ended'
  /** Legal events (shared/domain/referral-events/legal.ts), each with who reported it (`by`) and when it happened (`eventAt`). */
  | 'arrived_at_place_of_safety'
  | 'transferred'
  | 'status_changed'
  | 'admitted'
  | 'released'
  /**
   * Assessment, delays and relatives events (shared/domain/referral-events/assessment.ts, delays.ts,
   * relatives.ts), each with `by` and `eventAt`; the stage follows from them (shared/domain/stage.ts).
   */
  | 'referrer_contacted'
  | 'attending'
  | 'doctor_requested'
  | 'doctor_arrived'
  | 'assessment_started'
  | 'decision'
  | 'bed_requested'
  | 'bed_identified'
  | 'conveyance_requested'
  | 'conveyed'
  | 'handed_over'
  | 'delay_started'
  | 'delay_ended'
  | 'relative_consulted'
  /** A task with a statutory deadline was set (e.g. the AMHP's written agreement to a CTO revocation, s17F(4)). */
  | 'task_set'
  /** The outcome was recorded (shared/domain/outcomes.ts): the referral left the board. */
  | 'closed'
  /**
   * A reader found the person's details removed under the retention policy (`expiredAt`: when
   * they went). Recorded once, by whoever noticed first; the rest of the referral is kept.
   */
  | 'details_removed'
  /** The routed team had nobody on duty to page: its manager, fallback or the service fallback is told. */
  | 'nobody_to_page'
  /** The service fallback phone was texted (`reason`: why no team contact could be). */
  | 'service_fallback_alerted'
  /** Nobody could be told: no team contact and no service fallback is set (`reason`). */
  | 'nobody_told'
  /** A manager or admin asked for an unrouted referral to be routed again. */
  | 'routed_again'

  /** A stage overran (`overrun`, `dueAt`): the manager on duty (and the bed manager, for beds) was texted. */
  | 'overrun_alerted'
  /**
   * Put on the morning handover list when the team's out-of-hours period ended (`periodStart`,
   * `periodEnd`), to be marked received (`handed_over`) by `ackBy`, escalated at `escalateBy`.
   */
  | 'handover_listed'

  /** The reconciler found a timer (or the routing) overdue and armed it again (shared/domain/next-action.ts). */
  | 'timers_rearmed';

export type EscalationAction =
  | { kind: 'page'; staffId: string; position: StepPosition; pageSeq: number; round: number; repage?: true }
  | { kind: 'start-timer'; pageSeq: number; dueAt: string }
  /** `nobodyPaged`: the chain ran out without anyone having been paged or texted (nobody on duty). */
  | { kind: 'alert-fallback'; managerStaffId: string | null; fallbackPhone: string | null; nobodyPaged?: true }
  /** A fallback-phone step: text the team's fallback phone that the referral is not yet accepted. */
  | { kind: 'alert-fallback-phone'; fallbackPhone: string }
  | { kind: 'notify-referrer-accepted'; staffId: string }
  /** The referral was handed over (to the day service, or a team) before anyone accepted: whoever holds a page is stood down. */
  | { kind: 'stand-down-handed-over'; to: 'day_service' | 'team' };

export interface EscalationDecision {
  state: EscalationState;
  actions: EscalationAction[];
  timeline: TimelineEntry[];
}

/**
 * `s135` is the s135(1) assessment period; `s135_2` a person removed to a place of safety under an
 * s135(2) warrant (s135(3)), which s136B cannot extend; `cto_recall` the 72 h after recall (s17F(8)).
 */
export type StatutoryClockKind = 's136' | 's135' | 's135_2' | 's5_2' | 's5_4' | 's4' | 's2' | 'cto_recall';

/** The event the Act runs a clock from; `detention_start` is v1's one field, read as that event. */
export const clockStartEvents = [
  'arrived_at_place_of_safety',
  'kept_at_place_of_safety',
  'report_furnished',
  's5_4_record_made',
  'record_made',
  'admitted',
  'detained_after_recall',
  'detention_start',
] as const;
export type ClockStartEvent = (typeof clockStartEvents)[number];

export type ClockEndReason = 'admitted' | 'released' | 'status_changed';

export interface StatutoryClock {
  kind: StatutoryClockKind;
  startedAt: string;
  /** Includes the s136B extension when one was recorded. */
  expiresAt: string;
  extension?: ClockExtension;
  /** Absent on clocks stored before contract v1.1 (they ran from v1's `detentionStart`). */
  startEvent?: ClockStartEvent;
  /** Set when the power ended before expiry (admission, release, another status): the clock no longer runs. */
  endedAt?: string;
  endReason?: ClockEndReason;
}

/** How a clock stands: `pending` until its event happens; `expired` once its time has passed unended. */
export const clockStates = ['pending', 'running', 'extended', 'ended', 'expired'] as const;
export type ClockState = (typeof clockStates)[number];

/** An s136B extension, authorised by the doctor responsible for the examination. */
export interface ClockExtension {
  hours: number;
  doctorName: string;
  reason: 'person_condition';
  recordedAt: string;
  recordedBy: string;
  /** At a police station, the officer of superintendent rank or above who approved it (s136B(3)). */
  superintendentName?: string;
}

/** `closed`: the outcome is recorded (shared/domain/outcomes.ts); nothing more happens to it. */
export type ReferralStatus = 'received' | 'paging' | 'accepted' | 'exhausted' | 'unrouted' | 'closed';

/** Legal framework the subject is held under now; `s135_1`/`s135_2` are s135(1) and s135(2). */
export const legalStatuses = ['none', 's136', 's135_1', 's135_2', 's5_2', 's5_4', 's2', 's3', 'other', 's4', 'cto_recall'] as const;
export type LegalStatus = (typeof legalStatuses)[number];

/** Kinds of place of safety (s135(6)); a police station is limited by s136A and the 2017 Regulations. */
export const placeOfSafetyKinds = ['health_based', 'emergency_department', 'police_station', 'other'] as const;
export type PlaceOfSafetyKind = (typeof placeOfSafetyKinds)[number];

export const urgencies = ['immediate', 'within_4_hours', 'within_24_hours'] as const;
export type Urgency = (typeof urgencies)[number];

export const referrerKinds = [
  'gp',
  'police',
  'ambulance',
  'emergency_department',
  'crisis_team',
  'nearest_relative',
  'other_professional',
] as const;
export type ReferrerKind = (typeof referrerKinds)[number];

export const locationKinds = [
  'home',
  'police_station',
  'place_of_safety',
  'emergency_department',
  'hospital_ward',
  'public_place',
  'other',
] as const;
export type LocationKind = (typeof locationKinds)[number];

/** One problem with submitted input: a dot-joined path (`subject.nhsNumber`, `risks.0`) and plain English. */
export interface ValidationIssue {
  path: string;
  message: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };
