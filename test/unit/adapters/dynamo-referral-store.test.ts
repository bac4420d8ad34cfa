import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoReferralStore } from '../../../shared/adapters/dynamo-referral-store.ts';
import { dynamo, puts, resetAws, updates } from '../../support/aws.ts';
import { REFERRAL_ID, receivedReferral } from '../../support/dataset.ts';
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
