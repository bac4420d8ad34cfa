import {
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Shift, Staff, Team } from '../domain/types.ts';
import type { DirectoryStore } from '../ports.ts';

/** Shifts longer than this are refused at upload, so "who is on at t" needs one bounded Query. */
export const MAX_SHIFT_HOURS = 48;

const teamKey = (id: string) => ({ pk: `TEAM#${id}`, sk: 'TEAM' });
const areaKey = (district: string) => ({ pk: `AREA#${district}`, sk: 'AREA' });
const staffKey = (id: string) => ({ pk: `STAFF#${id}`, sk: 'STAFF' });
const rotaPk = (teamId: string) => `ROTA#${teamId}`;
const shiftSk = (shift: Shift) => `SHIFT#${shift.start}#${shift.id}`;

function strip<T>(item: Record<string, unknown> | undefined): T | null {
  if (!item) return null;
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...rest } = item;
  return rest as T;
}

export class DynamoDirectoryStore implements DirectoryStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putTeam(team: Team): Promise<void> {
    const previous = await this.getTeam(team.id);
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...teamKey(team.id), ...team } }));
    const dropped = (previous?.areas ?? []).filter((area) => !team.areas.includes(area));
    await this.batchWrite([
      ...team.areas.map((district) => ({ PutRequest: { Item: { ...areaKey(district), teamId: team.id } } })),
      ...dropped.map((district) => ({ DeleteRequest: { Key: areaKey(district) } })),
    ]);
  }

  async getTeam(id: string): Promise<Team | null> {
    return strip<Team>((await this.db.send(new GetCommand({ TableName: this.tableName, Key: teamKey(id) }))).Item);
  }

  async teamForDistrict(district: string): Promise<Team | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: areaKey(district) }));
    return Item ? this.getTeam(String(Item.teamId)) : null;
  }

  async putStaff(staff: Staff): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...staffKey(staff.id), ...staff, gsi1pk: `PHONE#${staff.phone}`, gsi1sk: `STAFF#${staff.id}` },
      }),
    );
  }

  async getStaff(id: string): Promise<Staff | null> {
    return strip<Staff>((await this.db.send(new GetCommand({ TableName: this.tableName, Key: staffKey(id) }))).Item);
  }

  async staffByPhone(phone: string): Promise<Staff | null> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': `PHONE#${phone}` },
        Limit: 1,
      }),
    );
    return strip<Staff>(Items[0]);
  }

  async replaceRota(teamId: string, shifts: Shift[]): Promise<void> {
    const existing = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': rotaPk(teamId) },
      ProjectionExpression: 'pk, sk',
    });
    const keep = new Set(shifts.map(shiftSk));
    await this.batchWrite([
      ...shifts.map((shift) => ({ PutRequest: { Item: { pk: rotaPk(teamId), sk: shiftSk(shift), ...shift } } })),
      ...existing
        .filter((item) => !keep.has(String(item.sk)))
        .map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })),
    ]);
  }

  async shiftsAt(teamId: string, at: Date): Promise<Shift[]> {
    const earliestStart = new Date(at.getTime() - MAX_SHIFT_HOURS * 3_600_000).toISOString();
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      FilterExpression: '#end > :at',
      ExpressionAttributeNames: { '#end': 'end' },
      ExpressionAttributeValues: {
        ':pk': rotaPk(teamId),
        ':from': `SHIFT#${earliestStart}`,
        // '~' sorts after every id character, so shifts starting exactly at `at` are included.
        ':to': `SHIFT#${at.toISOString()}#~`,
        ':at': at.toISOString(),
      },
    });
    return items.map((item) => strip<Shift>(item) as Shift);
  }

  private async queryAll(input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>) {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey }));
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }

  private async batchWrite(requests: NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string]) {
    for (let i = 0; i < requests.length; i += 25) {
      let pending: typeof requests | undefined = requests.slice(i, i + 25);
      for (let attempt = 0; pending && pending.length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 2 ** attempt * 25));
        if (attempt > 8) throw new Error('DynamoDB kept returning unprocessed rota items');
        const result: BatchWriteCommandOutput = await this.db.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }),
        );
        pending = result.UnprocessedItems?.[this.tableName];
      }
    }
  }
}
