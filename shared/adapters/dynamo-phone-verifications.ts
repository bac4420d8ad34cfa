import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PhoneCode } from '../domain/phone-verification.ts';
import type { PhoneVerifications } from '../ports.ts';
import { canBeKey } from './dynamo-keys.ts';

/**
 * In the directory table, beside the staff record: one pending code per staff member
 * (`STAFF#<id>` / `PHONECODE`), replaced by each new send; the proof itself is the staff record's
 * `phoneVerification`, written only while the record still holds the proven number.
 */
const codeKey = (staffId: string) => ({ pk: `STAFF#${staffId}`, sk: 'PHONECODE' });
const staffKey = (staffId: string) => ({ pk: `STAFF#${staffId}`, sk: 'STAFF' });

const conditionFailed = (error: unknown) =>
  error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException';

export class DynamoPhoneVerifications implements PhoneVerifications {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async saveCode(code: PhoneCode): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...codeKey(code.staffId), ...code } }));
  }

  async getCode(staffId: string): Promise<PhoneCode | null> {
    if (!canBeKey(codeKey(staffId))) return null;
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: codeKey(staffId), ConsistentRead: true }));
    if (!Item) return null;
    const { pk: _pk, sk: _sk, ...code } = Item;
    return code as PhoneCode;
  }

  /** Counts a try at the code sent at `sentAt` (not a newer one), if it has tries left; the count after, or null. */
  async countAttempt(staffId: string, sentAt: string, maxAttempts: number): Promise<number | null> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: codeKey(staffId),
          UpdateExpression: 'ADD attempts :one',
          ConditionExpression: 'sentAt = :sentAt AND attempts < :max',
          ExpressionAttributeValues: { ':one': 1, ':sentAt': sentAt, ':max': maxAttempts },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return typeof Attributes?.attempts === 'number' ? Attributes.attempts : null;
    } catch (error) {
      if (conditionFailed(error)) return null;
      throw error;
    }
  }

  async deleteCode(staffId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: codeKey(staffId) }));
  }

  async markVerified(staffId: string, phone: string, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: staffKey(staffId),
          UpdateExpression: 'SET phoneVerification = :proof',
          // The number may have been changed since the code went: then the code proves nothing.
          ConditionExpression: 'phone = :phone',
          ExpressionAttributeValues: { ':proof': { phone, at }, ':phone': phone },
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  async unverify(staffId: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: staffKey(staffId),
          UpdateExpression: 'REMOVE phoneVerification',
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
    } catch (error) {
      if (!conditionFailed(error)) throw error;
    }
  }
}
