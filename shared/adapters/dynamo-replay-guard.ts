import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ReplayGuard } from '../ports.ts';

/**
 * One item per key, written only if absent: two deliveries of the same signed request race on a
 * DynamoDB conditional write, so exactly one wins across every Lambda instance. `expiresAt` is an
 * epoch-seconds attribute a table TTL can use; an expired claim may be taken again.
 */
export class DynamoReplayGuard implements ReplayGuard {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async claim(key: string, expiresAt: Date): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: `REPLAY#${key}`, sk: 'REPLAY', expiresAt: Math.ceil(expiresAt.getTime() / 1000) },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': Math.floor(this.now().getTime() / 1000) },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || (error instanceof Error && error.name === 'ConditionalCheckFailedException')) {
        return false;
      }
      throw error;
    }
  }
}
