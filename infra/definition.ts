/**
 * The one description of dutyline's AWS resources. The CDK stack (infra/stack.ts) and the local
 * runtime (infra/local/) are both built from it, and test/infra/agreement.test.ts proves the
 * synthesized template and the local runtime agree. Plain data only: no aws-cdk-lib import here,
 * because the local runtime loads this file too. The names functions read at run time (environment
 * variables, roles) are in infra/definition-names.ts, which a function bundle imports instead.
 */

import { queueEnvVars, tableEnvVars, topicEnvVars } from './definition-names.ts';
import { CANARY_DEFAULT_SCHEDULE_MINUTES } from './deployment-settings.ts';

export { roles, settings, type Role } from './definition-names.ts';

export type TableName = 'referrals' | 'directory';
export type QueueName = 'referrals' | 'escalationTimers';
export type TopicName = 'inboundSms';
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
  | 'canary';

export interface TableDefinition {
  /** Environment variable through which functions learn the physical table name. */
  envVar: string;
  partitionKey: string;
  sortKey: string;
  indexes: { name: string; partitionKey: string; sortKey: string }[];
  /** Epoch-seconds attribute by which DynamoDB's TTL deletes expired items (claims, replay guards). */
  timeToLiveAttribute?: string;
}

export interface QueueDefinition {
  envVar: string;
  visibilityTimeoutSeconds: number;
  /** Receives before SQS moves a message to the queue's dead-letter queue. */
  maxReceiveCount: number;
  retentionDays: number;
}

export interface TopicDefinition {
  envVar: string;
  /** AWS End User Messaging SMS publishes two-way SMS replies to it (topic and key policies allow it). */
  receivesSmsReplies?: boolean;
}

export interface RouteDefinition {
  method: 'GET' | 'POST' | 'PUT';
  /** API Gateway HTTP API path syntax: `{name}` for a path parameter. */
  path: string;
  function: FunctionName;
  /** `jwt`: a bearer token is required (Cognito in AWS, the local issuer locally). */
  auth: 'jwt' | 'none';
  /** Why a route with `auth: 'none'` is public; the stack's cdk-nag acknowledgement quotes it. */
  publicBecause?: string;
}

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

