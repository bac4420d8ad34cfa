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
const claimKey = { pk: `EFFECTCLAIM#${REFERRAL_ID}#e000002`, sk: 'EFFECTCLAIM' };
const until = new Date(NOW.getTime() + 45_000);

let store: DynamoReferralStore;

beforeEach(() => {
  resetAws();
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-2' }));
  store = new DynamoReferralStore(db, TABLES.referrals, () => new Date(NOW));
});

describe('state writes', () => {
  const previous = receivedReferral({ outbox: { 'e000001-000': { kind: 'queue-referral' } }, version: 1 });

  it('write every attribute of the new state on condition that the version is still the one read', async () => {
    const next = { ...previous, status: 'paging' as const, teamId: 'leeds-edt', version: 2 };
    expect(await store.replace(next, previous)).toBe(true);
    const [write] = updates();
    expect(write).toMatchObject({ Key: referralKey, ConditionExpression: 'version = :expected', ExpressionAttributeValues: expect.objectContaining({ ':expected': 1 }) });
    const setNames = Object.entries(write?.ExpressionAttributeNames ?? {}).filter(([alias]) => alias.startsWith('#a')).map(([, name]) => name);
    expect(setNames).toEqual(expect.arrayContaining(['status', 'teamId', 'version', 'timeline', 'teamPk', 'openPk']));
    expect(setNames).not.toContain('outbox');
  });

  it('add only the new effects to the outbox, so that effects done since the read stay done, and hold the referral in the pending index', async () => {
    const next = { ...previous, outbox: { ...previous.outbox, 'e000002-000': { kind: 'timer' as const, pageSeq: 1, dueAt: NOW.toISOString() } }, version: 2 };
    await store.replace(next, previous);
    const [write] = updates();
    expect(write?.UpdateExpression).toContain('outbox.#e0 = :e0');
    expect(write?.ExpressionAttributeNames).toMatchObject({ '#e0': 'e000002-000' });
    expect(Object.values(write?.ExpressionAttributeNames ?? {})).not.toContain('e000001-000');
    expect(write?.ExpressionAttributeValues).toMatchObject({ ':pending': 'OUTBOX#PENDING', ':since': `${NOW.toISOString()}#${REFERRAL_ID}` });
  });

  it('leave the pending index alone when the write adds no effect (the flusher takes it out once the outbox is empty)', async () => {
    await store.replace({ ...previous, status: 'unrouted' as const, version: 2 }, previous);
    expect(updates()[0]?.UpdateExpression).not.toContain('gsi2');
  });

  it('remove the attributes the new state dropped', async () => {
    const routed = { ...previous, teamId: 'leeds-edt', version: 2 };
    const { teamId: _dropped, ...unrouted } = routed;
    await store.replace({ ...unrouted, version: 3 }, routed);
    const [write] = updates();
    const removed = (write?.UpdateExpression ?? '').split(' REMOVE ')[1]?.split(', ').map((alias) => write?.ExpressionAttributeNames?.[alias]);
    expect(removed).toEqual(expect.arrayContaining(['teamId', 'teamPk', 'teamSk']));
  });

  it('report a conflict when someone else wrote first', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    expect(await store.replace({ ...previous, version: 2 }, previous)).toBe(false);
  });
});

