import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoReferralStore } from '../../../shared/adapters/dynamo-referral-store.ts';
import { dynamo, puts, resetAws, storedAt, tableHolds, updates } from '../../support/aws.ts';
import { DETAILS_EXPIRE_AT, REFERRAL_ID, detailsItem, receivedReferral, referralItem, storedDetails } from '../../support/dataset.ts';
import { NOW, TABLES } from '../../support/dependencies.ts';

/**
 * The referral store's part in "nothing lost, nothing sent twice": the sparse pending index the
 * reconciler reads, and the claim that lets only one flusher carry out an effect.
 */

const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const referralKey = { pk: `REFERRAL#${REFERRAL_ID}`, sk: 'REFERRAL' };
const claimKey = { pk: `EFFECTCLAIM#${REFERRAL_ID}#e000002-000`, sk: 'EFFECTCLAIM' };
const until = new Date(NOW.getTime() + 45_000);

let store: DynamoReferralStore;

beforeEach(() => {
  resetAws();
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-2' }));
  store = new DynamoReferralStore(db, TABLES.referrals, () => new Date(NOW));
});

describe('the pending index (gsi2)', () => {
  it('holds a referral written with effects pending, keyed by the time of the write', async () => {
    await store.replace(receivedReferral({ outbox: { 'e000002-000': { kind: 'queue-referral' } }, version: 2 }));
    expect(puts()[0]?.Item).toMatchObject({ gsi2pk: 'OUTBOX#PENDING', gsi2sk: `${NOW.toISOString()}#${REFERRAL_ID}` });
  });

  it('does not hold a referral written with an empty outbox, whatever the copy it was read from said', async () => {
    const read = { ...receivedReferral({ outbox: {} }), gsi2pk: 'OUTBOX#PENDING', gsi2sk: 'stale' };
    await store.replace(read);
    expect(puts()[0]?.Item).not.toHaveProperty('gsi2pk');
    expect(puts()[0]?.Item).not.toHaveProperty('gsi2sk');
  });

  it('lets go of a referral when its last effect is ticked off, on condition that nothing was added since', async () => {
    dynamo.on(UpdateCommand, { UpdateExpression: 'REMOVE outbox.#effect SET version = version + :one' }).resolves({
      Attributes: { ...referralKey, outbox: {}, gsi2pk: 'OUTBOX#PENDING', gsi2sk: 'x' },
    });
    expect(await store.completeEffect(REFERRAL_ID, 'e000002-000')).toBe(true);
    expect(updates()).toEqual([
      expect.objectContaining({ ReturnValues: 'ALL_NEW' }),
      expect.objectContaining({
        Key: referralKey,
        UpdateExpression: 'REMOVE gsi2pk, gsi2sk',
        ConditionExpression: 'attribute_exists(gsi2pk) AND size(outbox) = :none',
      }),
    ]);
  });

  it('keeps a referral whose outbox still holds effects after a tick-off', async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: { ...referralKey, outbox: { 'e000002-001': { kind: 'sms' } }, gsi2pk: 'OUTBOX#PENDING' } });
    await store.completeEffect(REFERRAL_ID, 'e000002-000');
    expect(updates()).toHaveLength(1);
  });
});

describe('claims on effects', () => {
  it('the first claim wins: a conditional put of a claim item beside the referral', async () => {
    expect(await store.claimEffect(REFERRAL_ID, 'e000002-000', until)).toBe(true);
    expect(puts()).toEqual([
      expect.objectContaining({
        Item: { ...claimKey, until: until.toISOString(), expiresAt: Math.ceil(until.getTime() / 1000) + 86_400 },
        ConditionExpression: 'attribute_not_exists(pk) OR #until < :now',
        ExpressionAttributeValues: { ':now': NOW.toISOString() },
      }),
    ]);
  });

  it('a second claim while the first holds is refused', async () => {
    dynamo.on(PutCommand).rejects(conditionFailed());
    expect(await store.claimEffect(REFERRAL_ID, 'e000002-000', until)).toBe(false);
  });

  it('a lapsed claim is taken again only if the effect is still in the outbox', async () => {
    dynamo.on(PutCommand).resolves({ Attributes: { ...claimKey, until: '2026-11-25T01:00:00.000Z' } });
    dynamo.on(GetCommand, { Key: referralKey }).resolves({ Item: { outbox: {} } });
    expect(await store.claimEffect(REFERRAL_ID, 'e000002-000', until)).toBe(false);
    dynamo.on(GetCommand, { Key: referralKey }).resolves({ Item: { outbox: { 'e000002-000': { kind: 'queue-referral' } } } });
    expect(await store.claimEffect(REFERRAL_ID, 'e000002-000', until)).toBe(true);
  });

  it('gives back only its own claim after a failure', async () => {
    dynamo.on(DeleteCommand).rejects(conditionFailed());
    await expect(store.releaseEffect(REFERRAL_ID, 'e000002-000', until)).resolves.toBeUndefined();
    expect(dynamo.commandCalls(DeleteCommand)[0]?.args[0].input).toMatchObject({
      Key: claimKey,
      ConditionExpression: '#until = :until',
      ExpressionAttributeValues: { ':until': until.toISOString() },
    });
  });
});

const epoch = (iso: string) => Math.ceil(Date.parse(iso) / 1000);
const nowSeconds = NOW.getTime() / 1000;

