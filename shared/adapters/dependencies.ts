import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { queueEnvVars, settings, tableEnvVars } from '../../infra/definition-names.ts';
import { defaultRetention, retentionSetting, type RetentionPolicy } from '../domain/retention.ts';
import type { Dependencies, IntegratorSecrets, Log, Metrics, SessionVerifier, SignInFlow, SmsSender, VoiceCaller } from '../ports.ts';
import { awsTimeouts, smsTimeouts, withTimeouts } from './client-timeouts.ts';
import { CognitoHostedUi } from './cognito-hosted-ui.ts';
import { CognitoSessionVerifier } from './cognito-session.ts';
import { makeDynamoClients } from './dynamo-client.ts';
import { DynamoAuditTrail } from './dynamo-audit-trail.ts';
import { DynamoDirectoryStore } from './dynamo-directory-store.ts';
import { DynamoPhoneVerifications } from './dynamo-phone-verifications.ts';
import { DynamoReferralStore } from './dynamo-referral-store.ts';
import { DynamoReplayGuard } from './dynamo-replay-guard.ts';
import { DynamoStaffPreferences } from './dynamo-staff-preferences.ts';
import { DynamoReferrerProfiles } from './dynamo-referrer-profiles.ts';
import { integratorSecretsFromSecretsManager } from './secrets-manager-integrators.ts';
import { linkSecretFromSecretsManager } from './secrets-manager-link-secret.ts';
import { HmacLinkSigner } from './hmac-link-signer.ts';
import { endUserMessagingSmsSender } from './end-user-messaging-sms.ts';
import { endUserMessagingVoiceCaller } from './end-user-messaging-voice.ts';
import { DynamoSmsQuota } from './dynamo-sms-quota.ts';
import { RecordingMetrics } from './recording-metrics.ts';
import { RetryingSmsSender } from './retrying-sms.ts';
import { makeSnsClient, SnsSmsSender } from './sns-sms.ts';
import { makeSqsClient, SqsReferralQueue, SqsTimerQueue } from './sqs-queues.ts';

/** Where the adapters point: real AWS (endpoints unset) or the local emulators. */
export interface AdapterConfig {
  region: string;
  endpoints?: { dynamodb: string; sqs: string; sns: string };
  tableNames: { referrals: string; directory: string };
  queueUrls: { referrals: string; escalationTimers: string };
  publicBaseUrl: string;
  /** How long the person's details are kept; the defaults of shared/domain/retention.ts when absent. */
  retention?: RetentionPolicy;
  linkSecret: () => Promise<string>;
  log: Log;
  /** Defaults to SNS direct publish; the local runtime passes its outbox. */
  sms?: SmsSender;
  smsOriginationNumber?: string;
  /** Voice calls after unanswered pages: End User Messaging in AWS, the call outbox locally; absent, none are planned. */
  voice?: VoiceCaller;
  now?: () => Date;
  /** Web sign-in and telephony webhooks: Cognito and Secrets Manager in AWS, local stand-ins locally. */
  sessions?: SessionVerifier;
  signIn?: SignInFlow;
  integratorSecrets?: IntegratorSecrets;
  /** CloudWatch EMF through Powertools in Lambda; recorded in memory when absent (local runtime, tests). */
  metrics?: Metrics;
  /** Told of each AWS client made, before its first call (the benchmark counts calls with a middleware). */
  onClient?: (client: DynamoDBClient | SQSClient | SNSClient) => void;
}

const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * A port whose client this function's bundle leaves out (infra/bundling.ts): its definition does
 * not grant it, so IAM would refuse the call anyway; this says so without a network round trip.
 */
const notGranted = (what: string) => () => Promise.reject(new Error(`this function's definition does not grant it ${what}`));

/**
 * Each `process.env.DUTYLINE_BUNDLE_*` below is replaced by a constant when a function is bundled,
 * so esbuild drops the clients and adapters its definition does not grant, and with them the
 * modules that import their SDK packages (this module imports SDK types only, so that a bundle
 * loads only the SDK clients it uses); unbundled, every client is made.
 */