export const tables: Record<TableName, TableDefinition> = {
  referrals: {
    envVar: tableEnvVars.referrals,
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [
      { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
      // Sparse: only referrals whose outbox holds effects, by when it last did, for the reconciler.
      { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
      // Referrals of a team by when they were received: response-time statistics, one Query per team.
      { name: 'byTeam', partitionKey: 'teamPk', sortKey: 'teamSk' },
      // Sparse: referrals not yet closed, by team (or awaiting one): the managers' live board.
      { name: 'openByTeam', partitionKey: 'openPk', sortKey: 'openSk' },
      // Sparse: when each referral next needs attention (a timer, a clock warning, routing), for the reconciler.
      { name: 'nextAction', partitionKey: 'nextPk', sortKey: 'nextSk' },
    ],
    timeToLiveAttribute: 'expiresAt',
  },
  directory: {
    envVar: tableEnvVars.directory,
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [{ name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
  },
};

export const queues: Record<QueueName, QueueDefinition> = {
  // Visibility timeout is six times the consumer's timeout, as AWS recommends for event sources.
  referrals: { envVar: queueEnvVars.referrals, visibilityTimeoutSeconds: 180, maxReceiveCount: 5, retentionDays: 14 },
  escalationTimers: {
    envVar: queueEnvVars.escalationTimers,
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    retentionDays: 14,
  },
};

export const topics: Record<TopicName, TopicDefinition> = {
  inboundSms: { envVar: topicEnvVars.inboundSms, receivesSmsReplies: true },
};

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

const MANAGER_PAGES =
  'the manager pages check the web session cookie themselves (the JWT authorizer reads only the Authorization header) and the outcome form checks the Origin';

export const routes: RouteDefinition[] = [
  { method: 'GET', path: '/health', function: 'health', auth: 'none', publicBecause: 'uptime checks probe it before sign-in; it answers only {"status":"ok"}' },
  { method: 'POST', path: '/api/referrals', function: 'createReferral', auth: 'jwt' },
  { method: 'GET', path: '/api/referrals/{id}', function: 'getReferral', auth: 'jwt' },
  { method: 'POST', path: '/api/referrals/{id}/accept', function: 'acceptReferral', auth: 'jwt' },
  { method: 'POST', path: '/api/referrals/{id}/decline', function: 'declineReferral', auth: 'jwt' },
  // The signed token in the link is the credential; GET only shows a confirm button so that
  // link previews in messaging apps cannot accept on the AMHP's behalf.
  { method: 'GET', path: '/a/{token}', function: 'acceptLink', auth: 'none', publicBecause: 'the signed, single-use, expiring token in the texted link is the credential; GET only shows a confirm button' },
  { method: 'POST', path: '/a/{token}', function: 'acceptLink', auth: 'none', publicBecause: 'the signed, single-use, expiring token in the texted link is the credential' },
  { method: 'GET', path: '/amhp/referrals/{id}', function: 'amhpReferralPage', auth: 'none', publicBecause: "the AMHP referral page checks the web session cookie itself (the JWT authorizer reads only the Authorization header), shows details only to the team's managers and the referral's paged or accepting AMHP, and only reads (besides recording the view)" },
  { method: 'PUT', path: '/api/teams/{teamId}', function: 'putTeam', auth: 'jwt' },
  { method: 'PUT', path: '/api/staff/{staffId}', function: 'putStaff', auth: 'jwt' },
  { method: 'POST', path: '/api/staff/{staffId}/phone/verify', function: 'phoneVerification', auth: 'jwt' },
  { method: 'POST', path: '/api/staff/{staffId}/phone/confirm', function: 'phoneVerification', auth: 'jwt' },
  { method: 'PUT', path: '/api/teams/{teamId}/rota', function: 'putRota', auth: 'jwt' },
  { method: 'GET', path: '/api/teams/{teamId}/oncall', function: 'getOnCall', auth: 'jwt' },
  { method: 'GET', path: '/api/teams/{teamId}/rota', function: 'getRota', auth: 'jwt' },
  { method: 'POST', path: '/api/teams/{teamId}/rota/overrides', function: 'addRotaOverrides', auth: 'jwt' },
  { method: 'POST', path: '/api/teams/{teamId}/rota/feed', function: 'createRotaFeed', auth: 'jwt' },
  { method: 'GET', path: '/feeds/rota/{token}', function: 'rotaFeed', auth: 'none', publicBecause: 'calendar apps cannot send a bearer token: the signed, revocable feed id in the path is the credential, and the feed holds staff names and shift times only' },
  { method: 'PUT', path: '/api/service', function: 'putService', auth: 'jwt' },
  { method: 'GET', path: '/teams/{teamId}/rota', function: 'rotaPage', auth: 'none', publicBecause: 'the rota page checks the web session cookie itself (the JWT authorizer reads only the Authorization header) and only reads' },
  { method: 'POST', path: '/api/referrals/{id}/clocks/{kind}/extension', function: 'extendClock', auth: 'jwt' },
  { method: 'POST', path: '/api/referrals/{id}/events', function: 'recordEvent', auth: 'jwt' },
  // Telephony platforms sign each request (HMAC-SHA256 over timestamp and body): that is its auth.
  { method: 'POST', path: '/api/telephony/referrals', function: 'webhookIntake', auth: 'none', publicBecause: 'telephony platforms sign each request (HMAC-SHA256 over timestamp and body) and the function checks it' },
  { method: 'GET', path: '/api/openapi.json', function: 'openApi', auth: 'none', publicBecause: 'the API description is public documentation and holds no data' },
  // Web pages: the JWT authorizer reads only the Authorization header, so the web function checks
  // its session cookie itself, and its forms check the Origin (CSRF).
  { method: 'GET', path: '/', function: 'web', auth: 'none', publicBecause: 'the web function checks its session cookie itself (the JWT authorizer reads only the Authorization header) and its forms check the Origin' },
  { method: 'GET', path: '/referrals', function: 'web', auth: 'none', publicBecause: 'the web function checks its session cookie itself (the JWT authorizer reads only the Authorization header) and its forms check the Origin' },
  { method: 'GET', path: '/referrals/new', function: 'web', auth: 'none', publicBecause: 'the web function checks its session cookie itself (the JWT authorizer reads only the Authorization header) and its forms check the Origin' },
  { method: 'POST', path: '/referrals/new', function: 'web', auth: 'none', publicBecause: 'the web function checks its session cookie itself (the JWT authorizer reads only the Authorization header) and its forms check the Origin' },
  { method: 'GET', path: '/referrals/{id}', function: 'web', auth: 'none', publicBecause: 'the web function checks its session cookie itself (the JWT authorizer reads only the Authorization header) and its forms check the Origin' },
  { method: 'POST', path: '/referrals/{id}/events', function: 'web', auth: 'none', publicBecause: 'the web function checks its session cookie itself (the JWT authorizer reads only the Authorization header) and its forms check the Origin' },
  { method: 'GET', path: '/amhp', function: 'web', auth: 'none', publicBecause: 'the web function checks its session cookie itself (the JWT authorizer reads only the Authorization header) and its forms check the Origin' },
  { method: 'POST', path: '/amhp/referrals/{id}/events', function: 'web', auth: 'none', publicBecause: 'the web function checks its session cookie itself (the JWT authorizer reads only the Authorization header) and its forms check the Origin' },
  { method: 'GET', path: '/referrals/{id}/confirmation', function: 'web', auth: 'none', publicBecause: 'the web function checks its session cookie itself (the JWT authorizer reads only the Authorization header) and its forms check the Origin' },
  { method: 'GET', path: '/auth/login', function: 'web', auth: 'none', publicBecause: 'the sign-in flow must be reachable before sign-in; the callback checks the OAuth state and PKCE verifier' },
  { method: 'GET', path: '/auth/callback', function: 'web', auth: 'none', publicBecause: 'the sign-in flow must be reachable before sign-in; the callback checks the OAuth state and PKCE verifier' },
  { method: 'POST', path: '/auth/logout', function: 'web', auth: 'none', publicBecause: 'signing out only clears the session cookie; the form checks the Origin' },
  { method: 'GET', path: '/assets/{file}', function: 'web', auth: 'none', publicBecause: 'static styles, scripts and fonts of the pages, with no data' },
  { method: 'GET', path: '/api/dashboard', function: 'dashboard', auth: 'jwt' },
  { method: 'POST', path: '/api/referrals/{id}/close', function: 'closeReferral', auth: 'jwt' },
  { method: 'GET', path: '/manage', function: 'managerPages', auth: 'none', publicBecause: MANAGER_PAGES },
  { method: 'GET', path: '/manage/board', function: 'managerPages', auth: 'none', publicBecause: MANAGER_PAGES },
  { method: 'GET', path: '/manage/handover', function: 'managerPages', auth: 'none', publicBecause: MANAGER_PAGES },
  { method: 'POST', path: '/manage/handover', function: 'managerPages', auth: 'none', publicBecause: MANAGER_PAGES },
  { method: 'GET', path: '/manage/response-times', function: 'managerPages', auth: 'none', publicBecause: MANAGER_PAGES },
  { method: 'GET', path: '/manage/coverage', function: 'managerPages', auth: 'none', publicBecause: MANAGER_PAGES },
  { method: 'GET', path: '/manage/referrals/{id}', function: 'managerPages', auth: 'none', publicBecause: MANAGER_PAGES },
  { method: 'GET', path: '/manage/referrals/{id}/close', function: 'managerPages', auth: 'none', publicBecause: MANAGER_PAGES },
  { method: 'POST', path: '/manage/referrals/{id}/close', function: 'managerPages', auth: 'none', publicBecause: MANAGER_PAGES },
  { method: 'GET', path: '/api/teams', function: 'getDirectory', auth: 'jwt' },
  { method: 'GET', path: '/api/teams/{teamId}', function: 'getDirectory', auth: 'jwt' },
  { method: 'GET', path: '/api/staff/{staffId}', function: 'getDirectory', auth: 'jwt' },
  { method: 'POST', path: '/api/referrals/{id}/page', function: 'referralActions', auth: 'jwt' },
  { method: 'POST', path: '/api/referrals/{id}/route', function: 'referralActions', auth: 'jwt' },
];

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
];
