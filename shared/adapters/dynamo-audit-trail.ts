import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { TimelineEntry } from '../domain/types.ts';
import type { AuditTrail } from '../ports.ts';
import { canBeKey } from './dynamo-keys.ts';

/**
 * Who saw a person's details, as items of their own beside the referral (same partition,
 * `sk = AUDIT#<ulid>`, sortable by time): appending one is a PutItem that never touches the
 * referral's state item, so no view bumps its version or makes the next state write bigger.
 * Never updated and never deleted (no TTL): the audit trail outlives the details it records.
 */
const referralPk = (id: string) => `REFERRAL#${id}`;
const AUDIT_PREFIX = 'AUDIT#';

export class DynamoAuditTrail implements AuditTrail {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async recordView(referralId: string, entry: TimelineEntry): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        // The ulid carries the entry's own time, so the sort key orders entries as they happened.
        Item: { pk: referralPk(referralId), sk: `${AUDIT_PREFIX}${ulid(Date.parse(entry.at))}`, entry },
        // A fresh ulid never exists: the condition makes the write append-only in fact, not only by habit.
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async views(referralId: string): Promise<TimelineEntry[]> {
    if (!canBeKey({ pk: referralPk(referralId), sk: AUDIT_PREFIX })) return [];
    const entries: TimelineEntry[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
          ExpressionAttributeValues: { ':pk': referralPk(referralId), ':audit': AUDIT_PREFIX },
          ProjectionExpression: 'entry',
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) entries.push(item.entry as TimelineEntry);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return entries;
  }
}
