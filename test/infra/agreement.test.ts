import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import cdkJson from '../../cdk.json' with { type: 'json' };
import { servedRoutes } from '../../infra/local/http-api.ts';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { DutylineStack } from '../../infra/stack.ts';
import { describeTemplate, normalise, type InfrastructureDescription } from './describe-template.ts';

/**
 * One definition drives both deployments: what the synthesized CloudFormation template defines
 * must be what the local runtime actually created in its emulators and wired to its functions.
 */

let runtime: LocalRuntime;

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, seed: false });
});

afterAll(async () => {
  await runtime?.stop();
});

async function describeLocalRuntime(): Promise<InfrastructureDescription> {
  const dynamodb = new DynamoDBClient({
    region: 'eu-west-2',
    endpoint: runtime.emulators.dynamodbEndpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const keyOf = (schema: { AttributeName?: string; KeyType?: string }[] = []) => ({
    partitionKey: schema.find((k) => k.KeyType === 'HASH')?.AttributeName ?? '',
    sortKey: schema.find((k) => k.KeyType === 'RANGE')?.AttributeName ?? '',
  });
  const tables = await Promise.all(
    Object.entries(runtime.resources.tableNames).map(async ([key, TableName]) => {
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName }));
      return {
        key,
        ...keyOf(Table?.KeySchema),
        indexes: (Table?.GlobalSecondaryIndexes ?? []).map((index) => ({ name: index.IndexName ?? '', ...keyOf(index.KeySchema) })),
        // dynalite has no TTL: the runtime's sweep stands in for it.
        timeToLive: runtime.wiring.timeToLive.find((sweep) => sweep.table === key)?.attribute ?? null,
      };
    }),
  );
  dynamodb.destroy();
  const queues = await Promise.all(
    Object.entries(runtime.resources.queueUrls).map(async ([key, QueueUrl]) => {
      const { Attributes = {} } = await runtime.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout', 'RedrivePolicy'] }),
      );
      return {
        key,
        visibilityTimeoutSeconds: Number(Attributes.VisibilityTimeout),
        maxReceiveCount: Number(JSON.parse(Attributes.RedrivePolicy ?? '{}').maxReceiveCount ?? 0),
      };
    }),
  );
  return {
    tables,
    queues,
    queueTriggers: runtime.wiring.queueTriggers,
    topicTriggers: runtime.wiring.topicTriggers,
    scheduleTriggers: runtime.wiring.scheduleTriggers,
    routes: servedRoutes().map(({ method, path, function: fn, auth }) => ({ method, path, function: fn, auth })),
  };
}

describe('the local runtime and the CDK stack', () => {
  it('define the same tables and indexes, time-to-live attributes, queues, dead-letter redrives, queue, topic and schedule triggers, and routes', async () => {
    const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
    const stack = new DutylineStack(app, 'Dutyline');
    const synthesized = normalise(describeTemplate(Template.fromStack(stack).toJSON()));
    const local = normalise(await describeLocalRuntime());
    expect(local).toEqual(synthesized);
    expect(synthesized.tables.length).toBeGreaterThan(0);
    expect(synthesized.tables.find((table) => table.key === 'referrals')?.timeToLive).toBe('expiresAt');
    expect(synthesized.queueTriggers.length).toBeGreaterThan(0);
    expect(synthesized.scheduleTriggers.length).toBeGreaterThan(0);
  });
});
