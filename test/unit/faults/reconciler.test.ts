import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ScheduledEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeHandler } from '../../../functions/reconciler/handler.ts';
import type { Referral } from '../../../shared/ports.ts';
import { completedEffects, dynamo, resetAws, sentMessages, sns, sqs, storedAt } from '../../support/aws.ts';
import { REFERRAL_ID, REFERRER_PHONE, receivedReferral, referralItem, subjectIdentifiers } from '../../support/dataset.ts';
import { NOW, QUEUES, TABLES, recordingLog, testDependencies, type RecordingLog } from '../../support/dependencies.ts';

/**
 * The reconciler, with the production adapters on mocked AWS clients: it finds the referrals
 * whose outbox has been pending for over a minute with one Query of the sparse pending index,
 * and finishes each with the same flush that follows every state change.
 */

const scheduled: ScheduledEvent = {
  version: '0',
  id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: NOW.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  region: 'eu-west-2',
  resources: ['arn:aws:events:eu-west-2:123456789012:rule/dutyline-ReconcilerSchedule'],
  detail: {},
};

const OTHER_ID = '01KMX7R9D3F5H7K9M1P3S5V7X9';
/** Stored by intake; its SendMessage failed, so its queueing is still owed. */
const unqueued = receivedReferral({ outbox: { 'e000001-000': { kind: 'queue-referral' } }, version: 1 });
/** Accepted; the SMS telling the referrer is still owed. */
const referrerUntold: Referral = receivedReferral({
  id: OTHER_ID,
  reference: 'EDT-7TQ2-M4KD',
  status: 'accepted',
  outbox: { 'e000007-000': { kind: 'sms', to: REFERRER_PHONE, text: 'EDT-7TQ2-M4KD accepted', purpose: 'referrer-accepted' } },
  version: 7,
});

/** The pending index, as DynamoDB would answer the reconciler's Query. */
function pendingIndexHolds(referrals: Referral[]) {
  dynamo.on(QueryCommand, { IndexName: 'gsi2' }).resolves({
    Items: referrals.map((referral, index) => ({
      ...referralItem(referral),
      gsi2pk: 'OUTBOX#PENDING',
      gsi2sk: `2026-11-25T01:5${index}:00.000Z#${referral.id}`,
    })),
  });
  for (const referral of referrals) storedAt(TABLES.referrals, referralItem(referral));
}

let recorded: RecordingLog;
let reconcile: ReturnType<typeof makeHandler>;

beforeEach(() => {
  resetAws();
  recorded = recordingLog();
  reconcile = makeHandler(testDependencies(recorded.log));
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('reconciler (every minute)', () => {
  it('asks the pending index, once, for outboxes pending since over a minute ago, then the next-action index for what is overdue: Queries, never a Scan', async () => {
    pendingIndexHolds([]);
    await reconcile(scheduled);
    const [query, overdue, ...more] = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(more).toEqual([]);
    expect(overdue).toMatchObject({
      TableName: TABLES.referrals,
      IndexName: 'nextAction',
      KeyConditionExpression: 'nextPk = :next AND nextSk < :before',
      ExpressionAttributeValues: { ':next': 'NEXT', ':before': new Date(NOW.getTime() - 60_000).toISOString() },
    });
    expect(query).toMatchObject({
      TableName: TABLES.referrals,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pending AND gsi2sk < :cutoff',
      ExpressionAttributeValues: { ':pending': 'OUTBOX#PENDING', ':cutoff': new Date(NOW.getTime() - 60_000).toISOString() },
    });
    expect(dynamo.commandCalls(ScanCommand)).toHaveLength(0);
  });

  it('queues a stored referral whose SendMessage failed, and ticks the effect off', async () => {
    pendingIndexHolds([unqueued]);
    const result = await reconcile(scheduled);
    expect(result).toEqual({ found: 1, finished: 1, failed: 0, rearmed: 0, deferred: 0 });
    expect(sentMessages()).toEqual([{ QueueUrl: QUEUES.referrals, MessageBody: JSON.stringify({ referralId: REFERRAL_ID }) }]);
    expect(completedEffects()).toEqual(['e000001-000']);
  });

  it('sends an owed SMS once, under a claim, so that a message redelivered meanwhile cannot send it too', async () => {
    pendingIndexHolds([referrerUntold]);
    await reconcile(scheduled);
    expect(sns.commandCalls(PublishCommand).map((call) => call.args[0].input.PhoneNumber)).toEqual([REFERRER_PHONE]);
    const claims = dynamo.calls().filter((call) => JSON.stringify(call.args[0].input).includes(`EFFECTCLAIM#${OTHER_ID}#e000007`));
    expect(claims).toHaveLength(1);
  });

  it('leaves an effect that fails again (not yet past its attempts) for the next run, counts the attempt, finishes the others, and fails the run so its alarm sounds', async () => {
    pendingIndexHolds([referrerUntold, unqueued]);
    // A failure a later attempt may get past: counted, and left for the next run.
    sns.on(PublishCommand).rejects(Object.assign(new Error('provider down'), { name: 'ServiceUnavailableException' }));

    await expect(reconcile(scheduled)).rejects.toThrow(/1 referral\(s\) still have effects that fail/);

    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(1);
    expect(completedEffects()).toEqual(['e000001-000']);
    // To the back of the pending index, so that a send that keeps failing cannot starve the others.
    expect(dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input)).toContainEqual(
      expect.objectContaining({
        Key: { pk: `REFERRAL#${OTHER_ID}`, sk: 'REFERRAL' },
        UpdateExpression: 'SET gsi2sk = :now',
        ExpressionAttributeValues: { ':now': `${NOW.toISOString()}#${OTHER_ID}` },
      }),
    );
    // The claim is given back (made to lapse), so that the next run (or a retry) need not wait for it.
    expect(dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input)).toContainEqual(
      expect.objectContaining({ Key: { pk: `EFFECTCLAIM#${OTHER_ID}#e000007`, sk: 'EFFECTCLAIM' }, ConditionExpression: '#until = :until' }),
    );
    expect(dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input)).toContainEqual(
      expect.objectContaining({ Key: { pk: `REFERRAL#${OTHER_ID}`, sk: 'EFFECTFAILS#e000007-000' }, UpdateExpression: 'ADD attempts :one SET expiresAt = :keep' }),
    );
    const failure = recorded.lines.find((line) => line.message === 'pending effects failed again');
    expect(failure?.extra).toEqual({ referralId: OTHER_ID, error: 'SmsDeliveryError' });
    expect(recorded.text()).not.toContain(REFERRER_PHONE);
    for (const identifier of subjectIdentifiers) expect(recorded.text()).not.toContain(identifier);
  });

  it('takes an entry whose outbox was emptied (its last tick-off died before leaving the index) out of the index', async () => {
    pendingIndexHolds([receivedReferral({ outbox: {} })]);
    const result = await reconcile(scheduled);
    expect(result).toEqual({ found: 0, finished: 0, failed: 0, rearmed: 0, deferred: 0 });
    expect(dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input)).toEqual([
      expect.objectContaining({
        Key: { pk: `REFERRAL#${REFERRAL_ID}`, sk: 'REFERRAL' },
        UpdateExpression: 'REMOVE gsi2pk, gsi2sk',
        ConditionExpression: 'attribute_exists(gsi2pk) AND size(outbox) = :none',
      }),
    ]);
    expect(sentMessages()).toEqual([]);
  });
});
