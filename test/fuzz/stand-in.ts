/**
 * A fast, in-process stand-in for DynamoDB, SQS and SNS behind the production adapters, for
 * fuzzing handlers tens of thousands of times: no SDK middleware, no network. It holds a small
 * data set (test/support/dataset.ts), answers Get and Query from it, applies Puts, counts every
 * write, and refuses what DynamoDB refuses that a fuzzed input can reach: empty or oversized key
 * values and oversized items. Each case starts from the same data (`reset()` drops its writes).
 */
import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException, DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { tables } from '../../infra/definition.ts';
import { LocalIdentityProvider } from '../../infra/local/identity.ts';
import { DynamoDirectoryStore } from '../../shared/adapters/dynamo-directory-store.ts';
import { DynamoAuditTrail } from '../../shared/adapters/dynamo-audit-trail.ts';
import { DynamoReferralStore } from '../../shared/adapters/dynamo-referral-store.ts';
import { DynamoReplayGuard } from '../../shared/adapters/dynamo-replay-guard.ts';
import { DynamoStaffPreferences } from '../../shared/adapters/dynamo-staff-preferences.ts';
import { DynamoPhoneVerifications } from '../../shared/adapters/dynamo-phone-verifications.ts';
import { DynamoSmsQuota } from '../../shared/adapters/dynamo-sms-quota.ts';
import { HmacLinkSigner } from '../../shared/adapters/hmac-link-signer.ts';
import { RetryingSmsSender } from '../../shared/adapters/retrying-sms.ts';
import { StaticIntegratorSecrets } from '../../shared/adapters/secrets-manager-integrators.ts';
import { SnsSmsSender } from '../../shared/adapters/sns-sms.ts';
import { SqsReferralQueue, SqsTimerQueue } from '../../shared/adapters/sqs-queues.ts';
import { defaultRetention } from '../../shared/domain/retention.ts';
import type { Dependencies, Log, Metrics } from '../../shared/ports.ts';
import type { StoredItem } from '../support/aws.ts';
import { NOW, PUBLIC_BASE_URL, QUEUES, TABLES } from '../support/dependencies.ts';

type Item = Record<string, unknown>;

/** DynamoDB's own limits (bytes, UTF-8). */
const MAX_PARTITION_KEY = 2048;
const MAX_SORT_KEY = 1024;
const MAX_ITEM = 400 * 1024;

class ValidationException extends DynamoDBServiceException {
  constructor(message: string) {
    super({ name: 'ValidationException', $fault: 'client', $metadata: { httpStatusCode: 400 }, message });
  }
}

const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

/** Which attributes key each table and index: from the same definition the stack is built from. */
const keyAttributes = (tableName: string, indexName?: string) => {
  const table = tableName === TABLES.directory ? tables.directory : tables.referrals;
  const index = indexName ? table.indexes.find((i) => i.name === indexName) : undefined;
  return index ? { pk: index.partitionKey, sk: index.sortKey } : { pk: table.partitionKey, sk: table.sortKey };
};

function checkKeyValue(value: unknown, limit: number, what: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new ValidationException(`${what} must be a non-empty string`);
  if (Buffer.byteLength(value) > limit) throw new ValidationException(`${what} exceeds ${limit} bytes`);
  // DynamoDB's wire format is JSON: a lone surrogate cannot be sent as UTF-8.
  if (!value.isWellFormed()) throw new ValidationException(`${what} is not valid UTF-8`);
  return value;
}

/** Index key attributes, when present, must be valid keys too, or DynamoDB refuses the write. */
function checkItem(tableName: string, item: Item): void {
  const table = tableName === TABLES.directory ? tables.directory : tables.referrals;
  checkKeyValue(item[table.partitionKey], MAX_PARTITION_KEY, 'partition key');
  checkKeyValue(item[table.sortKey], MAX_SORT_KEY, 'sort key');
  for (const index of table.indexes) {
    if (item[index.partitionKey] !== undefined) checkKeyValue(item[index.partitionKey], MAX_PARTITION_KEY, `${index.name} partition key`);
    if (item[index.sortKey] !== undefined) checkKeyValue(item[index.sortKey], MAX_SORT_KEY, `${index.name} sort key`);
  }
  if (JSON.stringify(item, (_k, v: unknown) => (v instanceof Set ? [...v] : v)).length > MAX_ITEM) {
    throw new ValidationException('Item size has exceeded the maximum allowed size');
  }
}

function keyOf(tableName: string, key: Item | undefined): string {
  const pk = checkKeyValue(key?.pk, MAX_PARTITION_KEY, 'partition key');
  const sk = checkKeyValue(key?.sk, MAX_SORT_KEY, 'sort key');
  return `${tableName}\u0000${pk}\u0000${sk}`;
}

export interface WriteCounts {
  dynamo: number;
  sqs: number;
  sns: number;
  /** Replay-guard claims (`REPLAY#…`): written before a signed request's body is read, by design. */
  replayMarks: number;
}

export class StandInAws {
  private readonly base = new Map<string, { table: string; item: Item }>();
  private overlay = new Map<string, { table: string; item: Item } | null>();
  readonly writes: WriteCounts = { dynamo: 0, sqs: 0, sns: 0, replayMarks: 0 };
  readonly commands: string[] = [];