export function createDependencies(given: AdapterConfig): Dependencies {
  const config = { ...given, metrics: given.metrics ?? new RecordingMetrics() };
  return {
    ...(process.env.DUTYLINE_BUNDLE_REFERRALS !== 'false' || process.env.DUTYLINE_BUNDLE_DIRECTORY !== 'false'
      ? tableAdapters(config)
      : { ...referralsNotGranted(), ...directoryNotGranted() }),
    ...(process.env.DUTYLINE_BUNDLE_QUEUES !== 'false'
      ? queueAdapters(config)
      : { referralQueue: { enqueue: notGranted('its queues') }, timers: { schedule: notGranted('its queues'), scheduleAll: notGranted('its queues') } }),
    sms: process.env.DUTYLINE_BUNDLE_SMS !== 'false' ? new RetryingSmsSender(config.sms ?? snsSender(config)) : { send: notGranted('SMS') },
    // No voice port at all where calls are not granted: then no call is planned (shared/app/escalation-effects.ts).
    ...(process.env.DUTYLINE_BUNDLE_VOICE !== 'false' && config.voice ? { voice: config.voice } : {}),
    linkSigner:
      process.env.DUTYLINE_BUNDLE_LINK_SECRET !== 'false'
        ? new HmacLinkSigner(config.linkSecret)
        : { sign: notGranted('the link-signing secret'), verify: notGranted('the link-signing secret') },
    retention: config.retention ?? defaultRetention,
    clock: { now: config.now ?? (() => new Date()) },
    log: config.log,
    publicBaseUrl: config.publicBaseUrl,
    metrics: config.metrics,
    ...(config.sessions ? { sessions: config.sessions } : {}),
    ...(config.signIn ? { signIn: config.signIn } : {}),
    ...(config.integratorSecrets ? { integratorSecrets: config.integratorSecrets } : {}),
  };
}

// One function per client, at the top level, so that esbuild drops those a bundle never calls.
function clientConfig(config: AdapterConfig, service: keyof NonNullable<AdapterConfig['endpoints']>, timeouts = awsTimeouts) {
  return {
    region: config.region,
    ...withTimeouts(timeouts, Boolean(config.endpoints)),
    ...(config.endpoints ? { credentials: localCredentials, endpoint: config.endpoints[service], signer: emulatorSigner(`${config.region}/${service}`) } : {}),
  };
}

/**
 * The emulators check that a request is signed, not the signature: locally a well-formed header
 * stands in for SigV4, which saves a sixth of each call's CPU when the whole service shares a core.
 */
const emulatorSigner = (scope: string) => ({
  async sign<R extends { headers: Record<string, string> }>(request: R): Promise<R> {
    const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
    request.headers['x-amz-date'] = amzDate;
    request.headers.authorization = `AWS4-HMAC-SHA256 Credential=local/${amzDate.slice(0, 8)}/${scope}/aws4_request, SignedHeaders=host;x-amz-date, Signature=0`;
    return request;
  },
  async presign<R>(request: R): Promise<R> {
    return request;
  },
});

function made<C extends DynamoDBClient | SQSClient | SNSClient>(config: AdapterConfig, client: C): C {
  config.onClient?.(client);
  return client;
}

function tableAdapters(config: AdapterConfig & { metrics: Metrics }) {
  const { dynamo, db } = makeDynamoClients(clientConfig(config, 'dynamodb'));
  made(config, dynamo);
  return {
    ...(process.env.DUTYLINE_BUNDLE_REFERRALS !== 'false' ? referralTableAdapters(config, db) : referralsNotGranted()),
    ...(process.env.DUTYLINE_BUNDLE_DIRECTORY !== 'false'
      ? {
          directory: new DynamoDirectoryStore(db, config.tableNames.directory),
          phoneVerifications: new DynamoPhoneVerifications(db, config.tableNames.directory),
          staffPreferences: new DynamoStaffPreferences(db, config.tableNames.directory),
        }
      : directoryNotGranted()),
  };
}

/** The referral store and the counters and claims kept in the same table. */
function referralTableAdapters(config: AdapterConfig & { metrics: Metrics }, db: DynamoDBDocumentClient) {
  return {
    referrals: new DynamoReferralStore(db, config.tableNames.referrals, config.now, { log: config.log, metrics: config.metrics }),
    audit: new DynamoAuditTrail(db, config.tableNames.referrals),
    smsQuota: new DynamoSmsQuota(db, config.tableNames.referrals),
    replayGuard: new DynamoReplayGuard(db, config.tableNames.referrals, config.now),
    referrerProfiles: new DynamoReferrerProfiles(db, config.tableNames.referrals, config.now),
  };
}

function queueAdapters(config: AdapterConfig) {
  const sqs = made(config, makeSqsClient(clientConfig(config, 'sqs')));
  return { referralQueue: new SqsReferralQueue(sqs, config.queueUrls.referrals), timers: new SqsTimerQueue(sqs, config.queueUrls.escalationTimers) };
}

function snsSender(config: AdapterConfig) {
  return new SnsSmsSender(made(config, makeSnsClient(clientConfig(config, 'sns', smsTimeouts))), config.smsOriginationNumber);
}

const referralsNotGranted = () => ({
  referrals: new Proxy({} as Dependencies['referrals'], { get: () => notGranted('the referrals table') }),
  audit: { recordView: notGranted('the referrals table'), views: notGranted('the referrals table') },
  smsQuota: { take: notGranted('the referrals table') },
});

