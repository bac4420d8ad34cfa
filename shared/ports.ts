/**
 * What the application needs from the outside world, named for the domain. The DynamoDB, SQS
 * and SMS adapters in shared/adapters implement these, for AWS and the local runtime alike.
 */
import type { ReferralSubmission } from './domain/referral-schema.ts';
import type {
  EscalationChain,
  EscalationState,
  ReferralStatus,
  Shift,
  Staff,
  StatutoryClock,
  Team,
  TimelineEntry,
} from './domain/types.ts';

/** Work that must happen after a state change is stored; kept on the referral until done. */
export type PendingEffect =
  | { kind: 'queue-referral' }
  | { kind: 'timer'; pageSeq: number; dueAt: string }
  | { kind: 'page'; staffId: string; pageSeq: number; to: string; text: string; linkId: string; linkExpiresAt: string }
  | { kind: 'sms'; to: string; text: string; purpose: SmsPurpose }
  | { kind: 'close-pages'; staffIds: string[] };

export type SmsPurpose = 'referrer-accepted' | 'fallback-alert' | 'reply';

export interface Referral {
  id: string;
  reference: string;
  status: ReferralStatus;
  channel: 'web' | 'phone';
  createdAt: string;
  /** The signed-in user who submitted it. */
  createdBy: string;
  submission: ReferralSubmission;
  district: string;
  clocks: StatutoryClock[];
  teamId?: string;
  chain?: EscalationChain;
  escalation?: EscalationState;
  assignedTo?: string;
  timeline: TimelineEntry[];
  /** Effects not yet carried out, keyed by a unique id. */
  outbox: Record<string, PendingEffect>;
  /** Incremented by every write; writes are conditional on it. */
  version: number;
}

export interface IdempotencyClaim {
  referralId: string;
  fingerprint: string;
}

export interface AcceptLink {
  id: string;
  referralId: string;
  staffId: string;
  expiresAt: string;
}

export interface ReferralStore {
  /** Claims an Idempotency-Key for a user; returns the earlier claim when the key was used before. */
  claimIdempotencyKey(userId: string, key: string, claim: IdempotencyClaim): Promise<IdempotencyClaim | null>;
  /** Stores a new referral; does nothing if one with its id exists. */
  create(referral: Referral): Promise<void>;
  get(id: string): Promise<Referral | null>;
  /** Writes the referral if its stored version is `referral.version - 1`; false on a conflict. */
  replace(referral: Referral): Promise<boolean>;
  /** Removes a done effect from the outbox; false if it was already gone. */
  completeEffect(id: string, effectId: string): Promise<boolean>;
  /** Notes that a staff member was paged for a referral, so a bare `1` by SMS can find it. */
  indexPage(staffId: string, referralId: string, at: string): Promise<void>;
  unindexPage(staffId: string, referralId: string): Promise<void>;
  /** Referrals this staff member was paged for and that are not yet closed for them, newest first. */
  pagedReferralIds(staffId: string): Promise<string[]>;
  saveAcceptLink(link: AcceptLink): Promise<void>;
  /** Marks a link used; returns it only the first time. */
  useAcceptLink(id: string, now: Date): Promise<AcceptLink | 'used' | 'expired' | null>;
  getAcceptLink(id: string): Promise<AcceptLink | null>;
}

export interface DirectoryStore {
  putTeam(team: Team): Promise<void>;
  getTeam(id: string): Promise<Team | null>;
  teamForDistrict(district: string): Promise<Team | null>;
  putStaff(staff: Staff): Promise<void>;
  getStaff(id: string): Promise<Staff | null>;
  staffByPhone(phone: string): Promise<Staff | null>;
  replaceRota(teamId: string, shifts: Shift[]): Promise<void>;
  /** Shifts of a team that cover the instant. */
  shiftsAt(teamId: string, at: Date): Promise<Shift[]>;
}

export interface ReferralQueue {
  enqueue(referralId: string): Promise<void>;
}

export interface EscalationTimerMessage {
  referralId: string;
  pageSeq: number;
  dueAt: string;
}

export interface TimerQueue {
  /** Delivers the message at `dueAt` (SQS caps a delay at 900 s; the escalator re-delays). */
  schedule(message: EscalationTimerMessage, now: Date): Promise<void>;
}

export interface SmsSender {
  send(to: string, text: string): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export interface Dependencies {
  referrals: ReferralStore;
  directory: DirectoryStore;
  referralQueue: ReferralQueue;
  timers: TimerQueue;
  sms: SmsSender;
  /** Signs and checks accept-link tokens. */
  linkSigner: LinkSigner;
  clock: Clock;
  log: Log;
  publicBaseUrl: string;
}

/** Structured log lines; callers pass ids and codes only, never personal data. */
export interface Log {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export interface LinkSigner {
  sign(linkId: string): Promise<string>;
  /** Returns the link id when the token's signature is good. */
  verify(token: string): Promise<string | null>;
}
