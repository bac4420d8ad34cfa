import { ConditionalCheckFailedException, DeleteItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ExpiryQuery, ItemKey } from './dynalite-expiry.ts';

/** A table whose items DynamoDB's TTL deletes, by its epoch-seconds attribute. */
export interface TtlTable {
  tableName: string;
  partitionKey: string;
  sortKey: string;
  attribute: string;
}

/** DynamoDB's TTL leaves alone items whose expiry is more than five years past (a value in milliseconds, say). */
const IGNORED_AFTER_SECONDS = 5 * 365 * 86_400;

/** Where the sweep learns which items have expired: read where dynalite runs (infra/local/dynalite-expiry.ts), not by a Scan. */
export type FindExpired = (query: ExpiryQuery) => Promise<ItemKey[]>;

/**
 * What DynamoDB's TTL does, which dynalite does not: deletes items whose numeric TTL attribute is
 * in the past, every so often. A string (an ISO date) is not a TTL value and is left alone, as AWS
 * leaves it. Each delete is conditional on the item still being expired, so an item whose expiry
 * was moved on in between is kept. Readers never rely on it: they treat an expired item as gone.
 */
export class TtlSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly dynamodb: DynamoDBClient,
    private readonly tables: readonly TtlTable[],
    private readonly options: { now: () => Date; intervalMs: number; onError: (error: unknown) => void; findExpired: FindExpired },
  ) {}

  /** Every interval, unless the last sweep is still going. */
  start(): void {
    this.timer = setInterval(() => {
      if (!this.running) this.sweep().catch(this.options.onError);
    }, this.options.intervalMs);
  }

  /** A sweep of every table that starts now (after the one under way, if any); how many items it deleted. */
  sweep(): Promise<number> {
    const next: Promise<number> = (this.running ?? Promise.resolve(0))
      .catch(() => 0)
      .then(() => Promise.all(this.tables.map((table) => this.sweepTable(table))))
      .then((counts) => counts.reduce((sum, n) => sum + n, 0))
      .finally(() => {
        if (this.running === next) this.running = undefined;
      });
    this.running = next;
    return next;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async sweepTable(table: TtlTable): Promise<number> {
    const now = Math.floor(this.options.now().getTime() / 1000);
    const expired = {
      expression: '#ttl < :now AND #ttl >= :oldest',
      names: { '#ttl': table.attribute },
      values: { ':now': { N: String(now) }, ':oldest': { N: String(now - IGNORED_AFTER_SECONDS) } } satisfies Record<string, AttributeValue>,
    };
    const { tableName, partitionKey, sortKey, attribute } = table;
    const keys = await this.options.findExpired({ tableName, partitionKey, sortKey, attribute, before: now, notBefore: now - IGNORED_AFTER_SECONDS });
    let deleted = 0;
    for (const key of keys) {
      try {
        await this.dynamodb.send(
          new DeleteItemCommand({
            TableName: tableName,
            Key: key,
            ConditionExpression: expired.expression,
            ExpressionAttributeNames: expired.names,
            ExpressionAttributeValues: expired.values,
          }),
        );
        deleted++;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException')) throw error;
      }
    }
    return deleted;
  }
}
