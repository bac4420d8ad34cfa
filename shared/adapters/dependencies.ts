import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queues, settings, tables } from '../../infra/definition.ts';
import type { Dependencies, Log, SmsSender } from '../ports.ts';
import { DynamoDirectoryStore } from './dynamo-directory-store.ts';
import { DynamoReferralStore } from './dynamo-referral-store.ts';
import { HmacLinkSigner } from './hmac-link-signer.ts';
import { SnsSmsSender } from './sns-sms.ts';
import { SqsReferralQueue, SqsTimerQueue } from './sqs-queues.ts';

/** Where the adapters point: real AWS (endpoints unset) or the local emulators. */
export interface AdapterConfig {
  region: string;
  endpoints?: { dynamodb: string; sqs: string; sns: string };
  tableNames: { referrals: string; directory: string };
  queueUrls: { referrals: string; escalationTimers: string };
  publicBaseUrl: string;
  linkSecret: () => Promise<string>;
  log: Log;
  /** Defaults to SNS direct publish; the local runtime passes its outbox. */
  sms?: SmsSender;
  smsOriginationNumber?: string;
  now?: () => Date;
}

const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export function createDependencies(config: AdapterConfig): Dependencies {
  const common = { region: config.region, ...(config.endpoints ? { credentials: localCredentials } : {}) };
  const dynamo = new DynamoDBClient({ ...common, ...(config.endpoints ? { endpoint: config.endpoints.dynamodb } : {}) });
  const db = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  const sqs = new SQSClient({ ...common, ...(config.endpoints ? { endpoint: config.endpoints.sqs } : {}) });
  return {
    referrals: new DynamoReferralStore(db, config.tableNames.referrals),
    directory: new DynamoDirectoryStore(db, config.tableNames.directory),
    referralQueue: new SqsReferralQueue(sqs, config.queueUrls.referrals),
    timers: new SqsTimerQueue(sqs, config.queueUrls.escalationTimers),
    sms:
      config.sms ??
      new SnsSmsSender(
        new SNSClient({ ...common, ...(config.endpoints ? { endpoint: config.endpoints.sns } : {}) }),
        config.smsOriginationNumber,
      ),
    linkSigner: new HmacLinkSigner(config.linkSecret),
    clock: { now: config.now ?? (() => new Date()) },
    log: config.log,
    publicBaseUrl: config.publicBaseUrl,
  };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

/** Inside Lambda: names and URLs come from the environment the CDK stack sets. */
export function dependenciesFromEnvironment(log: Log): Dependencies {
  let secret: Promise<string> | undefined;
  const secretArn = process.env[settings.linkSecretArn];
  return createDependencies({
    region: process.env.AWS_REGION ?? 'eu-west-2',
    tableNames: {
      referrals: process.env[tables.referrals.envVar] ?? '',
      directory: process.env[tables.directory.envVar] ?? '',
    },
    queueUrls: {
      referrals: process.env[queues.referrals.envVar] ?? '',
      escalationTimers: process.env[queues.escalationTimers.envVar] ?? '',
    },
    publicBaseUrl: process.env[settings.publicBaseUrl] ?? '',
    // A phone number identity can be used with SNS; a pool or ARN needs the End User Messaging API.
    ...(/^\+\d+$/.test(process.env[settings.smsOriginationIdentity] ?? '')
      ? { smsOriginationNumber: process.env[settings.smsOriginationIdentity] }
      : {}),
    linkSecret: () =>
      (secret ??= new SecretsManagerClient({})
        .send(new GetSecretValueCommand({ SecretId: secretArn ?? required(settings.linkSecretArn) }))
        .then((result) => result.SecretString ?? required(settings.linkSecretArn))),
    log,
  });
}
