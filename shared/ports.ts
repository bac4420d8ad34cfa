/**
 * What the application needs from the outside world, named for the domain. The DynamoDB, SQS
 * and SMS adapters in shared/adapters implement these, for AWS and the local runtime alike.
 */
import type { OverrunKind } from './domain/overruns.ts';
import type { PhoneCode } from './domain/phone-verification.ts';
import type { Closure } from './domain/outcomes.ts';
import type { ReferralDetails, ReferralFacts } from './domain/referral-details.ts';
import type { RetentionPolicy, StoredDetails } from './domain/retention.ts';
import type { ReferrerProfile } from './domain/referrer-profile.ts';
import type {
  EscalationChain,
  EscalationState,
  ReferralStatus,
  ServiceSettings,
  Shift,
  Staff,
  StatutoryClock,
  StatutoryClockKind,
  Team,
  TimelineEntry,
} from './domain/types.ts';

/** Work that must happen after a state change is stored; kept on the referral until done. */
export type PendingEffect =
  | { kind: 'queue-referral' }
  /**
   * `page-failed`: the page could not be delivered (or was set aside), so the chain moves on at once.
   * `voice-call`: not the acknowledgement timer but the page's voice call, due if it is still unanswered.
   */
  | { kind: 'timer'; pageSeq: number; dueAt: string; reason?: 'page-failed' | 'voice-call' }
  | { kind: 'clock-timer'; clockKind: StatutoryClockKind; hoursBefore: number; expiresAt: string; dueAt: string }
  /** A stage's overrun (shared/domain/overruns.ts), due at `dueAt`: the manager is told if it is still overdue then. */
  | { kind: 'overrun-timer'; overrun: OverrunKind; dueAt: string }
  | { kind: 'page'; staffId: string; pageSeq: number; to: string; text: string; linkId: string; linkExpiresAt: string }
  /**
   * `clockWarning`: the text is worded again when it is sent, so the time left it gives is the
   * time left then, however long the send waited (a retry, the reconciler).
   */
  | { kind: 'sms'; to: string; text: string; purpose: SmsPurpose; clockWarning?: ClockWarningWords }
  /** A voice call to the phone of an unanswered page (`ssml`: what it says, with no personal data). */
  | { kind: 'voice-call'; staffId: string; pageSeq: number; to: string; ssml: string }
  | { kind: 'close-pages'; staffIds: string[] }
  /** The accepting AMHP now holds an open referral: routing skips them while a free AMHP is on duty. */
  | { kind: 'mark-busy'; staffId: string }
  /** The referral is closed: its AMHP holds it no longer, so routing may pick them first again. */
  | { kind: 'clear-busy'; staffId: string }
  /** The referral is closed: its details item gets the retention expiry, by which DynamoDB's TTL deletes it. */
  | { kind: 'expire-details'; at: string };

/** What a clock warning's text is made from, apart from the time it is sent (shared/domain/sms.ts). */
export interface ClockWarningWords {
  reference: string;
  clockKind: StatutoryClockKind;
  expiresAt: string;
  status: ReferralStatus;
  /** Whom this copy is for: an AMHP is told what to do, a manager the referral's state. */
  audience: 'manager' | 'amhp' | 'fallback';
}

export type SmsPurpose =
  | 'referrer-accepted'
  | 'fallback-alert'
  | 'reply'
  | 'clock-warning'
  /** To someone paged (or alerted) for a referral another AMHP has accepted: nothing more is needed of them. */
  | 'stand-down'
  /** To the manager (or fallback) when an effect was set aside after failing: a person must see to it. */
  | 'set-aside-alert'
  /** To the manager (and for beds the team's bed manager) when a stage overran (shared/domain/overruns.ts). */
  | 'overrun-alert';

/**
 * A referral without the person's details: what routing, paging, clocks, the board and statistics
 * need (`ReferralFacts`, the postcode district), its state and its append-only timeline. The
 * details (`ReferralDetails`) are kept in an item of their own, which the retention policy removes.
 */
