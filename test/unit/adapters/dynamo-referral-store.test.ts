import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoReferralStore } from '../../../shared/adapters/dynamo-referral-store.ts';
import { RecordingMetrics } from '../../../shared/adapters/recording-metrics.ts';
import { dynamo, puts, resetAws, storedAt, tableHolds, updates } from '../../support/aws.ts';
import { DETAILS_EXPIRE_AT, REFERRAL_ID, detailsItem, receivedReferral, referralItem, storedDetails } from '../../support/dataset.ts';
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
    expect(setNames).toEqual(expect.arrayContaining(['status', 'teamId', 'version', 'teamPk', 'openPk']));
    expect(setNames).not.toContain('outbox');
    expect(setNames).not.toContain('timeline');
  });

  it('append the new timeline entries and never send those already stored, so a write costs the same however long the timeline', async () => {
    const entry = { at: NOW.toISOString(), type: 'routed' as const, teamId: 'leeds-edt' };
    await store.replace({ ...previous, timeline: [...previous.timeline, entry], version: 2 }, previous);
    const [write] = updates();
    expect(write?.UpdateExpression).toContain('timeline = list_append(timeline, :appended)');
    expect(write?.ExpressionAttributeValues?.[':appended']).toEqual([entry]);
    expect(Object.values(write?.ExpressionAttributeValues ?? {}).flat()).not.toContainEqual(previous.timeline[0]);
  });

  it('refuse a state change that would rewrite or drop timeline entries', async () => {
    await expect(store.replace({ ...previous, timeline: [], version: 2 }, previous)).rejects.toThrow('only add to the timeline');
    const rewritten = previous.timeline.map((entry) => ({ ...entry, type: 'closed' as const }));
    await expect(store.replace({ ...previous, timeline: rewritten, version: 2 }, previous)).rejects.toThrow('only add to the timeline');
    expect(updates()).toEqual([]);
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
    await store.recordPage({ id: 'link-1', referralId: REFERRAL_ID, staffId: 'amhp-asha', expiresAt: validUntil }, NOW.toISOString());
    const item = puts()[0]?.Item;
    expect(puts()[1]?.Item).toEqual({ pk: 'STAFFPAGE#amhp-asha', sk: `REFERRAL#${REFERRAL_ID}`, referralId: REFERRAL_ID, at: NOW.toISOString() });
    expect(item).toEqual({ pk: 'LINK#link-1', sk: 'LINK', id: 'link-1', referralId: REFERRAL_ID, staffId: 'amhp-asha', validUntil, expiresAt: epoch(validUntil) + 7 * 86_400 });
    storedAt(TABLES.referrals, item as { pk: string; sk: string });
    expect(await store.getAcceptLink('link-1')).toEqual({ id: 'link-1', referralId: REFERRAL_ID, staffId: 'amhp-asha', expiresAt: validUntil });
    storedAt(TABLES.referrals, { ...(item as { pk: string; sk: string }), expiresAt: nowSeconds - 1 });
    expect(await store.getAcceptLink('link-1')).toBeNull();
  });

  it('a page is recorded in one BatchWriteItem, writing again what DynamoDB left unprocessed', async () => {
    const link = { id: 'link-1', referralId: REFERRAL_ID, staffId: 'amhp-asha', expiresAt: new Date(NOW.getTime() + 3_600_000).toISOString() };
    const leftOver = { [TABLES.referrals]: [{ PutRequest: { Item: { pk: 'STAFFPAGE#amhp-asha', sk: `REFERRAL#${REFERRAL_ID}` } } }] };
    dynamo.on(BatchWriteCommand).resolvesOnce({ UnprocessedItems: leftOver }).resolvesOnce({});
    await store.recordPage(link, NOW.toISOString());
    const writes = dynamo.commandCalls(BatchWriteCommand).map((call) => call.args[0].input.RequestItems);
    expect(writes.map((items) => items?.[TABLES.referrals]?.length)).toEqual([2, 1]);
    expect(writes[1]).toEqual(leftOver);
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

describe('the next-action index (nextAction)', () => {
  it('record when a paging referral’s page timer is due, and take a closed one out', async () => {
    const previous = receivedReferral({ version: 1 });
    const paging = {
      ...previous,
      status: 'paging' as const,
      teamId: 'leeds-edt',
      escalation: { status: 'paging' as const, round: 0, step: 0, pageSeq: 1, pages: [{ staffId: 'asha', position: 'primary' as const, pageSeq: 1, round: 0, at: NOW.toISOString() }], declinedBy: [] },
      chain: { steps: [{ position: 'primary' as const, staffId: 'asha' }], ackTimeoutSeconds: 600, repeat: 0, managerStaffId: null, fallbackPhone: null },
      version: 2,
    };
    await store.replace(paging, previous);
    expect(updates()[0]?.ExpressionAttributeValues).toMatchObject({
      ':nextPk': 'NEXT',
      ':nextSk': `${new Date(NOW.getTime() + 600_000).toISOString()}#${REFERRAL_ID}`,
    });
    resetAws();
    await store.replace({ ...paging, status: 'closed' as const, version: 3 }, paging);
    expect(updates()[0]?.UpdateExpression).toMatch(/REMOVE .*nextPk, nextSk/);
  });

  it('find the referrals whose next action is overdue with one Query of the index', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [{ id: REFERRAL_ID }] });
    expect(await store.withOverdueActions(NOW, 10)).toEqual([REFERRAL_ID]);
    const [query] = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(query).toMatchObject({ IndexName: 'nextAction', ExpressionAttributeValues: { ':next': 'NEXT', ':before': NOW.toISOString() } });
  });
});

describe('statistics roll-ups marked stale', () => {
  const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const metrics = new RecordingMetrics();
  const threeDaysAgo = new Date(NOW.getTime() - 3 * 86_400_000).toISOString();
  const closed = receivedReferral({ status: 'closed', teamId: 'leeds-edt', createdAt: threeDaysAgo, version: 4 });

  beforeEach(() => {
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-2' }));
    store = new DynamoReferralStore(db, TABLES.referrals, () => new Date(NOW), { log, metrics });
  });

  it('when a closed referral changes: a new generation of its team and day, after the state write', async () => {
    expect(await store.replace({ ...closed, version: 5 }, closed)).toBe(true);
    expect(updates().map((u) => u.Key)).toEqual([referralKey, { pk: 'ROLLUP#leeds-edt', sk: `DAY#${threeDaysAgo.slice(0, 10)}` }]);
  });

  it('that fails leaves the change made, and is counted and logged with the team and day only', async () => {
    dynamo.on(UpdateCommand, { UpdateExpression: 'ADD gen :one REMOVE complete' }).rejects(new Error('throttled'));
    expect(await store.replace({ ...closed, version: 5 }, closed)).toBe(true);
    expect(metrics.total('RollupsNotMarkedStale')).toBe(1);
    expect(log.error).toHaveBeenCalledWith('statistics roll-up not marked stale', { teamId: 'leeds-edt', day: threeDaysAgo.slice(0, 10), error: 'Error' });
  });
});
