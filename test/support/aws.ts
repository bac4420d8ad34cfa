/**
 * The AWS clients the adapters use, replaced by aws-sdk-client-mock: every `send` on a
 * DynamoDBDocumentClient, SQSClient or SNSClient in this process is answered here and recorded.
 * `tableHolds` makes a table answer Get and Query from a small list of stored items, so a test
 * reads like a data set; writes succeed and are inspected afterwards.
 */
import { SNSClient, PublishCommand, type PublishCommandInput } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient, type SendMessageCommandInput } from '@aws-sdk/client-sqs';
import {
  DeleteCommand,
  type DeleteCommandInput,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

export const dynamo = mockClient(DynamoDBDocumentClient);
export const sqs = mockClient(SQSClient);
export const sns = mockClient(SNSClient);

/** An item as DynamoDB stores it: the table's keys beside the attributes (plain JS, as lib-dynamodb returns). */
export type StoredItem = Record<string, unknown> & { pk: string; sk: string };

/**
 * Forgets every earlier answer and call. Afterwards every table is empty, every write succeeds,
 * and SQS and SNS accept every message.
 */
export function resetAws(): void {
  dynamo.reset();
  sqs.reset();
  sns.reset();
  dynamo.on(GetCommand).resolves({});
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamo.on(PutCommand).resolves({});
  dynamo.on(UpdateCommand).resolves({});
  dynamo.on(DeleteCommand).resolves({});
  sqs.on(SendMessageCommand).resolves({ MessageId: 'sqs-message-id' });
  sns.on(PublishCommand).resolves({ MessageId: 'sns-message-id' });
}

const groupBy = (items: StoredItem[], key: 'pk' | 'gsi1pk') => {
  const groups = new Map<string, StoredItem[]>();
  for (const item of items) {
    const value = item[key];
    if (typeof value === 'string') groups.set(value, [...(groups.get(value) ?? []), item]);
  }
  return groups;
};

/**
 * The table `tableName` holds these items: a Get by key returns the item, and a Query on a
 * partition (of the table or of its `gsi1` index) returns that partition's items. Sort-key
 * conditions and filters are left to the code under test, which checks times itself.
 * Later calls win, so a test may replace one item (or make its Get fail) after this.
 */
export function tableHolds(tableName: string, items: StoredItem[]): void {
  for (const item of items) storedAt(tableName, item);
  for (const [pk, partition] of groupBy(items, 'pk')) {
    dynamo
      .on(QueryCommand, { TableName: tableName, ExpressionAttributeValues: { ':pk': pk } })
      .callsFake(() => ({ Items: structuredClone(partition) }));
  }
  for (const [gsi1pk, partition] of groupBy(items, 'gsi1pk')) {
    dynamo
      .on(QueryCommand, { TableName: tableName, IndexName: 'gsi1', ExpressionAttributeValues: { ':pk': gsi1pk } })
      .callsFake(() => ({ Items: structuredClone(partition) }));
  }
}

/** One item, found by a Get on its key (a fresh copy each time, as from the wire). */
export function storedAt(tableName: string, item: StoredItem): void {
  dynamo
    .on(GetCommand, { TableName: tableName, Key: { pk: item.pk, sk: item.sk } })
    .callsFake(() => ({ Item: structuredClone(item) }));
}

/** Every PutItem sent so far, in order. */
export const puts = (): PutCommandInput[] => dynamo.commandCalls(PutCommand).map((call) => call.args[0].input);
/** PutItems that wrote an item whose partition key starts with `prefix` (e.g. `REFERRAL#`). */
export const putsOf = (prefix: string) => puts().filter((input) => String(input.Item?.pk).startsWith(prefix));
export const updates = (): UpdateCommandInput[] => dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
export const deletes = (): DeleteCommandInput[] => dynamo.commandCalls(DeleteCommand).map((call) => call.args[0].input);
/** Calls that change a table: Put, Update, Delete. */
export const dynamoWrites = () => [...puts(), ...updates(), ...deletes()];
export const sentMessages = (): SendMessageCommandInput[] => sqs.commandCalls(SendMessageCommand).map((call) => call.args[0].input);
export const publishedSms = (): PublishCommandInput[] => sns.commandCalls(PublishCommand).map((call) => call.args[0].input);

/** The effect ids a completeEffect UpdateItem ticked off, in order. */
export const completedEffects = () =>
  updates()
    .filter((input) => input.UpdateExpression?.startsWith('REMOVE outbox.#effect'))
    .map((input) => input.ExpressionAttributeNames?.['#effect']);
