import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PROFILE_KEEP_DAYS, type ReferrerProfile } from '../domain/referrer-profile.ts';
import type { ReferrerProfiles } from '../ports.ts';

const profileKey = (userId: string) => ({ pk: `USER#${userId}`, sk: 'REFERRER_PROFILE' });

/** Referrers' own details in the referrals table (the web function already writes it), with a TTL. */
export class DynamoReferrerProfiles implements ReferrerProfiles {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(userId: string): Promise<ReferrerProfile | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: profileKey(userId) }));
    if (!Item || (typeof Item.expiresAt === 'number' && Item.expiresAt * 1000 <= this.now().getTime())) return null;
    return (Item.profile as ReferrerProfile | undefined) ?? null;
  }

  async put(userId: string, profile: ReferrerProfile): Promise<void> {
    const expiresAt = Math.ceil(this.now().getTime() / 1000) + PROFILE_KEEP_DAYS * 86_400;
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...profileKey(userId), profile, updatedAt: this.now().toISOString(), expiresAt } }));
  }
}
