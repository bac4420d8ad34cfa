/**
 * The functions, what each may touch, and what invokes them besides routes: queues, the topic and
 * schedules (part of infra/definition.ts).
 */
import { CANARY_DEFAULT_SCHEDULE_MINUTES } from '../deployment-settings.ts';
import type { QueueName, TableName, TopicName } from './resources.ts';

export type FunctionName =
  | 'health'
  | 'createReferral'
  | 'getReferral'
  | 'acceptReferral'
  | 'declineReferral'
  | 'acceptLink'
  | 'amhpReferralPage'
  | 'putTeam'
  | 'putStaff'
  | 'phoneVerification'
  | 'putRota'
  | 'getOnCall'
  | 'getRota'
  | 'addRotaOverrides'
  | 'createRotaFeed'
  | 'rotaFeed'
  | 'putService'
  | 'rotaPage'
  | 'extendClock'
  | 'recordEvent'
  | 'router'
  | 'escalator'
  | 'inboundSms'
  | 'reconciler'
  | 'web'
  | 'connectIntake'
  | 'webhookIntake'
  | 'openApi'
  | 'managerPages'
  | 'dashboard'
  | 'closeReferral'
  | 'coverageAlert'
  | 'shiftNotices'
  | 'handover'
  | 'getDirectory'
  | 'referralActions'
  | 'canary'
  | 'statisticsRollups';

export interface FunctionDefinition {
  /** Path of the handler module from the repository root; it exports `handler`. */
  entry: string;
  memoryMB: number;
  timeoutSeconds: number;
  reads: TableName[];
  writes: TableName[];
  sendsTo: QueueName[];
  sendsSms: boolean;
  /** Places voice calls after unanswered pages (End User Messaging SMS and Voice `SendVoiceMessage`). */
  placesCalls?: boolean;
  /** Needs the signing key for accept links. */
  signsLinks: boolean;
  /** Checks web session cookies and runs the sign-in flow: told the user pool, client and hosted UI. */
  webSessions?: boolean;
  /** Serves the web assets (GOV.UK Frontend styles and scripts), which its bundle must include. */
  webAssets?: boolean;
  /** Checks telephony webhook signatures: may read the integrators' secrets. */
  webhookSecrets?: boolean;
  /** Invoked by an Amazon Connect contact flow, not by a route or a queue. */
  invokedByConnect?: boolean;
  /** Concurrency reserved for (and capping) the function in AWS; the stack's default when absent. */
  reservedConcurrency?: number;
  /**
   * Calls the HTTP API over HTTPS as the canary's Cognito user (shared/app/canary.ts): may read the
   * canary's credentials secret, and is told the API's URL and the canary's app client. No table,
   * queue or SMS: everything it does, it does through the API.
   */
  callsApiAsCanary?: boolean;
  /**
   * Writes the referrals table only for the counters and claims kept there (the SMS quota, the
   * replay guard), never a referral: it finishes no outbox, so it is given none of an outbox's
   * permissions (no queue, no voice call, no directory write it does not declare).
   */
  writesReferralCountersOnly?: boolean;
}

export interface QueueTrigger {
  queue: QueueName;
  function: FunctionName;
  batchSize: number;
  maxBatchingWindowSeconds: number;
}

export interface TopicTrigger {
  topic: TopicName;
  function: FunctionName;
}

/** A function run on a timer: an EventBridge schedule in AWS, a timer in the local runtime. */
export interface ScheduleTrigger {
  function: FunctionName;
  everyMinutes: number;
  /** The CDK context setting that may change `everyMinutes` in AWS (infra/deployment-settings.ts). */
  everyMinutesSetting?: 'canaryScheduleMinutes';
}

const none = { reads: [], writes: [], sendsTo: [], sendsSms: false, signsLinks: false } satisfies Partial<FunctionDefinition>;