describe('the pending index (gsi2) as effects are ticked off', () => {
  it('lets go of a referral in the same write as its last effects, on condition that the outbox holds exactly those', async () => {
    await store.completeEffects(REFERRAL_ID, ['e000002-000', 'e000002-001'], { emptiesOutbox: true });
    expect(updates()).toEqual([
      expect.objectContaining({
        Key: referralKey,
        UpdateExpression: 'REMOVE outbox.#e0, outbox.#e1, gsi2pk, gsi2sk',
        ConditionExpression: 'size(outbox) = :count AND attribute_exists(outbox.#e0) AND attribute_exists(outbox.#e1)',
        ExpressionAttributeValues: { ':count': 2 },
      }),
    ]);
  });

  it('when something was added meanwhile, ticks off only its effects and keeps the referral in the index', async () => {
    dynamo.on(UpdateCommand, { ConditionExpression: 'size(outbox) = :count AND attribute_exists(outbox.#e0)' }).rejects(conditionFailed());
    dynamo.on(UpdateCommand, { UpdateExpression: 'REMOVE outbox.#e0' }).resolves({
      Attributes: { ...referralKey, outbox: { 'e000003-000': { kind: 'sms' } }, gsi2pk: 'OUTBOX#PENDING' },
    });
    await store.completeEffects(REFERRAL_ID, ['e000002-000'], { emptiesOutbox: true });
    expect(updates().map((u) => u.UpdateExpression)).toEqual(['REMOVE outbox.#e0, gsi2pk, gsi2sk', 'REMOVE outbox.#e0']);
  });

  it('a tick-off that finds the outbox empty after all takes the referral out, on condition that nothing was added since', async () => {
    dynamo.on(UpdateCommand, { UpdateExpression: 'REMOVE outbox.#e0' }).resolves({ Attributes: { ...referralKey, outbox: {}, gsi2pk: 'OUTBOX#PENDING', gsi2sk: 'x' } });
    await store.completeEffects(REFERRAL_ID, ['e000002-000']);
    expect(updates()).toEqual([
      expect.objectContaining({ UpdateExpression: 'REMOVE outbox.#e0', ReturnValues: 'ALL_NEW' }),
      expect.objectContaining({
        Key: referralKey,
        UpdateExpression: 'REMOVE gsi2pk, gsi2sk',
        ConditionExpression: 'attribute_exists(gsi2pk) AND size(outbox) = :none',
      }),
    ]);
  });

  it('ticking off never bumps the version, so a state change read before it is not refused', async () => {
    await store.completeEffects(REFERRAL_ID, ['e000002-000']);
    await store.completeEffects(REFERRAL_ID, ['e000002-001'], { emptiesOutbox: true });
    expect(updates().map((u) => u.UpdateExpression).join(' ')).not.toContain('version');
  });
});

describe('claims on effects', () => {
  const effects = ['e000002-000', 'e000002-001'];

  it('the first claim wins and owes every effect of the write: one conditional put of a claim item beside the referral', async () => {
    expect(await store.claimEffects(REFERRAL_ID, 'e000002', effects, until)).toEqual(effects);
    expect(puts()).toEqual([
      expect.objectContaining({
        Item: { ...claimKey, until: until.toISOString(), expiresAt: Math.ceil(until.getTime() / 1000) + 86_400 },
        ConditionExpression: 'attribute_not_exists(pk) OR #until < :now',
        ExpressionAttributeValues: { ':now': NOW.toISOString() },
      }),
    ]);
  });

  it('a second claim while the first holds owes nothing', async () => {
    dynamo.on(PutCommand).rejects(conditionFailed());
    expect(await store.claimEffects(REFERRAL_ID, 'e000002', effects, until)).toEqual([]);
  });

  it('a lapsed claim owes only the effects still in the outbox', async () => {
    dynamo.on(PutCommand).resolves({ Attributes: { ...claimKey, until: '2026-11-25T01:00:00.000Z' } });
    dynamo.on(GetCommand, { Key: referralKey }).resolves({ Item: { outbox: {} } });
    expect(await store.claimEffects(REFERRAL_ID, 'e000002', effects, until)).toEqual([]);
    dynamo.on(GetCommand, { Key: referralKey }).resolves({ Item: { outbox: { 'e000002-001': { kind: 'sms' } } } });
    expect(await store.claimEffects(REFERRAL_ID, 'e000002', effects, until)).toEqual(['e000002-001']);
  });

  it('gives back only its own claim after a failure, by making it lapse (the next claimer then checks what is still owed)', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    await expect(store.releaseEffects(REFERRAL_ID, 'e000002', until)).resolves.toBeUndefined();
    expect(updates()[0]).toMatchObject({
      Key: claimKey,
      ConditionExpression: '#until = :until',
      ExpressionAttributeValues: { ':until': until.toISOString(), ':lapsed': new Date(0).toISOString() },
    });
    expect(dynamo.commandCalls(DeleteCommand)).toHaveLength(0);
  });
});
