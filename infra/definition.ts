/**
 * The one description of dutyline's AWS resources. The CDK stack (infra/stack.ts) and the local
 * runtime (infra/local/) are both built from it, and test/infra/agreement.test.ts proves the
 * synthesized template and the local runtime agree. Plain data only: no aws-cdk-lib import here,
 * because the local runtime loads this file too.
 */

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
  | 'putTeam'
  | 'putStaff'
  | 'putRota'
  | 'getOnCall'
  | 'router'
  | 'escalator'
  | 'inboundSms';

export interface TableDefinition {
  /** Environment variable through which functions learn the physical table name. */
  envVar: string;
  partitionKey: string;
  sortKey: string;
  indexes: { name: string; partitionKey: string; sortKey: string }[];
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

export type Role = 'referrer' | 'amhp' | 'manager' | 'admin';

export interface RouteDefinition {
  method: 'GET' | 'POST' | 'PUT';
  /** API Gateway HTTP API path syntax: `{name}` for a path parameter. */
  path: string;
  function: FunctionName;
  /** `jwt`: a bearer token is required (Cognito in AWS, the local issuer locally). */
  auth: 'jwt' | 'none';
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
  /** Needs the signing key for accept links. */
  signsLinks: boolean;
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

export const tables: Record<TableName, TableDefinition> = {
  referrals: {
    envVar: 'REFERRALS_TABLE',
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [{ name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
  },
  directory: {
    envVar: 'DIRECTORY_TABLE',
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [{ name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
  },
};

export const queues: Record<QueueName, QueueDefinition> = {
  // Visibility timeout is six times the consumer's timeout, as AWS recommends for event sources.
  referrals: { envVar: 'REFERRAL_QUEUE_URL', visibilityTimeoutSeconds: 180, maxReceiveCount: 5, retentionDays: 14 },
  escalationTimers: {
    envVar: 'ESCALATION_QUEUE_URL',
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    retentionDays: 14,
  },
};

export const topics: Record<TopicName, TopicDefinition> = {
  inboundSms: { envVar: 'INBOUND_SMS_TOPIC_ARN', receivesSmsReplies: true },
};

const none = { reads: [], writes: [], sendsTo: [], sendsSms: false, signsLinks: false } satisfies Partial<FunctionDefinition>;

export const functions: Record<FunctionName, FunctionDefinition> = {
  health: { ...none, entry: 'functions/health/handler.ts', memoryMB: 256, timeoutSeconds: 5 },
  createReferral: {
    ...none,
    entry: 'functions/intake/create-referral.ts',
    memoryMB: 512,
    timeoutSeconds: 10,
    reads: ['referrals'],
    writes: ['referrals'],
    sendsTo: ['referrals'],
  },
  getReferral: {
    ...none,
    entry: 'functions/intake/get-referral.ts',
    memoryMB: 512,
    timeoutSeconds: 10,
    reads: ['referrals', 'directory'],
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
  acceptLink: {
    ...none,
    entry: 'functions/acknowledge/accept-link.ts',
    memoryMB: 512,
    timeoutSeconds: 10,
    reads: ['referrals', 'directory'],
    writes: ['referrals'],
    sendsSms: true,
    signsLinks: true,
  },
  putTeam: { ...none, entry: 'functions/admin/put-team.ts', memoryMB: 256, timeoutSeconds: 10, reads: ['directory'], writes: ['directory'] },
  putStaff: { ...none, entry: 'functions/admin/put-staff.ts', memoryMB: 256, timeoutSeconds: 10, reads: ['directory'], writes: ['directory'] },
  putRota: { ...none, entry: 'functions/admin/put-rota.ts', memoryMB: 512, timeoutSeconds: 30, reads: ['directory'], writes: ['directory'] },
  getOnCall: { ...none, entry: 'functions/admin/get-oncall.ts', memoryMB: 256, timeoutSeconds: 10, reads: ['directory'] },
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
};

export const routes: RouteDefinition[] = [
  { method: 'GET', path: '/health', function: 'health', auth: 'none' },
  { method: 'POST', path: '/api/referrals', function: 'createReferral', auth: 'jwt' },
  { method: 'GET', path: '/api/referrals/{id}', function: 'getReferral', auth: 'jwt' },
  { method: 'POST', path: '/api/referrals/{id}/accept', function: 'acceptReferral', auth: 'jwt' },
  { method: 'POST', path: '/api/referrals/{id}/decline', function: 'declineReferral', auth: 'jwt' },
  // The signed token in the link is the credential; GET only shows a confirm button so that
  // link previews in messaging apps cannot accept on the AMHP's behalf.
  { method: 'GET', path: '/a/{token}', function: 'acceptLink', auth: 'none' },
  { method: 'POST', path: '/a/{token}', function: 'acceptLink', auth: 'none' },
  { method: 'PUT', path: '/api/teams/{teamId}', function: 'putTeam', auth: 'jwt' },
  { method: 'PUT', path: '/api/staff/{staffId}', function: 'putStaff', auth: 'jwt' },
  { method: 'PUT', path: '/api/teams/{teamId}/rota', function: 'putRota', auth: 'jwt' },
  { method: 'GET', path: '/api/teams/{teamId}/oncall', function: 'getOnCall', auth: 'jwt' },
];

export const queueTriggers: QueueTrigger[] = [
  { queue: 'referrals', function: 'router', batchSize: 10, maxBatchingWindowSeconds: 0 },
  { queue: 'escalationTimers', function: 'escalator', batchSize: 10, maxBatchingWindowSeconds: 0 },
];

export const topicTriggers: TopicTrigger[] = [{ topic: 'inboundSms', function: 'inboundSms' }];

/** Cognito groups; the same names are the `roles` of local sign-in. */
export const roles: Role[] = ['referrer', 'amhp', 'manager', 'admin'];

/** Environment variables that are not resource names. */
export const settings = {
  publicBaseUrl: 'PUBLIC_BASE_URL',
  linkSecretArn: 'LINK_SIGNING_SECRET_ARN',
  smsMode: 'SMS_MODE',
  /** Phone number, pool or sender id that AWS sends SMS from; set only when deployed with one. */
  smsOriginationIdentity: 'SMS_ORIGINATION_IDENTITY',
} as const;