const declaredFunctions: Record<FunctionName, FunctionDefinition> = {
  health: { ...none, entry: 'functions/health/handler.ts', memoryMB: 256, timeoutSeconds: 5 },
  createReferral: {
    ...none,
    entry: 'functions/intake/create-referral.ts',
    memoryMB: 512,
    timeoutSeconds: 10,
    // The directory for the service settings: from a date they set, a police station is no place of safety (MHA 2025).
    reads: ['referrals', 'directory'],
    writes: ['referrals'],
    // Intake plans the statutory clock warnings as delayed timer messages.
    sendsTo: ['referrals', 'escalationTimers'],
  },
  getReferral: {
    ...none,
    entry: 'functions/intake/get-referral.ts',
    memoryMB: 512,
    timeoutSeconds: 10,
    reads: ['referrals', 'directory'],
    // `?include=details` records the view in the audit trail (an item beside the referral) before answering.
    writes: ['referrals'],
  },
  acceptReferral: {
    ...none,
    entry: 'functions/acknowledge/accept-referral.ts',
    memoryMB: 512,
    timeoutSeconds: 10,
    reads: ['referrals', 'directory'],
    writes: ['referrals'],
    sendsSms: true,
  },
  declineReferral: {
    ...none,
    entry: 'functions/acknowledge/decline-referral.ts',
    memoryMB: 512,
    timeoutSeconds: 10,
    reads: ['referrals', 'directory'],
    writes: ['referrals'],
    sendsTo: ['escalationTimers'],
    sendsSms: true,
    signsLinks: true,
  },
  // The link pages are drawn in the web pages' GOV.UK layout, so the bundle carries their assets.
  acceptLink: {
    ...none,
    entry: 'functions/acknowledge/accept-link.ts',
    memoryMB: 512,
    timeoutSeconds: 10,
    reads: ['referrals', 'directory'],
    writes: ['referrals'],
    sendsSms: true,
    signsLinks: true,
    webAssets: true,
  },
  // The AMHP's referral page: every detail the referrer gave, behind the web sign-in; each view is
  // recorded in the audit trail, beside the referral (so it writes referrals).
  amhpReferralPage: {
    ...none,
    entry: 'functions/acknowledge/referral-page.ts',
    memoryMB: 512,
    timeoutSeconds: 10,
    reads: ['referrals', 'directory'],
    writes: ['referrals'],
    webSessions: true,
    webAssets: true,
  },
  putTeam: { ...none, entry: 'functions/admin/put-team.ts', memoryMB: 256, timeoutSeconds: 10, reads: ['directory'], writes: ['directory'] },
  putStaff: { ...none, entry: 'functions/admin/put-staff.ts', memoryMB: 256, timeoutSeconds: 10, reads: ['directory'], writes: ['directory'] },
  // Texts a code and checks it; the SMS quota counters it shares live in the referrals table.
  phoneVerification: {
    ...none,
    entry: 'functions/admin/phone-verification.ts',
    memoryMB: 256,
    timeoutSeconds: 10,
    reads: ['directory', 'referrals'],
    writes: ['directory', 'referrals'],
    sendsSms: true,
  },
  putRota: { ...none, entry: 'functions/admin/put-rota.ts', memoryMB: 512, timeoutSeconds: 30, reads: ['directory'], writes: ['directory'] },
  getOnCall: { ...none, entry: 'functions/admin/get-oncall.ts', memoryMB: 256, timeoutSeconds: 10, reads: ['directory'] },
  getRota: { ...none, entry: 'functions/admin/get-rota.ts', memoryMB: 512, timeoutSeconds: 10, reads: ['directory'] },
  // Texts the person who covers and the person covered at once: the SMS quota and each notice's claim are in the referrals table.
  addRotaOverrides: {
    ...none,
    entry: 'functions/admin/add-rota-overrides.ts',
    memoryMB: 256,
    timeoutSeconds: 10,
    reads: ['directory', 'referrals'],
    writes: ['directory', 'referrals'],
    sendsSms: true,
    writesReferralCountersOnly: true,
  },
  // Feed links are signed with the accept-link key: a calendar app cannot send a bearer token.
  createRotaFeed: { ...none, entry: 'functions/admin/create-rota-feed.ts', memoryMB: 256, timeoutSeconds: 10, reads: ['directory'], writes: ['directory'], signsLinks: true },
  rotaFeed: { ...none, entry: 'functions/admin/rota-feed.ts', memoryMB: 512, timeoutSeconds: 10, reads: ['directory'], signsLinks: true },
  putService: { ...none, entry: 'functions/admin/put-service.ts', memoryMB: 256, timeoutSeconds: 10, reads: ['directory'], writes: ['directory'] },
  // The manager's rota page: the web pages' session cookie and GOV.UK layout, so it needs their assets.
  rotaPage: { ...none, entry: 'functions/admin/rota-page.ts', memoryMB: 512, timeoutSeconds: 10, reads: ['directory'], webSessions: true, webAssets: true },
  extendClock: {
    ...none,
    entry: 'functions/clocks/extend-clock.ts',
    memoryMB: 512,
    timeoutSeconds: 10,
    reads: ['referrals', 'directory'],
    writes: ['referrals'],
    sendsTo: ['escalationTimers'],
  },
  // Legal events (arrival, transfer, status change, admission, release) move the clocks and plan their warnings.
  recordEvent: {
    ...none,
    entry: 'functions/events/record-event.ts',
    memoryMB: 512,
    timeoutSeconds: 10,
    reads: ['referrals', 'directory'],
    writes: ['referrals'],
    sendsTo: ['escalationTimers'],
  },
  router: {
    ...none,
    entry: 'functions/router/handler.ts',
    memoryMB: 512,
    timeoutSeconds: 30,
    reads: ['referrals', 'directory'],
    writes: ['referrals'],
    sendsTo: ['escalationTimers'],
    sendsSms: true,
    signsLinks: true,
  },
  escalator: {
    ...none,
    entry: 'functions/escalator/handler.ts',
    memoryMB: 512,
    timeoutSeconds: 30,
    reads: ['referrals', 'directory'],
    writes: ['referrals'],
    sendsTo: ['escalationTimers'],
    sendsSms: true,
    signsLinks: true,
  },
  inboundSms: {
    ...none,
    entry: 'functions/inbound-sms/handler.ts',
    memoryMB: 512,
    timeoutSeconds: 30,
    reads: ['referrals', 'directory'],
    writes: ['referrals'],
    sendsTo: ['escalationTimers'],
    sendsSms: true,
    signsLinks: true,
  },
  // Finishes effects left pending (an SQS or SMS send that failed after the state was stored).
  reconciler: {
    ...none,
    entry: 'functions/reconciler/handler.ts',
    memoryMB: 512,
    timeoutSeconds: 50,
    // Every kind of effect: the mark-busy effect writes the directory.
    reads: ['referrals', 'directory'],
    writes: ['referrals', 'directory'],
    sendsTo: ['referrals', 'escalationTimers'],
    sendsSms: true,
    // One run at a time: a run that overlaps the next minute's finds the same work.
    reservedConcurrency: 1,
  },
  // The referrer's pages, their sign-in and their styles: one function, so a page and its assets deploy together.
  // Intake functions (this and the two phone ones) queue the referral and schedule its clock warnings.
  web: {
    ...none,
    entry: 'functions/web/handler.ts',
    memoryMB: 512,
    timeoutSeconds: 10,
    reads: ['referrals', 'directory'],
    writes: ['referrals'],
    sendsTo: ['referrals', 'escalationTimers'],
    webSessions: true,
    webAssets: true,
  },
  // Amazon Connect waits at most 8 seconds for a contact-flow Lambda.
  connectIntake: {
    ...none,
    entry: 'functions/telephony/connect-intake.ts',
    memoryMB: 512,
    timeoutSeconds: 8,
    reads: ['referrals'],
    writes: ['referrals'],
    sendsTo: ['referrals', 'escalationTimers'],
    invokedByConnect: true,
  },
  webhookIntake: {
    ...none,
    entry: 'functions/telephony/webhook-intake.ts',
    memoryMB: 512,
    timeoutSeconds: 10,
    reads: ['referrals'],
    writes: ['referrals'],
    sendsTo: ['referrals', 'escalationTimers'],
    webhookSecrets: true,
  },
  openApi: { ...none, entry: 'functions/openapi/handler.ts', memoryMB: 256, timeoutSeconds: 5 },
  // EDT managers: live board, response times, coverage, audit trail and recording outcomes. Closing
  // clears the AMHP's busy marker (directory) and the referral's pages (referrals).
  managerPages: {
    ...none,
    entry: 'functions/manager/pages.ts',
    memoryMB: 1024,
    timeoutSeconds: 20,
    reads: ['referrals', 'directory'],
    writes: ['referrals', 'directory'],
    webSessions: true,
    webAssets: true,
  },
  dashboard: { ...none, entry: 'functions/manager/dashboard.ts', memoryMB: 1024, timeoutSeconds: 20, reads: ['referrals', 'directory'] },
  closeReferral: {
    ...none,
    entry: 'functions/manager/close-referral.ts',
    memoryMB: 512,
    timeoutSeconds: 10,
    reads: ['referrals', 'directory'],
    writes: ['referrals', 'directory'],
  },
  // The daily rota-gap SMS; writes the referrals table only for its once-a-day marker (the replay guard).
  coverageAlert: {
    ...none,
    entry: 'functions/manager/coverage-alert.ts',
    memoryMB: 512,
    timeoutSeconds: 60,
    reads: ['referrals', 'directory'],
    writes: ['referrals'],
    sendsSms: true,
    reservedConcurrency: 1,
  },
  // Shift notices: reads the rota and staff; writes the referrals table only for each notice's
  // claim (the replay guard) and the SMS quota. One run at a time.
  shiftNotices: {
    ...none,
    entry: 'functions/manager/shift-notices.ts',
    memoryMB: 512,
    timeoutSeconds: 60,
    reads: ['directory', 'referrals'],
    writes: ['referrals'],
    sendsSms: true,
    writesReferralCountersOnly: true,
    reservedConcurrency: 1,
  },
  // The morning handover: lists each team's open referrals when its office opens (one write each,
  // with the timers of their escalation) and texts the day service. One run at a time.
  handover: {
    ...none,
    entry: 'functions/manager/handover.ts',
    memoryMB: 512,
    timeoutSeconds: 60,
    reads: ['directory', 'referrals'],
    writes: ['referrals'],
    sendsTo: ['escalationTimers'],
    sendsSms: true,
    reservedConcurrency: 1,
  },
  // Teams and staff as stored, for administrators and the team's managers.
  getDirectory: { ...none, entry: 'functions/admin/get-directory.ts', memoryMB: 256, timeoutSeconds: 10, reads: ['directory'] },
  // A manager pages someone now (an accept link, so it signs links) or routes an unrouted referral again.
  referralActions: {
    ...none,
    entry: 'functions/manager/referral-actions.ts',
    memoryMB: 512,
    timeoutSeconds: 20,
    reads: ['referrals', 'directory'],
    writes: ['referrals'],
    sendsTo: ['escalationTimers'],
    sendsSms: true,
    signsLinks: true,
  },
  // The line tests itself: a synthetic referral through the real API, every 15 minutes by default.
  // Its steps wait up to 60 s for routing and paging, each call at most 10 s; one run at a time.
  canary: { ...none, entry: 'functions/canary/handler.ts', memoryMB: 256, timeoutSeconds: 85, callsApiAsCanary: true, reservedConcurrency: 1 },
  // The statistics' daily roll-ups (shared/app/statistics-read.ts): reads the teams and the
  // referrals, writes the referrals table only for the roll-up items, never a referral. The first
  // runs over a year of a big service read every referral once: each run stops starting teams after
  // a minute (functions/manager/statistics-rollups.ts) and the next goes on. One run at a time.
  statisticsRollups: {
    ...none,
    entry: 'functions/manager/statistics-rollups.ts',
    memoryMB: 1024,
    timeoutSeconds: 85,
    reads: ['referrals', 'directory'],
    writes: ['referrals'],
    writesReferralCountersOnly: true,
    reservedConcurrency: 1,
  },
};

