import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { AcceptLink, IdempotencyClaim, Referral, ReferralStore } from '../ports.ts';

/**
 * Single-item conditional writes only: DynamoDB transactions are not used, so the same code runs
 * on dynalite. A referral, its timeline and its pending effects live in one item, which is what
 * makes each state change atomic.
 */
const referralKey = (id: string) => ({ pk: `REFERRAL#${id}`, sk: 'REFERRAL' });
const linkKey = (id: string) => ({ pk: `LINK#${id}`, sk: 'LINK' });
const staffPageKey = (staffId: string, referralId: string) => ({
  pk: `STAFFPAGE#${staffId}`,
  sk: `REFERRAL#${referralId}`,
});

const isConditionFailure = (error: unknown) =>
  error instanceof ConditionalCheckFailedException ||
  (error instanceof Error && error.name === 'ConditionalCheckFailedException');

function toReferral(item: Record<string, unknown> | undefined): Referral | null {
  if (!item) return null;
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...referral } = item;
  return referral as unknown as Referral;
}

export class DynamoReferralStore implements ReferralStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claimIdempotencyKey(userId: string, key: string, claim: IdempotencyClaim): Promise<IdempotencyClaim | null> {
    const itemKey = { pk: `IDEMPOTENCY#${userId}#${key}`, sk: 'IDEMPOTENCY' };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...itemKey, ...claim },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return null;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKey, ConsistentRead: true }));
    return { referralId: String(Item?.referralId), fingerprint: String(Item?.fingerprint) };
  }

  async create(referral: Referral): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.item(referral),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async get(id: string): Promise<Referral | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: referralKey(id), ConsistentRead: true }),
    );
    return toReferral(Item);
  }

  async replace(referral: Referral): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.item(referral),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': referral.version - 1 },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async completeEffect(id: string, effectId: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: referralKey(id),
          UpdateExpression: 'REMOVE outbox.#effect SET version = version + :one',
          ConditionExpression: 'attribute_exists(outbox.#effect)',
          ExpressionAttributeNames: { '#effect': effectId },
          ExpressionAttributeValues: { ':one': 1 },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async indexPage(staffId: string, referralId: string, at: string): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...staffPageKey(staffId, referralId), referralId, at } }),
    );
  }

  async unindexPage(staffId: string, referralId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: staffPageKey(staffId, referralId) }));
  }

  async pagedReferralIds(staffId: string): Promise<string[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `STAFFPAGE#${staffId}` },
        ConsistentRead: true,
      }),
    );
    return Items.sort((a, b) => String(b.at).localeCompare(String(a.at))).map((item) => String(item.referralId));
  }

  async saveAcceptLink(link: AcceptLink): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...linkKey(link.id), ...link } }));
  }

  async getAcceptLink(id: string): Promise<AcceptLink | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: linkKey(id), ConsistentRead: true }));
    if (!Item) return null;
    return { id: Item.id, referralId: Item.referralId, staffId: Item.staffId, expiresAt: Item.expiresAt };
  }

  async useAcceptLink(id: string, now: Date): Promise<AcceptLink | 'used' | 'expired' | null> {
    const link = await this.getAcceptLink(id);
    if (!link) return null;
    if (Date.parse(link.expiresAt) <= now.getTime()) return 'expired';
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: linkKey(id),
          UpdateExpression: 'SET usedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt)',
          ExpressionAttributeValues: { ':now': now.toISOString() },
        }),
      );
      return link;
    } catch (error) {
      if (isConditionFailure(error)) return 'used';
      throw error;
    }
  }

  private item(referral: Referral) {
    return {
      ...referral,
      ...referralKey(referral.id),
      gsi1pk: `REFERRER#${referral.createdBy}`,
      gsi1sk: referral.createdAt,
    };
  }
}
