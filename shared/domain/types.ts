/** The nouns of dutyline. Pure data: every rule that works on them lives beside them in shared/domain. */

export type Position = 'primary' | 'secondary' | 'manager';
export const positions: readonly Position[] = ['primary', 'secondary', 'manager'];

export type ContinuityPolicy = 'prefer' | 'avoid' | 'ignore';

export interface EscalationPolicy {
  /** How long a page waits for an answer before the next step is paged. */
  ackTimeoutSeconds: number;
  /** How many more times the whole chain is walked after the first pass. */
  repeat: number;
}

export interface Team {
  id: string;
  name: string;
  /** Postcode districts the team covers, e.g. `LS1`, `SW1A`. */
  areas: string[];
  hours?: Record<string, unknown>;
  escalation: EscalationPolicy;
  continuity: ContinuityPolicy;
  /** E.164 number alerted when the chain is exhausted. */
  fallbackPhone?: string;
}

export type StaffRole = 'amhp' | 'manager';

export interface Staff {
  id: string;
  name: string;
  /** E.164 UK mobile. */
  phone: string;
  teamIds: string[];
  roles: StaffRole[];
}

export interface Shift {
  id: string;
  teamId: string;
  staffId: string;
  position: Position;
  /** ISO 8601 UTC instants; `start` inclusive, `end` exclusive. */
  start: string;
  end: string;
}

/** Who holds each position at one instant; a missing key means nobody does. */
export type OnCall = Partial<Record<Position, string>>;

/** One step of the chain: a position and who held it when the referral was routed. */
export interface ChainStep {
  position: Position;
  /** `null` when nobody held the position at routing time: the step is skipped at once. */
  staffId: string | null;
}

export interface EscalationChain {
  steps: ChainStep[];
  ackTimeoutSeconds: number;
  repeat: number;
  /** Told when the chain is exhausted, with the fallback phone. */
  managerStaffId: string | null;
  fallbackPhone: string | null;
}

export interface PageRecord {
  staffId: string;
  position: Position;
  pageSeq: number;
  round: number;
  at: string;
}

export interface EscalationState {
  /** `exhausted`: every round is spent and the fallback was alerted; a late accept still counts. */
  status: 'paging' | 'accepted' | 'exhausted';
  round: number;
  step: number;
  /** Increments with every page; a timer for an older page is stale and does nothing. */
  pageSeq: number;
  pages: PageRecord[];
  declinedBy: string[];
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
  | 'no_one_on_duty'
  | 'paged'
  | 'page_failed'
  | 'ack_timeout'
  | 'declined'
  | 'skipped'
  | 'accepted'
  | 'chain_exhausted'
  | 'fallback_alerted'
  | 'referrer_notified'
  | 'viewed';

export type EscalationAction =
  | { kind: 'page'; staffId: string; position: Position; pageSeq: number; round: number }
  | { kind: 'start-timer'; pageSeq: number; dueAt: string }
  | { kind: 'alert-fallback'; managerStaffId: string | null; fallbackPhone: string | null }
  | { kind: 'notify-referrer-accepted'; staffId: string };

export interface EscalationDecision {
  state: EscalationState;
  actions: EscalationAction[];
  timeline: TimelineEntry[];
}

export type StatutoryClockKind = 's136' | 's135' | 's5_2' | 's5_4';

export interface StatutoryClock {
  kind: StatutoryClockKind;
  startedAt: string;
  expiresAt: string;
}

export type ReferralStatus = 'received' | 'paging' | 'accepted' | 'exhausted' | 'unrouted';

/** Legal framework the subject is held under now; `s135_1`/`s135_2` are s135(1) and s135(2). */
export const legalStatuses = ['none', 's136', 's135_1', 's135_2', 's5_2', 's5_4', 's2', 's3', 'other'] as const;
export type LegalStatus = (typeof legalStatuses)[number];

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