  /** Items every case starts from. */
  hold(tableName: string, items: StoredItem[]): void {
    for (const item of items) this.base.set(keyOf(tableName, item), { table: tableName, item: structuredClone(item) });
  }

  /** Back to the held items; write counts to zero. */
  reset(): void {
    this.overlay = new Map();
    this.writes.dynamo = this.writes.sqs = this.writes.sns = this.writes.replayMarks = 0;
    this.commands.length = 0;
  }

  totalWrites(options: { exceptReplayMarks?: boolean } = {}): number {
    const { dynamo, sqs, sns, replayMarks } = this.writes;
    return dynamo + sqs + sns - (options.exceptReplayMarks ? replayMarks : 0);
  }

  private read(key: string): Item | undefined {
    const found = this.overlay.has(key) ? this.overlay.get(key) : this.base.get(key);
    return found ? found.item : undefined;
  }

  private write(table: string, item: Item): void {
    checkItem(table, item);
    this.overlay.set(keyOf(table, item), { table, item });
  }

  private *partition(tableName: string, attribute: string, value: string): Generator<Item> {
    const seen = new Set<string>();
    for (const [key, entry] of this.overlay) {
      seen.add(key);
      if (entry && entry.table === tableName && entry.item[attribute] === value) yield entry.item;
    }
    for (const [key, entry] of this.base) {
      if (!seen.has(key) && entry.table === tableName && entry.item[attribute] === value) yield entry.item;
    }
  }

  private countWrite(item: Item | undefined): void {
    this.writes.dynamo++;
    if (String(item?.pk ?? '').startsWith('REPLAY#')) this.writes.replayMarks++;
  }

  /** What `DynamoDBDocumentClient.send` answers. */
  private async dynamo(command: unknown): Promise<unknown> {
    if (command instanceof GetCommand) {
      const { TableName = '', Key } = command.input;
      const item = this.read(keyOf(TableName, Key));
      return { Item: item ? structuredClone(item) : undefined };
    }
    if (command instanceof QueryCommand) {
      const { TableName = '', IndexName, ExpressionAttributeValues = {}, Limit, KeyConditionExpression = '' } = command.input;
      const { pk } = keyAttributes(TableName, IndexName);
      const value = checkKeyValue(ExpressionAttributeValues[':pk'] ?? ExpressionAttributeValues[':pending'] ?? ExpressionAttributeValues[':next'], MAX_PARTITION_KEY, 'partition key');
      // A sort-key prefix (the audit trail's `begins_with(sk, :audit)`) narrows the partition as DynamoDB would.
      const prefixName = /begins_with\(sk, (:\w+)\)/.exec(KeyConditionExpression)?.[1];
      const prefix = prefixName ? String(ExpressionAttributeValues[prefixName]) : '';
      const items = [...this.partition(TableName, pk, value)].filter((item) => String(item.sk ?? '').startsWith(prefix)).map((item) => structuredClone(item));
      return { Items: Limit ? items.slice(0, Limit) : items };
    }
    if (command instanceof PutCommand) {
      const { TableName = '', Item: item = {}, ConditionExpression, ExpressionAttributeValues = {} } = command.input;
      const existing = this.read(keyOf(TableName, item));
      if (existing && ConditionExpression?.startsWith('attribute_not_exists(pk)')) {
        const lapsed =
          (ConditionExpression.includes('#until < :now') && String(existing.until) < String(ExpressionAttributeValues[':now'])) ||
          (ConditionExpression.includes('expiresAt < :now') && Number(existing.expiresAt) < Number(ExpressionAttributeValues[':now']));
        if (!lapsed) throw conditionFailed();
      }
      if (ConditionExpression === 'version = :expected' && existing?.version !== ExpressionAttributeValues[':expected']) throw conditionFailed();
      this.countWrite(item);
      this.write(TableName, structuredClone(item));
      return { Attributes: command.input.ReturnValues === 'ALL_OLD' ? existing : undefined };
    }
    if (command instanceof UpdateCommand) {
      const { TableName = '', Key, ConditionExpression, ExpressionAttributeNames = {} } = command.input;
      const existing = this.read(keyOf(TableName, Key));
      if (ConditionExpression?.startsWith('attribute_exists(outbox.#effect)')) {
        const effect = ExpressionAttributeNames['#effect'] ?? '';
        if (!(existing?.outbox as Item | undefined)?.[effect]) throw conditionFailed();
      }
      if (ConditionExpression?.startsWith('attribute_exists(pk)') && !existing) throw conditionFailed();
      this.countWrite(Key);
      // Only the outbox tick-off is applied: the other updates touch counters and markers the
      // handlers read back only in later invocations.
      if (existing && command.input.UpdateExpression?.startsWith('REMOVE outbox.#effect')) {
        const outbox = { ...(existing.outbox as Item) };
        delete outbox[ExpressionAttributeNames['#effect'] ?? ''];
        const updated = { ...existing, outbox, version: Number(existing.version) + 1 };
        this.write(TableName, updated);
        return { Attributes: structuredClone(updated) };
      }
      return { Attributes: existing ? structuredClone(existing) : undefined };
    }
    if (command instanceof DeleteCommand) {
      const { TableName = '', Key } = command.input;
      const key = keyOf(TableName, Key);
      this.countWrite(Key);
      const existing = this.read(key);
      if (existing) this.overlay.set(key, null);
      return {};
    }
    if (command instanceof BatchGetCommand) {
      const Responses: Record<string, Item[]> = {};
      for (const [tableName, { Keys = [] }] of Object.entries(command.input.RequestItems ?? {})) {
        Responses[tableName] = Keys.flatMap((key) => {
          const item = this.read(keyOf(tableName, key));
          return item ? [structuredClone(item)] : [];
        });
      }
      return { Responses, UnprocessedKeys: {} };
    }
    if (command instanceof BatchWriteCommand) {
      for (const [tableName, requests] of Object.entries(command.input.RequestItems ?? {})) {
        for (const request of requests) {
          if (request.PutRequest?.Item) {
            this.countWrite(request.PutRequest.Item);
            this.write(tableName, structuredClone(request.PutRequest.Item));
          } else if (request.DeleteRequest?.Key) {
            this.countWrite(request.DeleteRequest.Key);
            this.overlay.set(keyOf(tableName, request.DeleteRequest.Key), null);
          }
        }
      }
      return { UnprocessedItems: {} };
    }
    throw new Error(`the stand-in does not know ${(command as object).constructor.name}`);
  }

