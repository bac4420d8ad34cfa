/**
 * The AWS clients the adapters use, replaced by aws-sdk-client-mock: every `send` on a
 * DynamoDBDocumentClient, SQSClient or SNSClient in this process is answered here and recorded.
 * `tableHolds` makes a table answer Get and Query from a small list of stored items, so a test
 * reads like a data set; writes succeed and are inspected afterwards.
 */
import { SNSClient, PublishCommand, type PublishCommandInput } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, type SendMessageBatchCommandInput, SendMessageCommand, SQSClient, type SendMessageCommandInput } from '@aws-sdk/client-sqs';
import {
  BatchGetCommand,
  type BatchGetCommandInput,
  BatchWriteCommand,
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
  held.clear();
  dynamo.on(GetCommand).resolves({});
  // A batch of Gets answers from the items `storedAt` holds, as one Get each would.
  dynamo.on(BatchGetCommand).callsFake((input: BatchGetCommandInput) => ({
    Responses: Object.fromEntries(
      Object.entries(input.RequestItems ?? {}).map(([table, { Keys = [] }]) => [
        table,
        Keys.flatMap((key) => {
          const item = held.get(heldKey(table, String(key.pk), String(key.sk)));
          return item ? [structuredClone(item)] : [];
        }),
      ]),
    ),
  }));
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamo.on(PutCommand).resolves({});
  dynamo.on(BatchWriteCommand).resolves({});
  dynamo.on(UpdateCommand).resolves({});
  dynamo.on(DeleteCommand).resolves({});
  sqs.on(SendMessageCommand).resolves({ MessageId: 'sqs-message-id' });
  sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => ({
    Successful: (input.Entries ?? []).map((entry) => ({ Id: entry.Id, MessageId: `sqs-message-${entry.Id}`, MD5OfMessageBody: '' })),
    Failed: [],
  }));
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
      .callsFake((input: { ExpressionAttributeValues?: Record<string, unknown> }) => {
        // The audit trail's Query names its sort-key prefix; DynamoDB would answer only those items.
        const prefix = input.ExpressionAttributeValues?.[':audit'];
        return { Items: structuredClone(typeof prefix === 'string' ? partition.filter((item) => String(item.sk).startsWith(prefix)) : partition) };
      });
  }
  for (const [gsi1pk, partition] of groupBy(items, 'gsi1pk')) {
    dynamo
      .on(QueryCommand, { TableName: tableName, IndexName: 'gsi1', ExpressionAttributeValues: { ':pk': gsi1pk } })
      .callsFake(() => ({ Items: structuredClone(partition) }));
  }
}

const held = new Map<string, StoredItem>();
const heldKey = (table: string, pk: string, sk: string) => `${table}\u0000${pk}\u0000${sk}`;

/** One item, found by a Get (or a batch of Gets) on its key (a fresh copy each time, as from the wire). */
export function storedAt(tableName: string, item: StoredItem): void {
  held.set(heldKey(tableName, item.pk, item.sk), item);
  dynamo
    .on(GetCommand, { TableName: tableName, Key: { pk: item.pk, sk: item.sk } })
    .callsFake(() => ({ Item: structuredClone(item) }));
}

/**
 * Every item put so far, in order: by PutItem, or as one of a BatchWriteItem's put requests (shown
 * as a PutItem of its own, with the table name).
 */
export const puts = (): PutCommandInput[] =>
  dynamo.calls().flatMap((call): PutCommandInput[] => {
    const [command] = call.args;
    if (command instanceof PutCommand) return [command.input];
    if (!(command instanceof BatchWriteCommand)) return [];
    return Object.entries(command.input.RequestItems ?? {}).flatMap(([TableName, requests]) =>
      requests.flatMap((request) => (request.PutRequest?.Item ? [{ TableName, Item: request.PutRequest.Item }] : [])),
    );
  });