export interface Referral extends ReferralFacts {
  id: string;
  reference: string;
  status: ReferralStatus;
  createdAt: string;
  /** The signed-in user who submitted it. */
  createdBy: string;
  district: string;
  /**
   * When the details are removed under the retention policy: a backstop from receipt until the
   * referral is closed, then the closing time plus the retention (shared/domain/retention.ts).
   */
  detailsExpireAt: string;
  clocks: StatutoryClock[];
  teamId?: string;
  chain?: EscalationChain;
  escalation?: EscalationState;
  assignedTo?: string;
  /** Staff who declared a conflict of interest for this referral: never in its chain. */
  conflicts?: string[];
  /** No team lists the district: it went to the service's default team, for a person to check. */
  unknownDistrict?: boolean;
  /** Set when the outcome is recorded and the status becomes `closed` (shared/domain/outcomes.ts). */
  closure?: Closure;
  timeline: TimelineEntry[];
  /** Effects not yet carried out, keyed by a unique id. */
  outbox: Record<string, PendingEffect>;
  /** Incremented by every write; writes are conditional on it. */
  version: number;
}

/**
 * One team's London day of statistics. `complete`: `lines` hold every referral received that day,
 * all closed; a change to one of them since (or a referral newly given to the team) bumped
 * `generation` and cleared `complete`.
 */
export interface DayRollup {
  day: string;
  generation: number;
  complete: boolean;
  lines: string[];
}

export interface IdempotencyClaim {
  referralId: string;
  fingerprint: string;
}

export interface AcceptLink {
  id: string;
  referralId: string;
  staffId: string;
  /** Until when the link works (ISO). Stored as `validUntil`: the item's `expiresAt` is its TTL, a week later. */
  expiresAt: string;
  /** When the link was used (burnt), if it was. */
  usedAt?: string;
}

/**
 * The referrals table, as the use cases need it: small ports, one adapter
 * (shared/adapters/dynamo-referral-store.ts) serving them all from the one table. Items with a
 * lifetime carry it as epoch seconds in `expiresAt`, the table's TTL attribute. TTL deletes late
 * (up to days), so every read treats an item past its `expiresAt` as gone.
 */
export interface ReferralStore extends IdempotencyKeys, ReferralStates, PersonalDetailsStore, EffectOutbox, Deliveries, PagesAndLinks, ManagerQueries {}

/** Intake's Idempotency-Key: the same key and body from the same user makes one referral. */
export interface IdempotencyKeys {
  /**
   * Claims an Idempotency-Key for a user until `keepUntil`; returns the earlier claim when the key
   * was used before (and that claim has not expired).
   */
  claimIdempotencyKey(userId: string, key: string, claim: IdempotencyClaim, keepUntil: Date): Promise<IdempotencyClaim | null>;
}

/** A referral's state, its timeline and its outbox: one item, changed by conditional writes. */
export interface ReferralStates {
  /** Stores a new referral; false (and nothing written) if one with its id exists. Its details must be stored first. */
  create(referral: Referral): Promise<boolean>;
  get(id: string): Promise<Referral | null>;
  /**
   * Writes the new state if the stored version is still `previous.version`; false on a conflict.
   * The outbox only gains the effects `referral` added (those done since `previous` was read stay
   * done), and the timeline only its new entries.
   */
  replace(referral: Referral, previous: Referral): Promise<boolean>;
  /** Referrals the user submitted, newest first (optional: only the web pages list them). */
  listByReferrer?(userId: string, limit: number): Promise<Referral[]>;
}

/** The person's details, beside the referral and removed under the retention policy. */
export interface PersonalDetailsStore {
  /** Stores the person's details beside the referral, until `expiresAt`; does nothing if they are stored already. */
  createDetails(referralId: string, details: ReferralDetails, expiresAt: Date): Promise<void>;
  /** The details, or null once removed (or past their expiry). */
  getDetails(referralId: string): Promise<StoredDetails | null>;
  /** The referral and its details in one read (a Query of the referral's partition). */
  getWithDetails(referralId: string): Promise<{ referral: Referral; details: StoredDetails | null } | null>;
  /** Sets when the details are removed; does nothing if they are gone already (never brings them back). */
  expireDetails(referralId: string, expiresAt: Date): Promise<void>;
}

