import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { LOCAL_REQUEST_TIMEOUT, awsTimeouts, smsTimeouts } from '../../../shared/adapters/client-timeouts.ts';
import { createDependencies, type AdapterConfig } from '../../../shared/adapters/dependencies.ts';
import { endUserMessagingSmsSender } from '../../../shared/adapters/end-user-messaging-sms.ts';
import { integratorSecretsFromSecretsManager } from '../../../shared/adapters/secrets-manager-integrators.ts';

type AnyClient = DynamoDBClient | SQSClient | SNSClient;

/** What the client will use: its retry bound, and the options its NodeHttpHandler was built from. */
async function settingsOf(client: { config: unknown }) {
  const config = client.config as { maxAttempts: () => Promise<number>; requestHandler: { configProvider: Promise<Record<string, unknown>> } };
  const handler = await config.requestHandler.configProvider;
  return { maxAttempts: await config.maxAttempts(), connectionTimeout: handler.connectionTimeout, requestTimeout: handler.requestTimeout, throws: handler.throwOnRequestTimeout };
}

function clientsMade(endpoints?: AdapterConfig['endpoints']): AnyClient[] {
  const clients: AnyClient[] = [];
  createDependencies({
    region: 'eu-west-2',
    ...(endpoints ? { endpoints } : {}),
    tableNames: { referrals: 'r', directory: 'd' },
    queueUrls: { referrals: 'https://sqs.eu-west-2.amazonaws.com/1/r', escalationTimers: 'https://sqs.eu-west-2.amazonaws.com/1/t' },
    publicBaseUrl: 'https://dutyline.example.org',
    linkSecret: async () => 'secret',
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    onClient: (client) => clients.push(client),
  });
  return clients;
}

const expected = (use: 'aws' | 'sms', local = false) => {
  const { connectionTimeout, requestTimeout, maxAttempts } = use === 'sms' ? smsTimeouts : awsTimeouts;
  return { connectionTimeout, requestTimeout: local ? LOCAL_REQUEST_TIMEOUT : requestTimeout, maxAttempts, throws: true };
};

describe('every AWS SDK client has connection and request timeouts and bounded retries', () => {
  it('in AWS: DynamoDB and SQS 1 s / 3 s and 3 attempts; SNS SMS 1 s / 5 s and one attempt (the SMS sender retries itself)', async () => {
    const clients = clientsMade();
    expect(clients.map((client) => client.constructor.name).sort()).toEqual(['DynamoDBClient', 'SNSClient', 'SQSClient']);
    for (const client of clients) {
      expect(await settingsOf(client)).toEqual(expected(client.constructor.name === 'SNSClient' ? 'sms' : 'aws'));
    }
    expect(awsTimeouts).toEqual({ connectionTimeout: 1_000, requestTimeout: 3_000, maxAttempts: 3 });
    expect(smsTimeouts).toEqual({ connectionTimeout: 1_000, requestTimeout: 5_000, maxAttempts: 1 });
    expect(LOCAL_REQUEST_TIMEOUT).toBe(15_000);
  });

  it('on the emulators: a generous 15 s request timeout, the same bounded retries', async () => {
    const local = 'http://127.0.0.1:1';
    const clients = clientsMade({ dynamodb: local, sqs: local, sns: local });
    expect(clients).toHaveLength(3);
    for (const client of clients) {
      expect(await settingsOf(client)).toEqual(expected(client.constructor.name === 'SNSClient' ? 'sms' : 'aws', true));
    }
  });

  it('End User Messaging SMS and Secrets Manager too', async () => {
    const sms = endUserMessagingSmsSender('+447700900000') as unknown as { client: { config: unknown } };
    expect(await settingsOf(sms.client)).toEqual(expected('sms'));
    const secrets = integratorSecretsFromSecretsManager('arn:aws:secretsmanager:eu-west-2:1:secret:x') as unknown as { client: { config: unknown } };
    expect(await settingsOf(secrets.client)).toEqual(expected('aws'));
  });
});
