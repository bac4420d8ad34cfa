import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SmsQuota } from '../ports.ts';

/**
 * Fixed-window counters, one item per key and window, taken by a conditional increment so that
 * concurrent Lambdas share the limit. `expiresAt` lets DynamoDB's TTL clear old windows.
 */
export class DynamoSmsQuota implements SmsQuota {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async take(key: string, limit: number, windowSeconds: number, now: Date): Promise<boolean> {
    const windowStart = Math.floor(now.getTime() / 1000 / windowSeconds) * windowSeconds;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `QUOTA#${key}`, sk: String(windowStart) },
          UpdateExpression: 'ADD #count :one SET expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expires': windowStart + 2 * windowSeconds },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException') {
        return false;
      }
      throw error;
    }
  }
}
