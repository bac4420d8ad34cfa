import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StaffPreferences } from '../ports.ts';
import { canBeKey } from './dynamo-keys.ts';

/**
 * A person's own choices, each an attribute of their staff record (`STAFF#<id>` / `STAFF`) set by
 * one UpdateItem, so that a choice made by SMS never rewrites the rest of the record (a phone
 * proven at the same moment, an administrator's edit).
 */
const staffKey = (staffId: string) => ({ pk: `STAFF#${staffId}`, sk: 'STAFF' });

export class DynamoStaffPreferences implements StaffPreferences {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async setShiftNotices(staffId: string, on: boolean): Promise<boolean> {
    if (!canBeKey(staffKey(staffId))) return false;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: staffKey(staffId),
          UpdateExpression: 'SET shiftNotices = :on',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':on': on },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}