/** Only the OpenAPI document has no table; the rota and directory admin have the directory alone. */
const directoryNotGranted = () => ({
  directory: new Proxy({} as Dependencies['directory'], { get: () => notGranted('the directory table') }),
  phoneVerifications: new Proxy({} as Dependencies['phoneVerifications'], { get: () => notGranted('the directory table') }),
  staffPreferences: { setShiftNotices: notGranted('the directory table') },
});

/** The retention settings, by the names the stack sets (and `npm start` reads); unset means the defaults. */
export function retentionFromEnvironment(env: NodeJS.ProcessEnv = process.env): RetentionPolicy {
  return {
    detailsDaysAfterClose: retentionSetting('detailsDaysAfterClose', env[settings.detailsRetentionDays], settings.detailsRetentionDays),
    detailsDaysUnclosed: retentionSetting('detailsDaysUnclosed', env[settings.unclosedDetailsRetentionDays], settings.unclosedDetailsRetentionDays),
  };
}

/** Inside Lambda: names and URLs come from the environment the CDK stack sets. */
export function dependenciesFromEnvironment(log: Log, metrics?: Metrics): Dependencies {
  const secretArn = process.env[settings.linkSecretArn];
  const webhookSecretsArn = process.env[settings.webhookSecretsArn];
  return createDependencies({
    region: process.env.AWS_REGION ?? 'eu-west-2',
    tableNames: {
      referrals: process.env[tableEnvVars.referrals] ?? '',
      directory: process.env[tableEnvVars.directory] ?? '',
    },
    queueUrls: {
      referrals: process.env[queueEnvVars.referrals] ?? '',
      escalationTimers: process.env[queueEnvVars.escalationTimers] ?? '',
    },
    publicBaseUrl: process.env[settings.publicBaseUrl] ?? '',
    retention: retentionFromEnvironment(),
    ...(process.env.DUTYLINE_BUNDLE_SMS !== 'false' ? smsFromEnvironment() : {}),
    ...(process.env.DUTYLINE_BUNDLE_VOICE !== 'false' ? voiceFromEnvironment() : {}),
    ...(process.env.DUTYLINE_BUNDLE_WEB_SESSIONS !== 'false' ? webSignInFromEnvironment() : {}),
    ...(process.env.DUTYLINE_BUNDLE_WEBHOOK_SECRETS !== 'false' && webhookSecretsArn
      ? { integratorSecrets: integratorSecretsFromSecretsManager(webhookSecretsArn) }
      : {}),
    ...(metrics ? { metrics } : {}),
    linkSecret:
      process.env.DUTYLINE_BUNDLE_LINK_SECRET !== 'false'
        ? secretArn
          ? linkSecretFromSecretsManager(secretArn)
          : () => Promise.reject(new Error(`environment variable ${settings.linkSecretArn} is not set`))
        : notGranted('the link-signing secret'),
    log,
  });
}

/** End User Messaging SMS when the stack gave an origination identity; else SNS direct publish. */
function smsFromEnvironment(): Pick<AdapterConfig, 'sms' | 'smsOriginationNumber'> {
  const identity = process.env[settings.smsOriginationIdentity] ?? '';
  if (process.env[settings.smsMode] === 'end-user-messaging' && identity) {
    return { sms: endUserMessagingSmsSender(identity) };
  }
  // A phone number identity can also be named on an SNS publish; a pool or ARN cannot.
  return /^\+\d+$/.test(identity) ? { smsOriginationNumber: identity } : {};
}

/**
 * Voice calls need End User Messaging SMS and Voice and an origination identity that can call;
 * a deployment on SNS direct publish has no voice channel, and its pages are not followed by calls.
 */
function voiceFromEnvironment(): Pick<AdapterConfig, 'voice'> {
  const identity = process.env[settings.smsOriginationIdentity] ?? '';
  return process.env[settings.smsMode] === 'end-user-messaging' && identity ? { voice: endUserMessagingVoiceCaller(identity) } : {};
}

/** Set only on the functions the stack marks `webSessions`; elsewhere the web ports stay absent. */
function webSignInFromEnvironment(): Pick<AdapterConfig, 'sessions' | 'signIn'> {
  const userPoolId = process.env[settings.userPoolId];
  const clientId = process.env[settings.userPoolClientId];
  const domainUrl = process.env[settings.authDomainUrl];
  if (!userPoolId || !clientId) return {};
  return {
    sessions: new CognitoSessionVerifier({ userPoolId, clientId }),
    ...(domainUrl ? { signIn: new CognitoHostedUi({ domainUrl, clientId }) } : {}),
  };
}
