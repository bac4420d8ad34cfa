import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { ReferralDetails } from '../domain/referral-details.ts';
import type { StoredDetails } from '../domain/retention.ts';
import { nextAction } from '../domain/next-action.ts';
import { canRollUp } from '../domain/statistics-rollups.ts';
import { instantToLocal } from '../domain/rota-time.ts';
import type { AcceptLink, DayRollup, IdempotencyClaim, Log, Metrics, Referral, ReferralStore } from '../ports.ts';
import { untilProcessed } from './dynamo-batch.ts';
import { canBeKey } from './dynamo-keys.ts';

/**
 * Single-item conditional writes only: DynamoDB transactions are not used, so the same code runs
 * on dynalite. A referral, its timeline and its pending effects live in one item, which is what
 * makes each state change atomic. The person's details live beside it in the same partition, in
 * an item of their own that the table's TTL deletes under the retention policy.
 */
const referralPk = (id: string) => `REFERRAL#${id}`;
const referralKey = (id: string) => ({ pk: referralPk(id), sk: 'REFERRAL' });
const detailsKey = (id: string) => ({ pk: referralPk(id), sk: 'DETAILS' });
const linkKey = (id: string) => ({ pk: `LINK#${id}`, sk: 'LINK' });
const staffPageKey = (staffId: string, referralId: string) => ({
  pk: `STAFFPAGE#${staffId}`,
  sk: `REFERRAL#${referralId}`,
});
/**
 * One claim covers the effects one state write added (they share the id prefix of that write).
 * Apart from the referral item, so that no state write can touch a claim.
 */
const effectClaimKey = (referralId: string, group: string) => ({
  pk: `EFFECTCLAIM#${referralId}#${group}`,
  sk: 'EFFECTCLAIM',
});
const deliveryKey = (key: string) => ({ pk: `DELIVERY#${key}`, sk: 'DELIVERY' });
/** The statistics' roll-up of a team's London day (shared/domain/statistics-rollups.ts): a team's year is one Query. */
const rollupKey = (teamId: string, day: string) => ({ pk: `ROLLUP#${teamId}`, sk: `DAY#${day}` });
/** Well under DynamoDB's 400 KB item limit: a day with more lines than this is read whole each time instead. */
const MAX_ROLLUP_BYTES = 300_000;
/** Failed attempts at one effect: beside the referral, so counting one never bumps its version. */
const effectFailuresKey = (referralId: string, effectId: string) => ({ pk: referralPk(referralId), sk: `EFFECTFAILS#${effectId}` });

/**
 * The sparse index of referrals with effects pending. One partition is enough: an item is in it
 * only between a state write and the few sends that follow, so it holds a handful at a time.
 */
const PENDING_INDEX = 'gsi2';
const PENDING = 'OUTBOX#PENDING';
/** Claims and delivery marks are kept a day past their use, then DynamoDB's TTL deletes them. */
const KEEP_MARKS_SECONDS = 86_400;
/** A used or expired accept link is kept a week, so that opening it late says so rather than "not found". */
const KEEP_LINKS_SECONDS = 7 * 86_400;
/** A closed page's index entry: long enough for a late reply that night. */
const KEEP_CLOSED_PAGES_SECONDS = 86_400;
const epochSeconds = (at: Date) => Math.ceil(at.getTime() / 1000);

const isConditionFailure = (error: unknown) =>
  error instanceof ConditionalCheckFailedException ||
  (error instanceof Error && error.name === 'ConditionalCheckFailedException');

function toReferral(item: Record<string, unknown> | undefined): Referral | null {
  if (!item) return null;
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, gsi2pk: _p1, gsi2sk: _p2, ...rest } = item;
  const { teamPk: _t1, teamSk: _t2, openPk: _o1, openSk: _o2, nextPk: _n1, nextSk: _n2, ...referral } = rest;
  return referral as unknown as Referral;
}

/**
 * The managers' indexes. `byTeam`: every referral a team was given, by when it was received, so
 * statistics for a window are one Query per team. `openByTeam` (sparse): referrals not yet closed,
 * by team, so the board is one Query; those no team holds yet wait under their own key. The item
 * mapping keeps both: a referral enters `openByTeam` when stored and leaves it when closed.
 */
