import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { MAX_SHIFT_HOURS } from '../domain/rota.ts';
import type { ServiceSettings, Shift, Staff, Team } from '../domain/types.ts';
import type { DirectoryStore, RotaFeed } from '../ports.ts';
import { untilProcessed } from './dynamo-batch.ts';
import { canBeKey } from './dynamo-keys.ts';

/**
 * The directory table. Every read the rota and routing need is one GetItem or one Query:
 *
 * | item                         | pk                  | sk                         |
 * |------------------------------|---------------------|----------------------------|
 * | team (gsi1: `TEAMS`)         | `TEAM#<teamId>`     | `TEAM`                     |
 * | rotation memory, per staff   | `TEAM#<teamId>`     | `ROTATION#<staffId>`       |
 * | area → team                  | `AREA#<district>`   | `AREA`                     |
 * | staff (gsi1: `PHONE#<e164>`) | `STAFF#<staffId>`   | `STAFF`                    |
 * | busy marker (open referrals) | `STAFF#<staffId>`   | `BUSY`                     |
 * | shift, override, swap        | `ROTA#<teamId>`     | `SHIFT#<start ISO>#<id>`   |
 * | service settings             | `SERVICE`           | `SETTINGS`                 |
 * | calendar feed                | `FEED#<feedId>`     | `FEED`                     |
 *
 * Shifts sort by start and last at most MAX_SHIFT_HOURS, so "on duty at t" is a Query of the
 * starts in [t − 48 h, t] and "overlapping [from, to)" of the starts in [from − 48 h, to).
 */
const teamKey = (id: string) => ({ pk: `TEAM#${id}`, sk: 'TEAM' });
const areaKey = (district: string) => ({ pk: `AREA#${district}`, sk: 'AREA' });
const staffKey = (id: string) => ({ pk: `STAFF#${id}`, sk: 'STAFF' });
const busyKey = (staffId: string) => ({ pk: `STAFF#${staffId}`, sk: 'BUSY' });
const rotationPrefix = 'ROTATION#';
/** gsi1 partition of the team items: `PHONE#…` partitions hold staff, so it cannot clash. */
const TEAMS = 'TEAMS';
const settingsKey = { pk: 'SERVICE', sk: 'SETTINGS' };
const feedKey = (id: string) => ({ pk: `FEED#${id}`, sk: 'FEED' });
const rotaPk = (teamId: string) => `ROTA#${teamId}`;
const shiftSk = (shift: Shift) => `SHIFT#${shift.start}#${shift.id}`;
const MAX_SHIFT_MS = MAX_SHIFT_HOURS * 3_600_000;

function strip<T>(item: Record<string, unknown> | undefined): T | null {
  if (!item) return null;
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...rest } = item;
  return rest as T;
}

type QueryInput = Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>;