/** PutItems that wrote an item whose partition key starts with `prefix` (e.g. `REFERRAL#`). */
export const putsOf = (prefix: string) => puts().filter((input) => String(input.Item?.pk).startsWith(prefix));
export const updates = (): UpdateCommandInput[] => dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
export const deletes = (): DeleteCommandInput[] => dynamo.commandCalls(DeleteCommand).map((call) => call.args[0].input);
/** Calls that change a table: Put, Update, Delete. */
export const dynamoWrites = () => [...puts(), ...updates(), ...deletes()];
/** Every message sent so far, in order: by SendMessage, or as an entry of a SendMessageBatch (shown as a SendMessage of its own). */
export const sentMessages = (): SendMessageCommandInput[] =>
  sqs.calls().flatMap((call): SendMessageCommandInput[] => {
    const [command] = call.args;
    if (command instanceof SendMessageCommand) return [command.input];
    if (!(command instanceof SendMessageBatchCommand)) return [];
    return (command.input.Entries ?? []).map(({ MessageBody, DelaySeconds }) => ({
      QueueUrl: command.input.QueueUrl,
      MessageBody,
      ...(DelaySeconds === undefined ? {} : { DelaySeconds }),
    }));
  });
export const publishedSms = (): PublishCommandInput[] => sns.commandCalls(PublishCommand).map((call) => call.args[0].input);

/** The effect ids the flusher's UpdateItems ticked off (removed from the outbox), in order. */
export const completedEffects = () =>
  updates()
    .filter((input) => input.UpdateExpression?.startsWith('REMOVE outbox.'))
    .flatMap((input) => Object.entries(input.ExpressionAttributeNames ?? {}).filter(([alias]) => alias.startsWith('#e')).map(([, name]) => name));

export interface StateWrite {
  TableName?: string | undefined;
  /** The referral as written: the whole item of a PutItem; for an UpdateItem, what it set, with only the effects it added in `outbox`. */
  Item: Record<string, unknown>;
  ConditionExpression?: string | undefined;
  ExpressionAttributeValues?: Record<string, unknown> | undefined;
}

/**
 * Every write of a referral's state (not its details), in order: the PutItem that stores a new referral, and the
 * conditional UpdateItems of each change (shared/adapters/dynamo-referral-store.ts `replace`),
 * read back into the attributes they set.
 */
export function stateWrites(): StateWrite[] {
  return dynamo.calls().flatMap((call): StateWrite[] => {
    const input = call.args[0]?.input as (PutCommandInput & UpdateCommandInput) | undefined;
    if (!input) return [];
    if (call.args[0] instanceof PutCommand) {
      return String(input.Item?.pk).startsWith('REFERRAL#') && input.Item?.sk === 'REFERRAL' ? [{ TableName: input.TableName, Item: input.Item ?? {}, ConditionExpression: input.ConditionExpression, ExpressionAttributeValues: input.ExpressionAttributeValues }] : [];
    }
    if (!(call.args[0] instanceof UpdateCommand) || !String(input.Key?.pk).startsWith('REFERRAL#') || input.ConditionExpression !== 'version = :expected') return [];
    const names = input.ExpressionAttributeNames ?? {};
    const values = input.ExpressionAttributeValues ?? {};
    // The timeline is appended to, never sent whole: the state written is the held one's plus what the write adds.
    const heldTimeline = (held.get(heldKey(String(input.TableName), String(input.Key?.pk), String(input.Key?.sk)))?.timeline as unknown[] | undefined) ?? [];
    const item: Record<string, unknown> = { ...input.Key, outbox: {}, timeline: heldTimeline };
    const appendTimeline = 'timeline = list_append(timeline, :appended)';
    const expression = input.UpdateExpression ?? '';
    if (expression.includes(appendTimeline)) item.timeline = [...heldTimeline, ...(values[':appended'] as unknown[])];
    for (const assignment of expression.replace(appendTimeline, 'timeline = :appended').replace(/^SET /, '').split(' REMOVE ')[0]?.split(', ') ?? []) {
      if (assignment === 'timeline = :appended') continue;
      const [path = '', value = ''] = assignment.split(' = ');
      if (path.startsWith('outbox.')) (item.outbox as Record<string, unknown>)[names[path.slice('outbox.'.length)] ?? ''] = values[value];
      else item[names[path] ?? path] = values[value];
    }
    return [{ TableName: input.TableName, Item: item, ConditionExpression: input.ConditionExpression, ExpressionAttributeValues: values }];
  });
}