/** Carrying out a write's effects: claims, tick-offs, failures, and what the reconciler looks for. */
export interface EffectOutbox {
  /**
   * Takes the sole right to carry out the effects one state write added (`group`, the prefix of
   * their ids) until `until`, so that two deliveries of the same message never both send an SMS.
   * Returns those still owed: all of them on a first claim, none while someone else holds it, and
   * after a claim lapsed or was given back, those still in the outbox.
   */
  claimEffects(id: string, group: string, effectIds: readonly string[], until: Date): Promise<string[]>;
  /** Gives back a claim after an effect failed, so that a retry need not wait for it to lapse. */
  releaseEffects(id: string, group: string, until: Date): Promise<void>;
  /** Removes done effects from the outbox; `emptiesOutbox` when the caller's copy has nothing else pending. */
  completeEffects(id: string, effectIds: readonly string[], options?: { emptiesOutbox?: boolean }): Promise<void>;
  /** Referrals whose outbox has held effects since before `olderThan`, oldest first (for the reconciler). */
  withPendingEffects(olderThan: Date, limit: number): Promise<string[]>;
  /**
   * Referrals whose next action (shared/domain/next-action.ts, recorded by every state write) was
   * due before `before`, most overdue first: a timer SQS lost, a routing never done.
   */
  withOverdueActions(before: Date, limit: number): Promise<string[]>;
  /** Moves a referral whose effects failed again to the back of that list, so it cannot starve the rest. */
  postponePending(id: string): Promise<void>;
  /**
   * Counts one failed attempt at an effect (an item of its own beside the referral, so the state
   * version is not bumped) and returns how many attempts at it have failed so far.
   */
  recordEffectFailure(referralId: string, effectId: string): Promise<number>;
}

/** Deliveries already handled (an inbound SMS by its message id), so a redelivery does nothing. */
export interface Deliveries {
  /** Whether a delivery (an inbound SMS, by its message id) was handled before. */
  wasHandled(deliveryKey: string): Promise<boolean>;
  /** Remembers that a delivery was handled, until `expiresAt`. */
  markHandled(deliveryKey: string, expiresAt: Date): Promise<void>;
}

/** Pages sent: each one's single-use accept link, and who was paged for what (for a bare `1`). */
export interface PagesAndLinks {
  unindexPage(staffId: string, referralId: string): Promise<void>;
  /** Referrals this staff member was paged for and that are not yet closed for them, newest first. */
  pagedReferralIds(staffId: string): Promise<string[]>;
  /** Referrals whose pages to this staff member were closed in the last day, newest page first: what a late `1` answers. */
  closedPageReferralIds(staffId: string): Promise<string[]>;
  /**
   * Records a page before its SMS goes: the single-use accept link, and a note that the staff
   * member was paged for the referral, so that a bare `1` by SMS can find it.
   */
  recordPage(link: AcceptLink, at: string): Promise<void>;
  /** Marks a link used; returns it only the first time. */
  useAcceptLink(id: string, now: Date): Promise<AcceptLink | 'used' | 'expired' | null>;
  getAcceptLink(id: string): Promise<AcceptLink | null>;
}

/** What the managers' board and statistics read: index Queries, never a scan. */
export interface ManagerQueries {
  /**
   * Referrals of a team not yet closed, oldest first: one Query of a sparse index. `null` for the
   * referrals no team holds yet (received and not routed, or no team covers their area).
   */
  openReferrals(teamId: string | null): Promise<Referral[]>;
  /** Referrals a team was given that were received in [from, to), oldest first: one Query (paged). */
  referralsReceivedBetween(teamId: string, from: Date, to: Date): Promise<Referral[]>;
  /**
   * The statistics' daily roll-ups of a team's London days from `fromDay` to `toDay`, both
   * included (shared/domain/statistics-rollups.ts): one Query. `lines: false` leaves the lines out
   * (each `lines` empty), for a caller that only asks which days are complete. Optional: without
   * them the statistics read every referral.
   */
  rollupsBetween?(teamId: string, fromDay: string, toDay: string, options?: { lines?: boolean }): Promise<DayRollup[]>;
  /** Stores a day's roll-up if its generation is still `generation` (null: there was none); false when it moved on. */
  putRollup?(teamId: string, day: string, lines: readonly string[], generation: number | null): Promise<boolean>;
}