export class DynamoDirectoryStore implements DirectoryStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Each area item (`AREA#LS1`) is the claim on that district: written only if no team holds it,
   * or this team does, in a single-item conditional write. So the check is race-free without
   * transactions (which dynalite lacks): of two teams claiming LS1 at once, exactly one write
   * succeeds and the other team is refused, with nothing of its own left behind (its other new
   * claims are given back). The areas are claimed before the team item is written and dropped
   * ones released after, so a crash between can leave a claim the team item does not list; such
   * an orphan is ignored by routing and may be taken over by the next team that asks for it.
   */
  async putTeam(team: Team): Promise<void | { areaTaken: { area: string; teamId: string } }> {
    const previous = await this.getTeam(team.id);
    // A read first, so the usual refusal writes nothing at all.
    const holders = await Promise.all(team.areas.map((area) => this.areaHolder(area)));
    const toClaim: { area: string; from: string | null }[] = [];
    for (const [i, area] of team.areas.entries()) {
      const holder = holders[i] ?? null;
      if (holder === team.id) continue;
      if (holder !== null && !(await this.isOrphanClaim(area, holder))) return { areaTaken: { area, teamId: holder } };
      toClaim.push({ area, from: holder });
    }
    const results = await Promise.allSettled(toClaim.map(({ area, from }) => this.claimArea(area, team.id, from)));
    const refused = results.findIndex((result) => result.status === 'rejected');
    if (refused >= 0) {
      const won = toClaim.filter((_, i) => results[i]?.status === 'fulfilled').map(({ area }) => area);
      await Promise.all(won.map((area) => this.releaseArea(area, team.id)));
      const failure = results[refused] as PromiseRejectedResult;
      if (!(failure.reason instanceof ConditionalCheckFailedException)) throw failure.reason;
      const area = toClaim[refused]?.area ?? '';
      return { areaTaken: { area, teamId: (await this.areaHolder(area)) ?? 'unknown' } };
    }
    // gsi1 `TEAMS` lists every team (for the managers' pages and the daily coverage check).
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...teamKey(team.id), ...team, gsi1pk: TEAMS, gsi1sk: `TEAM#${team.id}` } }));
    const dropped = (previous?.areas ?? []).filter((area) => !team.areas.includes(area));
    await Promise.all(dropped.map((area) => this.releaseArea(area, team.id)));
  }

  private async areaHolder(district: string): Promise<string | null> {
    if (!canBeKey(areaKey(district))) return null;
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: areaKey(district), ConsistentRead: true }));
    return Item ? String(Item.teamId) : null;
  }

  /** A claim whose team is gone, or no longer lists the area (a crash between claim and team write). */
  private async isOrphanClaim(district: string, holder: string): Promise<boolean> {
    const team = await this.getTeam(holder);
    return !team || !team.areas.includes(district);
  }

  /** Takes the area if it is still free (`from` null) or still held by `from`; else throws ConditionalCheckFailed. */
  private async claimArea(district: string, teamId: string, from: string | null): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...areaKey(district), teamId },
        ConditionExpression: from === null ? 'attribute_not_exists(teamId) OR teamId = :team' : 'teamId = :from OR teamId = :team',
        ExpressionAttributeValues: { ':team': teamId, ...(from === null ? {} : { ':from': from }) },
      }),
    );
  }

  /** Gives an area back, unless another team has taken it over meanwhile. */
  private async releaseArea(district: string, teamId: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({ TableName: this.tableName, Key: areaKey(district), ConditionExpression: 'teamId = :team', ExpressionAttributeValues: { ':team': teamId } }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** Every team, by id: one Query of gsi1 (eventually consistent). */
  async listTeams(): Promise<Team[]> {
    const items = await this.queryAll({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': TEAMS } });
    return items.map((item) => strip<Team>(item) as Team);
  }

  async getTeam(id: string): Promise<Team | null> {
    if (!canBeKey(teamKey(id))) return null;
    return strip<Team>((await this.db.send(new GetCommand({ TableName: this.tableName, Key: teamKey(id) }))).Item);
  }

  async teamForDistrict(district: string): Promise<Team | null> {
    if (!canBeKey(areaKey(district))) return null;
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: areaKey(district) }));
    const team = Item ? await this.getTeam(String(Item.teamId)) : null;
    // An orphan claim (see putTeam) routes nowhere.
    return team?.areas.includes(district) ? team : null;
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
    if (!canBeKey(staffKey(id))) return null;
    return strip<Staff>((await this.db.send(new GetCommand({ TableName: this.tableName, Key: staffKey(id) }))).Item);
  }

  async staffByPhone(phone: string): Promise<Staff | null> {
    if (!canBeKey({ pk: `PHONE#${phone}` })) return null;
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

  /**
   * New items are written before old ones are deleted, so a reader in between sees the old rota
   * and the new together (never a hole). Ids come from the content, so unchanged shifts are
   * neither rewritten nor deleted. Only base shifts and the overrides named are deleted, so an
   * override added while the upload was being checked survives it.
   */
  async replaceRota(teamId: string, shifts: Shift[], options: { dropOverrides?: readonly string[] } = {}): Promise<void> {
    const existing = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeNames: { '#id': 'id', '#kind': 'kind' },
      ExpressionAttributeValues: { ':pk': rotaPk(teamId) },
      ProjectionExpression: 'pk, sk, #id, #kind',
    });
    const stored = new Set(existing.map((item) => String(item.sk)));
    const drop = new Set(options.dropOverrides ?? []);
    const keep = new Set([
      ...shifts.map(shiftSk),
      ...existing.filter((item) => item.kind !== undefined && item.kind !== 'base' && !drop.has(String(item.id))).map((item) => String(item.sk)),
    ]);
    await this.batchWrite(
      shifts.filter((shift) => !stored.has(shiftSk(shift))).map((shift) => ({ PutRequest: { Item: this.shiftItem(teamId, shift) } })),
    );
    await this.batchWrite(
      existing.filter((item) => !keep.has(String(item.sk))).map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })),
    );
  }

  async addShifts(teamId: string, shifts: Shift[]): Promise<void> {
    await this.batchWrite(shifts.map((shift) => ({ PutRequest: { Item: this.shiftItem(teamId, shift) } })));
  }

  async shiftsAt(teamId: string, at: Date): Promise<Shift[]> {
    // '~' sorts after every id character, so shifts starting exactly at `at` are included.
    return this.shiftsStartingBetween(teamId, new Date(at.getTime() - MAX_SHIFT_MS), `${at.toISOString()}#~`, at);
  }

  async shiftsOverlapping(teamId: string, from: Date, to: Date): Promise<Shift[]> {
    // The bare instant sorts before `<instant>#<id>`, so a shift starting exactly at `to` is left out.
    return this.shiftsStartingBetween(teamId, new Date(from.getTime() - MAX_SHIFT_MS), to.toISOString(), from);
  }

  private async shiftsStartingBetween(teamId: string, earliestStart: Date, latestStartKey: string, endsAfter: Date): Promise<Shift[]> {
    if (!canBeKey({ pk: rotaPk(teamId) })) return [];
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      FilterExpression: '#end > :after',
      ExpressionAttributeNames: { '#end': 'end' },
      ExpressionAttributeValues: {
        ':pk': rotaPk(teamId),
        ':from': `SHIFT#${earliestStart.toISOString()}`,
        ':to': `SHIFT#${latestStartKey}`,
        ':after': endsAfter.toISOString(),
      },
    });
    return items.filter((item) => String(item.sk).startsWith('SHIFT#')).map((item) => strip<Shift>(item) as Shift);
  }

  private shiftItem(teamId: string, shift: Shift) {
    return { pk: rotaPk(teamId), sk: shiftSk(shift), ...shift };
  }

  async getServiceSettings(): Promise<ServiceSettings> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: settingsKey }));
    return strip<ServiceSettings>(Item) ?? {};
  }

  async putServiceSettings(settings: ServiceSettings): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...settingsKey, ...settings } }));
  }

  /**
   * One item per person with the set of referrals they hold: ADD and DELETE are single-item and
   * atomic. The marker is order-independent: a referral once cleared (closed while its accept's
   * effects were still going out) is remembered in `clearedIds`, and a late mark for it is a
   * no-op, so no run order leaves someone busy for a closed referral. `clearedIds` grows by one
   * id (~27 bytes) per referral the person held; a person holds some hundreds a year.
   */
  async markBusy(staffId: string, referralId: string, at: Date): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: busyKey(staffId),
          UpdateExpression: 'ADD referralIds :ids SET updatedAt = :at',
          ConditionExpression: 'attribute_not_exists(clearedIds) OR NOT contains(clearedIds, :id)',
          ExpressionAttributeValues: { ':ids': new Set([referralId]), ':id': referralId, ':at': at.toISOString() },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return; // already cleared: stays not busy
      throw error;
    }
  }

  async clearBusy(staffId: string, referralId: string): Promise<void> {
    // Deleting the last id removes the attribute, which is what "not busy" reads.
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: busyKey(staffId),
        UpdateExpression: 'DELETE referralIds :ids ADD clearedIds :ids',
        ExpressionAttributeValues: { ':ids': new Set([referralId]) },
      }),
    );
  }

  async staffOnDuty(staffIds: readonly string[]): Promise<{ staff: Map<string, Staff>; busy: Set<string> }> {
    const unique = [...new Set(staffIds)].filter((staffId) => canBeKey(busyKey(staffId)));
    const staff = new Map<string, Staff>();
    const busy = new Set<string>();
    for (const item of await this.batchGet(unique.flatMap((staffId) => [staffKey(staffId), busyKey(staffId)]))) {
      const staffId = String(item.pk).slice('STAFF#'.length);
      if (item.sk === 'BUSY' && (item.referralIds as Set<string> | undefined)?.size) busy.add(staffId);
      const record = item.sk === 'STAFF' ? strip<Staff>(item) : null;
      if (record) staff.set(staffId, record);
    }
    return { staff, busy };
  }

  async getStaffMany(staffIds: readonly string[]): Promise<Map<string, Staff>> {
    const unique = [...new Set(staffIds)].filter((staffId) => canBeKey(staffKey(staffId)));
    const staff = new Map<string, Staff>();
    for (const item of await this.batchGet(unique.map(staffKey))) {
      const record = strip<Staff>(item);
      if (record) staff.set(record.id, record);
    }
    return staff;
  }

  /** The items of these keys (of distinct items), in one BatchGetItem per 100 keys. */
  private async batchGet(keys: readonly Record<string, string>[]): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    for (let start = 0; start < keys.length; start += 100) {
      await untilProcessed<Record<string, unknown>>(
        keys.slice(start, start + 100),
        async (batch) => {
          const { Responses, UnprocessedKeys }: BatchGetCommandOutput = await this.db.send(
            new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: batch } } }),
          );
          items.push(...(Responses?.[this.tableName] ?? []));
          return UnprocessedKeys?.[this.tableName]?.Keys;
        },
        { attempts: 5, what: 'staff records' },
      );
    }
    return items;
  }

  async rotationOf(teamId: string): Promise<Record<string, string>> {
    if (!canBeKey(teamKey(teamId))) return {};
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': teamKey(teamId).pk, ':prefix': rotationPrefix },
    });
    return Object.fromEntries(
      items
        .filter((item) => String(item.sk).startsWith(rotationPrefix) && typeof item.at === 'string')
        .map((item) => [String(item.sk).slice(rotationPrefix.length), String(item.at)]),
    );
  }

  async recordRotation(teamId: string, staffIds: readonly string[], at: Date): Promise<void> {
    await Promise.all(
      staffIds.map((staffId) =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { pk: teamKey(teamId).pk, sk: `${rotationPrefix}${staffId}`, at: at.toISOString() },
          }),
        ),
      ),
    );
  }

  async saveRotaFeed(feed: RotaFeed): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...feedKey(feed.id), ...feed } }));
  }

  async getRotaFeed(id: string): Promise<RotaFeed | null> {
    if (!canBeKey(feedKey(id))) return null;
    return strip<RotaFeed>((await this.db.send(new GetCommand({ TableName: this.tableName, Key: feedKey(id) }))).Item);
  }

  private async queryAll(input: QueryInput) {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey }));
      items.push(...(page?.Items ?? []));
      ExclusiveStartKey = page?.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }

  private async batchWrite(requests: NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string]) {
    for (let i = 0; i < requests.length; i += 25) {
      await untilProcessed(
        requests.slice(i, i + 25),
        async (pending) => {
          const result: BatchWriteCommandOutput = await this.db.send(
            new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }),
          );
          return result?.UnprocessedItems?.[this.tableName];
        },
        { attempts: 9, what: 'rota items' },
      );
    }
  }
}