describe("the person's details, beside the referral", () => {
  const detailsKey = { pk: `REFERRAL#${REFERRAL_ID}`, sk: 'DETAILS' };

  it('are stored once, in their own item in the referral\'s partition, with their expiry in epoch seconds for the TTL', async () => {
    await store.createDetails(REFERRAL_ID, storedDetails(), new Date(DETAILS_EXPIRE_AT));
    expect(puts()).toEqual([
      {
        TableName: TABLES.referrals,
        Item: { ...detailsKey, referralId: REFERRAL_ID, details: storedDetails(), expiresAt: epoch(DETAILS_EXPIRE_AT) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    ]);
  });

  it('are not stored over: a retried intake keeps the first copy', async () => {
    dynamo.on(PutCommand).rejects(conditionFailed());
    await expect(store.createDetails(REFERRAL_ID, storedDetails(), new Date(DETAILS_EXPIRE_AT))).resolves.toBeUndefined();
  });

  it('are read with the referral in one consistent Query of its partition', async () => {
    tableHolds(TABLES.referrals, [referralItem(receivedReferral()), detailsItem()]);
    const found = await store.getWithDetails(REFERRAL_ID);
    expect(found).toEqual({ referral: receivedReferral(), details: { details: storedDetails(), expiresAt: DETAILS_EXPIRE_AT } });
    expect(dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input)).toEqual([
      expect.objectContaining({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `REFERRAL#${REFERRAL_ID}` }, ConsistentRead: true }),
    ]);
    expect(dynamo.commandCalls(GetCommand)).toEqual([]);
  });

  it('count as gone once past their expiry, though the TTL has not deleted them yet', async () => {
    const expired = new Date(NOW.getTime() - 1000).toISOString();
    tableHolds(TABLES.referrals, [referralItem(receivedReferral()), detailsItem(REFERRAL_ID, { expiresAt: expired })]);
    expect(await store.getWithDetails(REFERRAL_ID)).toEqual({ referral: receivedReferral(), details: null });
    expect(await store.getDetails(REFERRAL_ID)).toBeNull();
  });

  it('are found without the referral only where nothing else is needed (one GetItem)', async () => {
    storedAt(TABLES.referrals, detailsItem());
    expect(await store.getDetails(REFERRAL_ID)).toEqual({ details: storedDetails(), expiresAt: DETAILS_EXPIRE_AT });
  });

  it('get their retention expiry on closing, only while they exist and have not expired, so none come back', async () => {
    const at = '2026-12-25T02:00:00.000Z';
    await store.expireDetails(REFERRAL_ID, new Date(at));
    expect(updates()).toEqual([
      {
        TableName: TABLES.referrals,
        Key: detailsKey,
        UpdateExpression: 'SET expiresAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND expiresAt > :now',
        ExpressionAttributeValues: { ':at': epoch(at), ':now': nowSeconds },
      },
    ]);
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    await expect(store.expireDetails(REFERRAL_ID, new Date(at))).resolves.toBeUndefined();
  });
});

describe('other items with a lifetime: epoch seconds in expiresAt (the TTL attribute), gone to readers once it passes', () => {
  it('an Idempotency-Key claim, kept until the given time; an expired one may be claimed again', async () => {
    const keepUntil = new Date(NOW.getTime() + 7 * 86_400_000);
    expect(await store.claimIdempotencyKey('gp', 'key-1', { referralId: REFERRAL_ID, fingerprint: 'f' }, keepUntil)).toBeNull();
    expect(puts()[0]).toMatchObject({
      Item: { pk: 'IDEMPOTENCY#gp#key-1', referralId: REFERRAL_ID, fingerprint: 'f', expiresAt: keepUntil.getTime() / 1000 },
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
      ExpressionAttributeValues: { ':now': nowSeconds },
    });
  });

  it('an accept link: usable until `validUntil`, kept a week longer so a late opening says it expired', async () => {
    const validUntil = new Date(NOW.getTime() + 24 * 3_600_000).toISOString();
    await store.saveAcceptLink({ id: 'link-1', referralId: REFERRAL_ID, staffId: 'amhp-asha', expiresAt: validUntil });
    const item = puts()[0]?.Item;
    expect(item).toEqual({ pk: 'LINK#link-1', sk: 'LINK', id: 'link-1', referralId: REFERRAL_ID, staffId: 'amhp-asha', validUntil, expiresAt: epoch(validUntil) + 7 * 86_400 });
    storedAt(TABLES.referrals, item as { pk: string; sk: string });
    expect(await store.getAcceptLink('link-1')).toEqual({ id: 'link-1', referralId: REFERRAL_ID, staffId: 'amhp-asha', expiresAt: validUntil });
    storedAt(TABLES.referrals, { ...(item as { pk: string; sk: string }), expiresAt: nowSeconds - 1 });
    expect(await store.getAcceptLink('link-1')).toBeNull();
  });

  it('an accept link stored before `validUntil` (its ISO expiry in expiresAt, which the TTL ignores) still expires', async () => {
    const validUntil = new Date(NOW.getTime() - 60_000).toISOString();
    storedAt(TABLES.referrals, { pk: 'LINK#old', sk: 'LINK', id: 'old', referralId: REFERRAL_ID, staffId: 'amhp-asha', expiresAt: validUntil });
    expect(await store.useAcceptLink('old', NOW)).toBe('expired');
  });

  it('a mark that an inbound SMS was handled', async () => {
    storedAt(TABLES.referrals, { pk: 'DELIVERY#sms-1', sk: 'DELIVERY', expiresAt: nowSeconds + 60 });
    expect(await store.wasHandled('sms-1')).toBe(true);
    storedAt(TABLES.referrals, { pk: 'DELIVERY#sms-1', sk: 'DELIVERY', expiresAt: nowSeconds - 60 });
    expect(await store.wasHandled('sms-1')).toBe(false);
  });
});