  /** Clients with the one method the adapters call. */
  readonly clients = {
    db: {
      send: (command: unknown) => {
        this.commands.push((command as object).constructor.name);
        return this.dynamo(command);
      },
    } as unknown as DynamoDBDocumentClient,
    sqs: {
      send: async (command: unknown) => {
        if (command instanceof SendMessageBatchCommand) {
          this.commands.push('SendMessageBatchCommand');
          const entries = command.input.Entries ?? [];
          if (entries.length > 10 || entries.some((entry) => Buffer.byteLength(entry.MessageBody ?? '') > 256 * 1024)) throw new Error('batch too big');
          this.writes.sqs += entries.length;
          return { Successful: entries.map((entry) => ({ Id: entry.Id, MessageId: randomBytes(8).toString('hex'), MD5OfMessageBody: '' })), Failed: [] };
        }
        if (!(command instanceof SendMessageCommand)) throw new Error('the stand-in SQS only sends');
        this.commands.push('SendMessageCommand');
        if (Buffer.byteLength(command.input.MessageBody ?? '') > 256 * 1024) throw new Error('message too long');
        this.writes.sqs++;
        return { MessageId: randomBytes(8).toString('hex') };
      },
    } as unknown as SQSClient,
    sns: {
      send: async (command: unknown) => {
        if (!(command instanceof PublishCommand)) throw new Error('the stand-in SNS only publishes');
        this.commands.push('PublishCommand');
        this.writes.sns++;
        return { MessageId: randomBytes(8).toString('hex') };
      },
    } as unknown as SNSClient,
  };
}

/** Signs accept links and calendar feeds. */
export const LINK_SECRET = 'fuzz-link-secret';
export const FUZZ_INTEGRATOR = 'fuzz-telephony';
export const FUZZ_INTEGRATOR_SECRET = 'fuzz-telephony-secret-of-at-least-32-characters';

const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };
const noMetrics: Metrics = { count: () => undefined, duration: () => undefined };

/** The production adapters on the stand-in, with a fixed clock; the local identity provider signs sessions. */
export function standInDependencies(aws: StandInAws, options: { log?: Log } = {}): Dependencies & { identity: LocalIdentityProvider } {
  const now = () => new Date(NOW);
  const { db, sqs, sns } = aws.clients;
  const directory = new DynamoDirectoryStore(db, TABLES.directory);
  const identity = new LocalIdentityProvider(directory);
  return {
    referrals: new DynamoReferralStore(db, TABLES.referrals, now),
    audit: new DynamoAuditTrail(db, TABLES.referrals),
    directory,
    referralQueue: new SqsReferralQueue(sqs, QUEUES.referrals),
    timers: new SqsTimerQueue(sqs, QUEUES.escalationTimers),
    sms: new RetryingSmsSender(new SnsSmsSender(sns)),
    smsQuota: new DynamoSmsQuota(db, TABLES.referrals),
    phoneVerifications: new DynamoPhoneVerifications(db, TABLES.directory),
    staffPreferences: new DynamoStaffPreferences(db, TABLES.directory),
    linkSigner: new HmacLinkSigner(async () => LINK_SECRET),
    retention: defaultRetention,
    clock: { now },
    log: options.log ?? silent,
    publicBaseUrl: PUBLIC_BASE_URL,
    metrics: noMetrics,
    replayGuard: new DynamoReplayGuard(db, TABLES.referrals, now),
    sessions: identity.sessionVerifier,
    signIn: identity,
    integratorSecrets: new StaticIntegratorSecrets({ [FUZZ_INTEGRATOR]: FUZZ_INTEGRATOR_SECRET }),
    identity,
  };
}