export interface DirectoryStore {
  /**
   * Stores the team and claims its areas; an area another team holds is not taken (nor anything
   * else written), and comes back as `areaTaken`, with the team holding it.
   */
  putTeam(team: Team): Promise<void | { areaTaken: { area: string; teamId: string } }>;
  getTeam(id: string): Promise<Team | null>;
  /** Every team (a handful per deployment): one Query. */
  listTeams(): Promise<Team[]>;
  teamForDistrict(district: string): Promise<Team | null>;
  putStaff(staff: Staff): Promise<void>;
  getStaff(id: string): Promise<Staff | null>;
  /** The records of these staff that exist, by id: one BatchGetItem per 100. Optional: without it, one GetItem each. */
  getStaffMany?(ids: readonly string[]): Promise<Map<string, Staff>>;
  staffByPhone(phone: string): Promise<Staff | null>;
  /**
   * The team's base shifts become `shifts`; stored overrides and swaps stay (and any `shifts` lists
   * are written) except those named in `dropOverrides`.
   */
  replaceRota(teamId: string, shifts: Shift[], options?: { dropOverrides?: readonly string[] }): Promise<void>;
  /** Adds shifts (overrides, swaps) beside the rota; a shift with the same id is overwritten. */
  addShifts(teamId: string, shifts: Shift[]): Promise<void>;
  /** Shifts of a team that cover the instant: one Query. */
  shiftsAt(teamId: string, at: Date): Promise<Shift[]>;
  /** Shifts of a team that share any time with [from, to): one Query (paged when large). */
  shiftsOverlapping(teamId: string, from: Date, to: Date): Promise<Shift[]>;
  getServiceSettings(): Promise<ServiceSettings>;
  putServiceSettings(settings: ServiceSettings): Promise<void>;
  /** Notes that the staff member holds an accepted, open referral. */
  markBusy(staffId: string, referralId: string, at: Date): Promise<void>;
  /** For closing a referral (or handing it back): the staff member no longer holds it. */
  clearBusy(staffId: string, referralId: string): Promise<void>;
  /** For routing: the records of the staff on duty, and which of them are busy, in one BatchGetItem. */
  staffOnDuty(staffIds: readonly string[]): Promise<{ staff: Map<string, Staff>; busy: Set<string> }>;
  /** When each staff member was last put first among equal candidates for the team, by staff id. */
  rotationOf(teamId: string): Promise<Record<string, string>>;
  recordRotation(teamId: string, staffIds: readonly string[], at: Date): Promise<void>;
  saveRotaFeed(feed: RotaFeed): Promise<void>;
  getRotaFeed(id: string): Promise<RotaFeed | null>;
}

/** A calendar subscription to a team's rota (or one person's part of it), found by its signed token. */
export interface RotaFeed {
  id: string;
  teamId: string;
  /** Only this person's shifts; absent for the whole team. */
  staffId?: string;
  createdBy: string;
  createdAt: string;
}

export interface ReferralQueue {
  enqueue(referralId: string): Promise<void>;
}

/**
 * The acknowledgement timer of one page; `page-failed` when its SMS could not be delivered;
 * `voice-call` when the page's voice call is due (the chain does not move on for it).
 */
export interface EscalationTimerMessage {
  kind?: 'ack';
  referralId: string;
  pageSeq: number;
  dueAt: string;
  reason?: 'no-answer' | 'page-failed' | 'voice-call';
}

/** A statutory clock warning for the manager. */
export interface ClockWarningMessage {
  kind: 'clock-warning';
  referralId: string;
  clockKind: StatutoryClockKind;
  hoursBefore: number;
  expiresAt: string;
  dueAt: string;
}

/** A stage's overrun falls due (shared/domain/overruns.ts). */
export interface OverrunMessage {
  kind: 'overrun';
  referralId: string;
  overrun: OverrunKind;
  dueAt: string;
}

export type TimerMessage = EscalationTimerMessage | ClockWarningMessage | OverrunMessage;

export interface TimerQueue {
  /** Delivers the message at `dueAt` (SQS caps a delay at 900 s; the escalator re-delays). */
  schedule(message: TimerMessage, now: Date): Promise<void>;
  /** Several at once (one SendMessageBatch per ten): a state write often starts more than one. */
  scheduleAll(messages: readonly TimerMessage[], now: Date): Promise<void>;
}

export interface SmsSender {
  send(to: string, text: string): Promise<void>;
}

/** An SMS that could not be delivered, after retries where retrying made sense. No number, no text. */
export class SmsDeliveryError extends Error {
  override readonly name = 'SmsDeliveryError';
  constructor(
    readonly attempts: number,
    readonly causeName: string,
    /** The provider's reason code, when it gives one (End User Messaging's `Reason`). */
    readonly reason?: string,
  ) {
    super(`SMS not delivered after ${attempts} attempt(s): ${causeName}`);
  }

  /**
   * A refusal no retry can cure: the number is not a valid mobile number, or its owner opted out
   * (SNS: InvalidParameter(Value)Exception; End User Messaging: ValidationException, or a
   * ConflictException for an opted-out destination). Throttling, 5xx and timeouts are not.
   */
  get permanent(): boolean {
    if (/^InvalidParameter(Value)?Exception$|^ValidationException$|OptedOut/.test(this.causeName)) return true;
    return this.causeName === 'ConflictException' && /OPTED_OUT/.test(this.reason ?? '');
  }
}

