import type { QueueName, TableName, TopicName } from './definition.ts';

/**
 * The names a deployed function shares with infra/definition.ts: the environment variables that
 * tell it its tables, queues and settings, and its callers' roles. Apart from the definition so
 * that a function's bundle carries these few strings, not the whole description of the stack.
 */

export { roles, type Role } from '../shared/domain/roles.ts';

/** Environment variables through which functions learn the physical table names. */
export const tableEnvVars = { referrals: 'REFERRALS_TABLE', directory: 'DIRECTORY_TABLE' } as const satisfies Record<TableName, string>;

/** Environment variables through which functions learn the queue URLs. */
export const queueEnvVars = { referrals: 'REFERRAL_QUEUE_URL', escalationTimers: 'ESCALATION_QUEUE_URL' } as const satisfies Record<QueueName, string>;

export const topicEnvVars = { inboundSms: 'INBOUND_SMS_TOPIC_ARN' } as const satisfies Record<TopicName, string>;

/** Environment variables that are not resource names. */
export const settings = {
  publicBaseUrl: 'PUBLIC_BASE_URL',
  linkSecretArn: 'LINK_SIGNING_SECRET_ARN',
  smsMode: 'SMS_MODE',
  /** Phone number, pool or sender id that AWS sends SMS from; set only when deployed with one. */
  smsOriginationIdentity: 'SMS_ORIGINATION_IDENTITY',
  /** Cognito user pool and web client whose ID tokens the web session cookie holds. */
  userPoolId: 'USER_POOL_ID',
  userPoolClientId: 'USER_POOL_CLIENT_ID',
  /** Base URL of the Cognito hosted UI (`https://{prefix}.auth.{region}.amazoncognito.com`); unset, web sign-in is off. */
  authDomainUrl: 'AUTH_DOMAIN_URL',
  /** Secrets Manager secret holding `{"<integrator id>": "<shared secret>", ...}` for telephony webhooks. */
  webhookSecretsArn: 'WEBHOOK_SECRETS_ARN',
  /** Days the person's details are kept after a referral is closed (shared/domain/retention.ts). */
  detailsRetentionDays: 'DETAILS_RETENTION_DAYS',
  /** Days from receipt after which the details of a referral never closed are removed all the same. */
  unclosedDetailsRetentionDays: 'UNCLOSED_DETAILS_RETENTION_DAYS',
  /** The canary (functions/canary/handler.ts): the API it calls, its sign-in and its test phone. */
  canaryApiUrl: 'CANARY_API_URL',
  canaryCredentialsSecretArn: 'CANARY_CREDENTIALS_SECRET_ARN',
  canaryUserPoolClientId: 'CANARY_USER_POOL_CLIENT_ID',
  canaryPhone: 'CANARY_PHONE',
} as const;