const TEAM_INDEX = 'byTeam';
const OPEN_INDEX = 'openByTeam';
const teamIndexPk = (teamId: string) => `TEAM#${teamId}`;
/** No `#`, so that no team id can collide with it. */
const OPEN_WITHOUT_TEAM = 'OPEN-NO-TEAM';
const openIndexPk = (teamId: string | null | undefined) => (teamId ? `OPEN#${teamId}` : OPEN_WITHOUT_TEAM);
const receivedSk = (referral: Pick<Referral, 'createdAt' | 'id'>) => `${referral.createdAt}#${referral.id}`;
/**
 * Sparse: every referral that will need attention, by when (shared/domain/next-action.ts). One
 * partition, like the pending index: the reconciler reads only its overdue head each minute.
 */
const NEXT_INDEX = 'nextAction';
const NEXT = 'NEXT';

export class DynamoReferralStore implements ReferralStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Stamps when an outbox was last written with effects pending. */
    private readonly now: () => Date = () => new Date(),
    /** Told of a failure the store does not throw (a roll-up it could not mark stale). */
    private readonly report?: { log: Log; metrics: Metrics },
  ) {}

  /**
   * Whether an item read back is still there as far as readers are concerned: DynamoDB's TTL
   * deletes up to days after `expiresAt` (and dynalite never does), so past it, it is gone.
   */
  private live<T extends Record<string, unknown>>(item: T | undefined): T | undefined {
    if (!item) return undefined;
    return typeof item.expiresAt === 'number' && item.expiresAt * 1000 <= this.now().getTime() ? undefined : item;
  }

  private get nowSeconds() {
    return Math.floor(this.now().getTime() / 1000);
  }

  async claimIdempotencyKey(userId: string, key: string, claim: IdempotencyClaim, keepUntil: Date): Promise<IdempotencyClaim | null> {
    const itemKey = { pk: `IDEMPOTENCY#${userId}#${key}`, sk: 'IDEMPOTENCY' };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...itemKey, ...claim, expiresAt: epochSeconds(keepUntil) },
          // An expired claim not yet deleted by the TTL is as good as gone: the key may be used again.
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': this.nowSeconds },
        }),
      );
      return null;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKey, ConsistentRead: true }));
    return { referralId: String(Item?.referralId), fingerprint: String(Item?.fingerprint) };
  }

  async create(referral: Referral): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.item(referral),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      if (referral.teamId) await this.staleRollup(referral.teamId, referral.createdAt);
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return false;
    }
  }

  async get(id: string): Promise<Referral | null> {
    if (!canBeKey(referralKey(id))) return null;
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: referralKey(id), ConsistentRead: true }),
    );
    return toReferral(Item);
  }

  async createDetails(referralId: string, details: ReferralDetails, expiresAt: Date): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...detailsKey(referralId), referralId, details, expiresAt: epochSeconds(expiresAt) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async getDetails(referralId: string): Promise<StoredDetails | null> {
    if (!canBeKey(detailsKey(referralId))) return null;
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: detailsKey(referralId), ConsistentRead: true }));
    return this.toDetails(Item);
  }

  async getWithDetails(referralId: string): Promise<{ referral: Referral; details: StoredDetails | null } | null> {
    if (!canBeKey(referralKey(referralId))) return null;
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': referralPk(referralId) },
        ConsistentRead: true,
      }),
    );
    const referral = toReferral(Items.find((item) => item.sk === 'REFERRAL'));
    return referral ? { referral, details: this.toDetails(Items.find((item) => item.sk === 'DETAILS')) } : null;
  }

  private toDetails(item: Record<string, unknown> | undefined): StoredDetails | null {
    const live = this.live(item);
    if (!live || typeof live.expiresAt !== 'number') return null;
    return { details: live.details as ReferralDetails, expiresAt: new Date(live.expiresAt * 1000).toISOString() };
  }

  async expireDetails(referralId: string, expiresAt: Date): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: detailsKey(referralId),
          UpdateExpression: 'SET expiresAt = :at',
          // Details already past their expiry are gone for every reader: a later expiry must not bring them back.
          ConditionExpression: 'attribute_exists(pk) AND expiresAt > :now',
          ExpressionAttributeValues: { ':at': epochSeconds(expiresAt), ':now': this.nowSeconds },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }


  /**
   * One UpdateItem, conditional on the version read: every attribute of the new state is set and
   * those it dropped are removed, but the outbox only gains the new effects. Effects done since the
   * read were removed from it by `completeEffects` and stay removed, which is why completing an
   * effect need not bump the version (and so does not make a concurrent state change start over).
   */
  async replace(referral: Referral, previous: Referral): Promise<boolean> {
    const next = this.item(referral);
    const before = this.item(previous);
    const fixed = new Set(['pk', 'sk', 'outbox', 'timeline', 'gsi2pk', 'gsi2sk', 'nextPk', 'nextSk']);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':expected': previous.version };
    const set: string[] = [];
    const remove: string[] = [];
    Object.entries(next).forEach(([attribute, value], i) => {
      if (fixed.has(attribute)) return;
      names[`#a${i}`] = attribute;
      values[`:a${i}`] = value;
      set.push(`#a${i} = :a${i}`);
    });
    Object.keys(before).forEach((attribute, i) => {
      if (fixed.has(attribute) || attribute in next) return;
      names[`#r${i}`] = attribute;
      remove.push(`#r${i}`);
    });
    // The next action is what this state says, whatever an earlier write (or the reconciler) left.
    if (next.nextSk === undefined) remove.push('nextPk', 'nextSk');
    else {
      values[':nextPk'] = NEXT;
      values[':nextSk'] = next.nextSk;
      set.push('nextPk = :nextPk', 'nextSk = :nextSk');
    }
    // The timeline is append-only: the write adds the new entries to the stored list (which the
    // version condition says is `previous.timeline`) and never sends the entries already there.
    const appended = referral.timeline.slice(previous.timeline.length);
    const kept = referral.timeline[previous.timeline.length - 1];
    if (referral.timeline.length < previous.timeline.length || JSON.stringify(kept) !== JSON.stringify(previous.timeline.at(-1))) {
      throw new Error('a state change may only add to the timeline');
    }
    if (appended.length > 0) {
      values[':appended'] = appended;
      set.push('timeline = list_append(timeline, :appended)');
    }
    const added = Object.keys(referral.outbox).filter((effectId) => !(effectId in previous.outbox));
    added.forEach((effectId, i) => {
      names[`#e${i}`] = effectId;
      values[`:e${i}`] = referral.outbox[effectId];
      set.push(`outbox.#e${i} = :e${i}`);
    });
    if (added.length > 0) {
      values[':pending'] = PENDING;
      values[':since'] = `${this.now().toISOString()}#${referral.id}`;
      set.push('gsi2pk = :pending', 'gsi2sk = :since');
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: referralKey(referral.id),
          UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ConditionExpression: 'version = :expected',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
    // A roll-up holds closed referrals only, so closing one cannot make it stale; a change after the
    // close, or a referral given to a team (or taken from one), can.
    if (previous.status === 'closed' || referral.teamId !== previous.teamId) {
      for (const teamId of new Set([referral.teamId, previous.teamId])) if (teamId) await this.staleRollup(teamId, referral.createdAt);
    }
    return true;
  }

  /**
   * Marks the team's roll-up of the day the referral was received as stale: a new generation, not
   * complete, so the next reader reads the day whole (and a reader that read it before cannot
   * store what it read: its write is conditional on the generation it saw). Only once the day can
   * be rolled up at all, so routing a referral as it arrives costs nothing. After the state write:
   * a reader between the two reads the new state already. A failure here leaves the state written
   * and is not thrown (the caller would retry a change that was made).
   */
  private async staleRollup(teamId: string, receivedAt: string): Promise<void> {
    const day = instantToLocal(new Date(receivedAt)).date;
    if (!canRollUp(day, [], this.now())) return;
    try {
      await this.db.send(
        new UpdateCommand({ TableName: this.tableName, Key: rollupKey(teamId, day), UpdateExpression: 'ADD gen :one REMOVE complete', ExpressionAttributeValues: { ':one': 1 } }),
      );
    } catch (error) {
      // The referral itself is stored; the roll-up may hold its old figures until the day next
      // changes, so say so: the team and day (no referral, nothing about the person) and the error's name.
      this.report?.metrics.count('RollupsNotMarkedStale');
      this.report?.log.error('statistics roll-up not marked stale', { teamId, day, error: error instanceof Error ? error.name : 'unknown' });
    }
  }

  async rollupsBetween(teamId: string, fromDay: string, toDay: string, options: { lines?: boolean } = {}): Promise<DayRollup[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': rollupKey(teamId, '').pk, ':from': rollupKey(teamId, fromDay).sk, ':to': rollupKey(teamId, toDay).sk },
      ConsistentRead: true,
      ...(options.lines === false ? { ProjectionExpression: 'sk, gen, complete' } : {}),
    });
    return items.map((item) => {
      const complete = item.complete === true;
      return {
        day: String(item.sk).slice('DAY#'.length),
        generation: typeof item.gen === 'number' ? item.gen : 0,
        complete,
        lines: complete && typeof item.lines === 'string' && item.lines !== '' ? item.lines.split('\n') : [],
      };
    });
  }

  async putRollup(teamId: string, day: string, lines: readonly string[], generation: number | null): Promise<boolean> {
    const text = lines.join('\n');
    if (Buffer.byteLength(text) > MAX_ROLLUP_BYTES) return false;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...rollupKey(teamId, day), gen: generation ?? 0, complete: true, ...(text === '' ? {} : { lines: text }) },
          ConditionExpression: generation === null ? 'attribute_not_exists(pk)' : 'gen = :gen',
          ...(generation === null ? {} : { ExpressionAttributeValues: { ':gen': generation } }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Removes done effects from the outbox in one write. With `emptiesOutbox` (the caller's copy
   * says nothing else is pending) the item also leaves the pending index in that write, on the
   * condition that the outbox holds exactly these; otherwise, or if that condition fails, a
   * second write takes it out once the outbox is found empty.
   */
  async completeEffects(id: string, effectIds: readonly string[], options: { emptiesOutbox?: boolean } = {}): Promise<void> {
    if (effectIds.length === 0) return;
    const names = Object.fromEntries(effectIds.map((effectId, i) => [`#e${i}`, effectId]));
    const removals = effectIds.map((_, i) => `outbox.#e${i}`).join(', ');
    if (options.emptiesOutbox) {
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: referralKey(id),
            UpdateExpression: `REMOVE ${removals}, gsi2pk, gsi2sk`,
            ConditionExpression: `size(outbox) = :count AND ${effectIds.map((_, i) => `attribute_exists(outbox.#e${i})`).join(' AND ')}`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: { ':count': effectIds.length },
          }),
        );
        return;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    // Removing an entry that is already gone is a no-op, so no condition is needed here.
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: referralKey(id),
        UpdateExpression: `REMOVE ${removals}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: names,
        ReturnValues: 'ALL_NEW',
      }),
    ).catch((error: unknown) => {
      if (isConditionFailure(error)) return { Attributes: undefined };
      throw error;
    });
    if (Attributes?.gsi2pk !== undefined && Object.keys((Attributes.outbox as object | undefined) ?? {}).length === 0) {
      await this.leavePendingIndex(id);
    }
  }

  /**
   * Takes the item out of the pending index once its outbox is empty. Conditional, so that a
   * state write that added effects in between keeps it there; if this is never sent (a crash),
   * the reconciler's query finds the empty outbox and sends it.
   */
  private async leavePendingIndex(id: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: referralKey(id),
          UpdateExpression: 'REMOVE gsi2pk, gsi2sk',
          ConditionExpression: 'attribute_exists(gsi2pk) AND size(outbox) = :none',
          ExpressionAttributeValues: { ':none': 0 },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async claimEffects(id: string, group: string, effectIds: readonly string[], until: Date): Promise<string[]> {
    let lapsed: Record<string, unknown> | undefined;
    try {
      const { Attributes } = await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...effectClaimKey(id, group), until: until.toISOString(), expiresAt: epochSeconds(until) + KEEP_MARKS_SECONDS },
          ConditionExpression: 'attribute_not_exists(pk) OR #until < :now',
          ExpressionAttributeNames: { '#until': 'until' },
          ExpressionAttributeValues: { ':now': this.now().toISOString() },
          ReturnValues: 'ALL_OLD',
        }),
      );
      lapsed = Attributes;
    } catch (error) {
      if (isConditionFailure(error)) return [];
      throw error;
    }
    // The first claim is the only one: all are owed. A lapsed (or given back) claim may have had
    // some of them carried out and ticked off since the caller read the outbox: only those the
    // outbox still has are owed.
    if (!lapsed) return [...effectIds];
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: referralKey(id), ConsistentRead: true, ProjectionExpression: 'outbox' }),
    );
    const outbox = (Item?.outbox as Record<string, unknown> | undefined) ?? {};
    return effectIds.filter((effectId) => outbox[effectId] !== undefined);
  }

  /**
   * Gives back a claim after an effect failed, so that a retry need not wait for it to lapse. It is
   * made to lapse now rather than deleted: the next claimer then checks which effects are still owed.
   */
  async releaseEffects(id: string, group: string, until: Date): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: effectClaimKey(id, group),
          UpdateExpression: 'SET #until = :lapsed',
          ConditionExpression: '#until = :until',
          ExpressionAttributeNames: { '#until': 'until' },
          ExpressionAttributeValues: { ':until': until.toISOString(), ':lapsed': new Date(0).toISOString() },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async withPendingEffects(olderThan: Date, limit: number): Promise<string[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: PENDING_INDEX,
        KeyConditionExpression: 'gsi2pk = :pending AND gsi2sk < :cutoff',
        ExpressionAttributeValues: { ':pending': PENDING, ':cutoff': olderThan.toISOString() },
        Limit: limit,
      }),
    );
    const ids: string[] = [];
    for (const item of Items) {
      if (Object.keys((item.outbox as object | undefined) ?? {}).length > 0) ids.push(String(item.id));
      else await this.leavePendingIndex(String(item.id));
    }
    return ids;
  }

  async postponePending(id: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: referralKey(id),
          UpdateExpression: 'SET gsi2sk = :now',
          ConditionExpression: 'attribute_exists(gsi2pk)',
          ExpressionAttributeValues: { ':now': `${this.now().toISOString()}#${id}` },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async recordEffectFailure(referralId: string, effectId: string): Promise<number> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: effectFailuresKey(referralId, effectId),
        UpdateExpression: 'ADD attempts :one SET expiresAt = :keep',
        ExpressionAttributeValues: { ':one': 1, ':keep': this.nowSeconds + KEEP_LINKS_SECONDS },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return typeof Attributes?.attempts === 'number' ? Attributes.attempts : 1;
  }

  async wasHandled(key: string): Promise<boolean> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: deliveryKey(key), ConsistentRead: true }));
    return this.live(Item) !== undefined;
  }

  async markHandled(key: string, expiresAt: Date): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...deliveryKey(key), expiresAt: epochSeconds(expiresAt) } }),
    );
  }

  /**
   * The entry stays a day, marked closed, so that a late `1` can be told who accepted and when;
   * only a live entry is updated (a condition), so closing never creates one.
   */
  async unindexPage(staffId: string, referralId: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: staffPageKey(staffId, referralId),
          UpdateExpression: 'SET closedAt = if_not_exists(closedAt, :now), expiresAt = :keep',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(closedAt)',
          ExpressionAttributeValues: { ':now': this.now().toISOString(), ':keep': this.nowSeconds + KEEP_CLOSED_PAGES_SECONDS },
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }

  private async staffPages(staffId: string): Promise<Record<string, unknown>[]> {
    if (!canBeKey({ pk: `STAFFPAGE#${staffId}` })) return [];
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `STAFFPAGE#${staffId}` },
        ConsistentRead: true,
      }),
    );
    return Items.flatMap((item) => this.live(item) ?? []).sort((a, b) => String(b.at).localeCompare(String(a.at)));
  }

  async pagedReferralIds(staffId: string): Promise<string[]> {
    return (await this.staffPages(staffId)).filter((item) => item.closedAt === undefined).map((item) => String(item.referralId));
  }

  async closedPageReferralIds(staffId: string): Promise<string[]> {
    return (await this.staffPages(staffId)).filter((item) => item.closedAt !== undefined).map((item) => String(item.referralId));
  }

  /** The link works until `validUntil` (ISO); the item itself is kept a while longer (`expiresAt`, epoch seconds, the TTL). */
  /** The accept link and the staff-page index entry, in one BatchWriteItem (puts only: no condition is needed). */
  async recordPage(link: AcceptLink, at: string): Promise<void> {
    const { expiresAt: validUntil, ...rest } = link;
    await untilProcessed<NonNullable<BatchWriteCommandOutput['UnprocessedItems']>[string][number]>(
      [
        { PutRequest: { Item: { ...linkKey(link.id), ...rest, validUntil, expiresAt: epochSeconds(new Date(validUntil)) + KEEP_LINKS_SECONDS } } },
        { PutRequest: { Item: { ...staffPageKey(link.staffId, link.referralId), referralId: link.referralId, at } } },
      ],
      async (requests) => {
        const { UnprocessedItems }: BatchWriteCommandOutput = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
        return UnprocessedItems?.[this.tableName];
      },
      { attempts: 5, what: 'page records' },
    );
  }

  async getAcceptLink(id: string): Promise<AcceptLink | null> {
    if (!canBeKey(linkKey(id))) return null;
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: linkKey(id), ConsistentRead: true }));
    const link = this.live(Item);
    if (!link) return null;
    // Links stored before `validUntil` kept their ISO expiry in `expiresAt`.
    const validUntil = String(link.validUntil ?? link.expiresAt);
    return {
      id: String(link.id),
      referralId: String(link.referralId),
      staffId: String(link.staffId),
      expiresAt: validUntil,
      ...(typeof link.usedAt === 'string' ? { usedAt: link.usedAt } : {}),
    };
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

  /** From the referrals' gsi1 (`REFERRER#<user>`, created time): eventually consistent, newest first. */
  async listByReferrer(userId: string, limit: number): Promise<Referral[]> {
    if (!canBeKey({ pk: `REFERRER#${userId}` })) return [];
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': `REFERRER#${userId}` },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return Items.map((item) => toReferral(item)).filter((referral): referral is Referral => referral !== null);
  }

  /**
   * The referral as stored. While its outbox holds effects it is in the pending index, keyed by
   * the time of this write: every write is followed by an attempt to carry them out, so an entry
   * older than a minute means that attempt failed or died.
   */
  private item(referral: Referral) {
    const { gsi2pk: _p1, gsi2sk: _p2, ...plain } = referral as Referral & { gsi2pk?: unknown; gsi2sk?: unknown };
    const { teamPk: _t1, teamSk: _t2, openPk: _o1, openSk: _o2, nextPk: _n1, nextSk: _n2, ...unindexed } = plain as typeof plain &
      Record<'teamPk' | 'teamSk' | 'openPk' | 'openSk' | 'nextPk' | 'nextSk', unknown>;
    const pending = Object.keys(referral.outbox).length > 0;
    const next = nextAction(referral, this.now());
    return {
      ...unindexed,
      ...referralKey(referral.id),
      gsi1pk: `REFERRER#${referral.createdBy}`,
      gsi1sk: referral.createdAt,
      ...(pending ? { gsi2pk: PENDING, gsi2sk: `${this.now().toISOString()}#${referral.id}` } : {}),
      ...(referral.teamId ? { teamPk: teamIndexPk(referral.teamId), teamSk: receivedSk(referral) } : {}),
      ...(referral.status !== 'closed' ? { openPk: openIndexPk(referral.teamId), openSk: receivedSk(referral) } : {}),
      ...(next ? { nextPk: NEXT, nextSk: `${next.at}#${referral.id}` } : {}),
    };
  }

  /** From the sparse `nextAction` index (eventually consistent): the caller reads each referral again before acting. */
  async withOverdueActions(before: Date, limit: number): Promise<string[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: NEXT_INDEX,
        KeyConditionExpression: 'nextPk = :next AND nextSk < :before',
        ExpressionAttributeValues: { ':next': NEXT, ':before': before.toISOString() },
        ProjectionExpression: 'id',
        Limit: limit,
      }),
    );
    return Items.map((item) => String(item.id));
  }

  /** From the sparse `openByTeam` index: eventually consistent, oldest first. */
  async openReferrals(teamId: string | null): Promise<Referral[]> {
    const items = await this.queryAll({
      IndexName: OPEN_INDEX,
      KeyConditionExpression: 'openPk = :pk',
      ExpressionAttributeValues: { ':pk': openIndexPk(teamId) },
    });
    // The index may lag a close by a moment: the item's own status has the last word.
    return items.map((item) => toReferral(item)).filter((r): r is Referral => r !== null && r.status !== 'closed');
  }

  async referralsReceivedBetween(teamId: string, from: Date, to: Date): Promise<Referral[]> {
    // `<instant>#<id>` sorts after the bare instant: a referral received exactly at `to` is left out.
    const items = await this.queryAll({
      IndexName: TEAM_INDEX,
      KeyConditionExpression: 'teamPk = :pk AND teamSk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': teamIndexPk(teamId), ':from': from.toISOString(), ':to': to.toISOString() },
    });
    return items.map((item) => toReferral(item)).filter((r): r is Referral => r !== null && Date.parse(r.createdAt) < to.getTime());
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
}
