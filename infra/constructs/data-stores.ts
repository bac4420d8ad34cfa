import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { QueueDefinition, QueueName, TableDefinition, TableName, TopicDefinition, TopicName } from '../definition.ts';
import { constructId, deadLetterForMetadata, mapRecord, markDefinitionKey } from './definition-keys.ts';

/** The longest SQS allows, so a dead letter waits as long as possible for someone to look at it. */
export const deadLetterRetention = Duration.days(14);

export interface DataStoresProps {
  key: IKey;
  tables: Record<TableName, TableDefinition>;
  queues: Record<QueueName, QueueDefinition>;
  topics: Record<TopicName, TopicDefinition>;
}

/** Tables, queues (each with its dead-letter queue) and topics, all encrypted with the one key. */
export class DataStores extends Construct {
  readonly tables: Record<TableName, Table>;
  readonly queues: Record<QueueName, Queue>;
  readonly deadLetterQueues: Record<QueueName, Queue>;
  readonly topics: Record<TopicName, Topic>;

  constructor(scope: Construct, id: string, props: DataStoresProps) {
    super(scope, id);
    const { key } = props;

    this.tables = mapRecord(props.tables, (definition, name) => {
      const table = new Table(this, constructId(name, 'Table'), {
        partitionKey: { name: definition.partitionKey, type: AttributeType.STRING },
        sortKey: { name: definition.sortKey, type: AttributeType.STRING },
        billingMode: BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: key,
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
        ...(definition.timeToLiveAttribute ? { timeToLiveAttribute: definition.timeToLiveAttribute } : {}),
      });
      for (const index of definition.indexes) {
        table.addGlobalSecondaryIndex({
          indexName: index.name,
          partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
          sortKey: { name: index.sortKey, type: AttributeType.STRING },
          projectionType: ProjectionType.ALL,
        });
      }
      markDefinitionKey(table, name);
      return table;
    });

    this.deadLetterQueues = mapRecord(props.queues, (_definition, name) => {
      const deadLetters = this.encryptedQueue(constructId(name, 'DeadLetterQueue'), key, {
        retentionPeriod: deadLetterRetention,
      });
      markDefinitionKey(deadLetters, name, deadLetterForMetadata);
      return deadLetters;
    });

    this.queues = mapRecord(props.queues, (definition, name) => {
      const queue = this.encryptedQueue(constructId(name, 'Queue'), key, {
        visibilityTimeout: Duration.seconds(definition.visibilityTimeoutSeconds),
        retentionPeriod: Duration.days(definition.retentionDays),
        deadLetterQueue: { queue: this.deadLetterQueues[name], maxReceiveCount: definition.maxReceiveCount },
      });
      markDefinitionKey(queue, name);
      return queue;
    });

    this.topics = mapRecord(props.topics, (definition, name) => {
      const topic = new Topic(this, constructId(name, 'Topic'), { masterKey: key, enforceSSL: true });
      if (definition.receivesSmsReplies) allowSmsRepliesTo(topic, key);
      markDefinitionKey(topic, name);
      return topic;
    });
  }

  /** Every queue of dutyline: KMS with the stack's key, TLS only. */
  encryptedQueue(id: string, key: IKey, props: Omit<QueueProps, 'encryption' | 'encryptionMasterKey' | 'enforceSSL'> = {}): Queue {
    return new Queue(this, id, {
      ...props,
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
    });
  }
}

/**
 * Two-way SMS: AWS End User Messaging SMS publishes replies to the topic as the service principal
 * `sms-voice.amazonaws.com` (the "use Amazon SNS topic policies" option), which also needs the
 * topic's key to encrypt. Both are limited to this account's identities in this region.
 */
function allowSmsRepliesTo(topic: Topic, key: IKey): void {
  const smsVoice = new ServicePrincipal('sms-voice.amazonaws.com');
  // The confused-deputy conditions of the End User Messaging SMS guide ("Topic policies for Amazon SNS topics").
  const fromThisAccount = {
    StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
    ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:sms-voice:${Aws.REGION}:${Aws.ACCOUNT_ID}:*` },
  };
  topic.addToResourcePolicy(
    new PolicyStatement({
      sid: 'EndUserMessagingSmsPublishesReplies',
      principals: [smsVoice],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: fromThisAccount,
    }),
  );
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: 'EndUserMessagingSmsEncryptsReplies',
      principals: [smsVoice],
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: ['*'],
      conditions: fromThisAccount,
    }),
  );
}