const union = <T>(a: readonly T[], b: readonly T[]): T[] => [...new Set([...a, ...b])];

/**
 * A function that changes a referral may be the one that finishes whatever effects are pending
 * on it (the outbox: queueing, timers, SMS, voice calls, the page index, busy markers), whichever function
 * stored them. So it holds every permission an effect needs, not only those of its own work.
 */
function finishesOutbox(fn: FunctionDefinition): FunctionDefinition {
  if (!fn.writes.includes('referrals') || fn.writesReferralCountersOnly) return fn;
  return {
    ...fn,
    reads: union(fn.reads, ['referrals', 'directory']),
    writes: union(fn.writes, ['referrals', 'directory']),
    sendsTo: union(fn.sendsTo, ['referrals', 'escalationTimers']),
    sendsSms: true,
    // The voice-call effect (shared/app/effects/voice-call.ts) is one of those a flush may finish.
    placesCalls: true,
  };
}

export const functions = Object.fromEntries(
  Object.entries(declaredFunctions).map(([name, fn]) => [name, finishesOutbox(fn)]),
) as Record<FunctionName, FunctionDefinition>;

export const queueTriggers: QueueTrigger[] = [
  { queue: 'referrals', function: 'router', batchSize: 10, maxBatchingWindowSeconds: 0 },
  { queue: 'escalationTimers', function: 'escalator', batchSize: 10, maxBatchingWindowSeconds: 0 },
];

export const topicTriggers: TopicTrigger[] = [{ topic: 'inboundSms', function: 'inboundSms' }];

/** The reconciler finishes outboxes left pending for over a minute, so within two minutes. */
export const scheduleTriggers: ScheduleTrigger[] = [
  { function: 'reconciler', everyMinutes: 1 },
  // Sends once a day per team from 09:00 UK time; running every half hour keeps that on time across
  // clock changes and gives a failed run a second chance.
  { function: 'coverageAlert', everyMinutes: 30 },
  // Shift notices go within 5 minutes of when they are due (an hour before a shift, by default).
  { function: 'shiftNotices', everyMinutes: 5 },
  // The handover list goes within 5 minutes of the office opening.
  { function: 'handover', everyMinutes: 5 },
  // The canary: the same schedule locally; in AWS `-c canaryScheduleMinutes` may change it.
  { function: 'canary', everyMinutes: CANARY_DEFAULT_SCHEDULE_MINUTES, everyMinutesSetting: 'canaryScheduleMinutes' },
  // A London day can be rolled up an hour after it ends (or once its last referral closes); a change makes it stale: within half an hour of either.
  { function: 'statisticsRollups', everyMinutes: 30 },
];