/** Codes that prove a staff phone, and the proof (shared/domain/phone-verification.ts). */
export interface PhoneVerifications {
  /** Replaces any pending code of the staff member. */
  saveCode(code: PhoneCode): Promise<void>;
  getCode(staffId: string): Promise<PhoneCode | null>;
  /** Counts one try at the code sent at `sentAt`, while it has tries left: the count after, else null. */
  countAttempt(staffId: string, sentAt: string, maxAttempts: number): Promise<number | null>;
  deleteCode(staffId: string): Promise<void>;
  /** Records the proof, if the staff record still holds `phone`; false when the number has changed since. */
  markVerified(staffId: string, phone: string, at: string): Promise<boolean>;
  /** The phone is no longer proven (an inbound STOP). */
  unverify(staffId: string): Promise<void>;
}

/** A staff member's own choices about the texts they get, each one attribute of their staff record. */
export interface StaffPreferences {
  /** Turns the person's shift notices on or off (NOTICES ON / NOTICES OFF); false when there is no such staff record. */
  setShiftNotices(staffId: string, on: boolean): Promise<boolean>;
}

/** Rings a phone and speaks SSML to it (End User Messaging SMS and Voice in AWS, the call outbox locally). */
export interface VoiceCaller {
  call(to: string, ssml: string): Promise<void>;
}

/** A call that could not be placed. No number, no words. */
export class VoiceCallError extends Error {
  override readonly name = 'VoiceCallError';
  constructor(
    readonly causeName: string,
    readonly reason?: string,
  ) {
    super(`voice call not placed: ${causeName}`);
  }
}

export interface SmsQuota {
  /** Counts one message against `key` in the current window; false once `limit` is reached. */
  take(key: string, limit: number, windowSeconds: number, now: Date): Promise<boolean>;
}

export interface Clock {
  now(): Date;
}

export interface Dependencies {
  referrals: ReferralStore;
  /** Who saw a person's details: append-only entries apart from the referral's state. */
  audit: AuditTrail;
  directory: DirectoryStore;
  referralQueue: ReferralQueue;
  timers: TimerQueue;
  sms: SmsSender;
  /**
   * Voice calls after unanswered pages. Absent where the deployment has no voice channel (SNS
   * SMS, or a function whose definition does not place calls): then no call is planned.
   */
  voice?: VoiceCaller;
  /** Shared counters that keep a storm from flooding one phone and bound optional SMS spend. */
  smsQuota: SmsQuota;
  phoneVerifications: PhoneVerifications;
  staffPreferences: StaffPreferences;
  /** Signs and checks accept-link tokens. */
  linkSigner: LinkSigner;
  /** How long the person's details are kept (a deployment setting). */
  retention: RetentionPolicy;
  clock: Clock;
  log: Log;
  publicBaseUrl: string;
  /** Only the functions that serve web pages or take telephony referrals use these; absent elsewhere. */
  sessions?: SessionVerifier;
  signIn?: SignInFlow;
  integratorSecrets?: IntegratorSecrets;
  replayGuard?: ReplayGuard;
  /** Operational counters and timings (CloudWatch EMF in AWS, recorded locally). */
  metrics: Metrics;
  /** Referrers' own details, to fill in their next form: the web pages only. */
  referrerProfiles?: ReferrerProfiles;
}

/**
 * Each view of a person's details, recorded before they are shown: append-only items of their
 * own, so that a view never rewrites (or grows) the referral's state item nor bumps its version.
 */
export interface AuditTrail {
  recordView(referralId: string, entry: TimelineEntry): Promise<void>;
  /** Every view recorded for the referral, oldest first. */
  views(referralId: string): Promise<TimelineEntry[]>;
}

