import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  queues,
  tables,
  topics,
  type QueueName,
  type TableName,
  type TopicName,
} from '../definition.ts';

export interface ProvisionedResources {
  tableNames: Record<TableName, string>;
  queueUrls: Record<QueueName, string>;
  deadLetterQueueUrls: Record<QueueName, string>;
  topicArns: Record<TopicName, string>;
  /** Queues that stand in for SNS → Lambda delivery: one per topic, subscribed to it. */
  topicDeliveryQueueUrls: Record<TopicName, string>;
}

const DAY_SECONDS = 86_400;

async function createQueue(sqs: SQSClient, name: string, attributes: Record<string, string>) {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  if (!QueueUrl) throw new Error(`queue ${name} was not created`);
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl, arn: Attributes?.QueueArn ?? '' };
}

/** Creates, from definition.ts, the same tables, queues (with DLQs) and topics as the CDK stack. */
export async function provision(
  clients: { dynamodb: DynamoDBClient; sqs: SQSClient; sns: SNSClient },
  prefix: string,
): Promise<ProvisionedResources> {
  const tableNames = {} as Record<TableName, string>;
  for (const [key, table] of Object.entries(tables) as [TableName, (typeof tables)[TableName]][]) {
    const name = `${prefix}-${key}`;
    const attributes = [table.partitionKey, table.sortKey, ...table.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
    await clients.dynamodb.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...new Set(attributes)].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: table.partitionKey, KeyType: 'HASH' },
          { AttributeName: table.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: table.indexes.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );
    tableNames[key] = name;
  }

  const queueUrls = {} as Record<QueueName, string>;
  const deadLetterQueueUrls = {} as Record<QueueName, string>;
  for (const [key, queue] of Object.entries(queues) as [QueueName, (typeof queues)[QueueName]][]) {
    const dlq = await createQueue(clients.sqs, `${prefix}-${key}-dlq`, { MessageRetentionPeriod: String(14 * DAY_SECONDS) });
    const main = await createQueue(clients.sqs, `${prefix}-${key}`, {
      VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
      MessageRetentionPeriod: String(queue.retentionDays * DAY_SECONDS),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: String(queue.maxReceiveCount) }),
    });
    queueUrls[key] = main.url;
    deadLetterQueueUrls[key] = dlq.url;
  }

  const topicArns = {} as Record<TopicName, string>;
  const topicDeliveryQueueUrls = {} as Record<TopicName, string>;
  for (const key of Object.keys(topics) as TopicName[]) {
    const { TopicArn } = await clients.sns.send(new CreateTopicCommand({ Name: `${prefix}-${key}` }));
    if (!TopicArn) throw new Error(`topic ${key} was not created`);
    const dlq = await createQueue(clients.sqs, `${prefix}-${key}-delivery-dlq`, {});
    const delivery = await createQueue(clients.sqs, `${prefix}-${key}-delivery`, {
      VisibilityTimeout: '30',
      // Lambda retries an asynchronous SNS delivery twice before giving up.
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: '3' }),
    });
    await clients.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: delivery.arn }));
    topicArns[key] = TopicArn;
    topicDeliveryQueueUrls[key] = delivery.url;
  }
  return { tableNames, queueUrls, deadLetterQueueUrls, topicArns, topicDeliveryQueueUrls };
}