/** A signed-in referrer's own details, per account (shared/domain/referrer-profile.ts). */
export interface ReferrerProfiles {
  get(userId: string): Promise<ReferrerProfile | null>;
  put(userId: string, profile: ReferrerProfile): Promise<void>;
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

/**
 * Web sign-in. The web pages keep the ID token in a session cookie and check it through this port
 * (Cognito's keys in AWS, the local identity provider locally), so the pages never know which.
 * Returns the token's claims (`sub`, `cognito:groups`, `custom:staffId`, `name`, `phone_number`,
 * `exp`), or null when the token is not valid now.
 */
export interface SessionVerifier {
  verify(idToken: string): Promise<Record<string, unknown> | null>;
}

/** The OAuth 2.0 authorization code flow with PKCE: Cognito's hosted UI in AWS, a local form locally. */
export interface SignInFlow {
  /** Where the browser is sent to sign in; `state` comes back to the callback unchanged. */
  authorizeUrl(input: { state: string; codeChallenge: string; redirectUri: string }): string;
  /** Trades the code the callback received for an ID token; null when the code is refused. */
  exchangeCode(input: { code: string; codeVerifier: string; redirectUri: string }): Promise<string | null>;
  /** Where to send the browser after the session cookie is cleared, to end the provider's session too. */
  signOutUrl(returnTo: string): string | null;
  /** Origin of the sign-in pages, when they are not ours (forms may redirect there). */
  origin?: string;
}

/** Shared secrets of telephony integrators that sign webhook requests, by integrator id. */
export interface IntegratorSecrets {
  secretFor(integrator: string): Promise<string | null>;
}

/** Remembers a key until it expires; the first claim wins, any repeat is refused (a DynamoDB conditional write). */
export interface ReplayGuard {
  claim(key: string, expiresAt: Date): Promise<boolean>;
}

/**
 * Operational metrics: counts and durations with no dimensions beyond the service, so that no
 * personal data (and no unbounded id) can become a CloudWatch dimension. Per-team and per-AMHP
 * figures come from the stored timelines instead (shared/domain/response-times.ts).
 */
export const countMetrics = [
  'ReferralsReceived',
  'PagesSent',
  'Escalations',
  'ReferralsAccepted',
  'ReferralsUnacceptedPastLimit',
  'NoOneOnDuty',
  'SmsFailures',
  'ReferralsClosed',
  'CoverageGapAlerts',
  /** No team lists the district and no default team is set: the referral is `unrouted`. */
  'ReferralsUnrouted',
  /** The routed team had nobody on duty to page. */
  'NobodyToPage',
  /** The service fallback phone was texted, since no team contact could be. */
  'ServiceFallbackAlerts',
  /** Nobody could be told at all: no team contact and no service fallback phone. */
  'NobodyTold',
  /** The reconciler found a referral's timer (or its routing) overdue and armed it again. */
  'TimersRearmed',
  /** An effect (an SMS, a page, a timer) given up after failing: a person was texted to see to it. */
  'EffectsSetAside',
  /** A statutory clock warning was given (T−6 h, T−2 h, T−1 h). */
  'ClockWarnings',
  /** A statutory clock ran out on an open referral: detention past it is unlawful; everyone responsible was texted. */
  'ClockExpiries',
  /** A stage overran (shared/domain/overruns.ts): the manager on duty was texted. */
  'Overruns',
  /** A team's morning handover list was texted to its day service (shared/app/handover.ts). */
  'HandoverListsSent',
  /** A referral on the morning handover list was not marked received in time: the manager (then the service fallback) was texted. */
  'HandoversUnacknowledged',
  /** A voice call followed an unanswered page. */
  'VoiceCallsPlaced',
  /** A voice call could not be placed (refused, over its limit, or failing): the chain went on. */
  'VoiceCallFailures',
  /** A shift notice (before a shift, the evening before, or a rota change) was texted to a person on the rota. */
  'ShiftNoticesSent',
  /** A rota position was about to start with nobody in it: the manager on duty (else a fallback) was texted. */
  'EmptyPositionAlerts',
  /** A page went to a phone that is not verified: the manager on duty (else the team fallback) was texted. */
  'UnverifiedPhonePaged',
  /** 1 when a canary run passed, 0 when it failed (shared/app/canary.ts). */
  'CanarySucceeded',
  /**
   * A change to a referral of a rolled-up day could not mark that day's statistics roll-up stale
   * (shared/adapters/dynamo-referral-store.ts): its figures may be out of date until the day next
   * changes. Logged with the team and day.
   */
  'RollupsNotMarkedStale',
] as const;
export type CountMetric = (typeof countMetrics)[number];
export const durationMetrics = [
  'TimeToAccept',
  'TimeToFirstPage',
  // A canary run, end to end, and the steps that are the line's own work.
  'CanaryDuration',
  'CanarySubmitDuration',
  'CanaryRoutedAndPagedDuration',
  'CanaryAcceptDuration',
  'CanaryCloseDuration',
] as const;
export type DurationMetric = (typeof durationMetrics)[number];

export interface Metrics {
  count(name: CountMetric, value?: number): void;
  duration(name: DurationMetric, seconds: number): void;
}
