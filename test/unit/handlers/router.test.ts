import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { PublishCommand, ThrottledException } from '@aws-sdk/client-sns';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeHandler } from '../../../functions/router/handler.ts';
import type { PendingEffect } from '../../../shared/ports.ts';
import {
  stateWrites,
  completedEffects,
  dynamo,
  putsOf,
  publishedSms,
  resetAws,
  sentMessages,
  sns,
  sqs,
  storedAt,
  tableHolds,
} from '../../support/aws.ts';
import {
  REFERENCE,
  REFERRAL_ID,
  asReferral,
  asha,
  ben,
  dev,
  leedsDirectory,
  receivedReferral,
  referralItem,
  chloe,
  rota,
  shiftItem,
  staffItem,
  subjectIdentifiers,
  team,
  teamItem,
} from '../../support/dataset.ts';
import { NOW, PUBLIC_BASE_URL, QUEUES, TABLES } from '../../support/dependencies.ts';
import { handlerTest } from '../../support/handler-test.ts';
import { lambdaContext, sqsEvent } from '../../support/events.ts';

const leeds = handlerTest({ referrals: () => [referralItem(receivedReferral())] });
let route: ReturnType<typeof makeHandler>;
const context = lambdaContext('dutyline-router');

beforeEach(() => {
  route = makeHandler(leeds.deps);
});

const routeSample = () => route(sqsEvent('sqs-route-referral'), context);
const pendingPages = (outbox: Record<string, PendingEffect> | undefined) =>
  Object.entries(outbox ?? {}).filter(([, effect]) => effect.kind === 'page');

describe('router (SQS consumer of the referral queue)', () => {
  describe('a referral in an area with a team and an on-call rota', () => {
    it('pages the primary on duty by SNS Publish to their phone', async () => {
      await routeSample();
      const sms = publishedSms();
      expect(sms).toHaveLength(1);
      expect(sms[0]).toMatchObject({
        PhoneNumber: asha.phone,
        MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
      });
    });

    it('pages an AMHP whose phone is not verified all the same, texts the manager on duty that it may not reach her, and records it', async () => {
      const { phoneVerification: _proof, ...unverified } = asha;
      storedAt(TABLES.directory, staffItem(unverified));
      await routeSample();
      expect(publishedSms().map((sms) => sms.PhoneNumber)).toEqual([asha.phone, dev.phone]);
      expect(publishedSms()[1]?.Message).toBe(`dutyline ${REFERENCE}: paged ${asha.name}, whose phone is not verified, so the page may not reach them. Please check they have it.`);
      const [write] = stateWrites();
      expect(asReferral(write?.Item).timeline.filter((entry) => entry.type === 'unverified_phone_paged')).toEqual([
        expect.objectContaining({ staffId: asha.id, pageSeq: 1, told: 'manager' }),
      ]);
    });

    it('sends a page that carries the reference, the district and the link, and none of the subject\'s name, date of birth, NHS number, address or reason', async () => {
      await routeSample();
      const text = publishedSms()[0]?.Message ?? '';
      expect(text).toContain(REFERENCE);
      expect(text).toContain('LS1');
      expect(text).toContain('s136');
      expect(text).toContain(`${PUBLIC_BASE_URL}/a/`);
      for (const identifier of subjectIdentifiers) expect(text).not.toContain(identifier);
    });

    it("starts the acknowledgement timer: a SendMessage with DelaySeconds equal to the team's ackTimeoutSeconds", async () => {
      await routeSample();
      expect(sentMessages()).toEqual([
        {
          QueueUrl: QUEUES.escalationTimers,
          MessageBody: JSON.stringify({ referralId: REFERRAL_ID, pageSeq: 1, dueAt: new Date(NOW.getTime() + 600_000).toISOString() }),
          DelaySeconds: 600,
        },
      ]);
    });

    it("reads the team's rotation memory only when two or more additional AMHPs could be put in order", async () => {
      const rotationReads = () =>
        dynamo.commandCalls(QueryCommand).filter((call) => call.args[0].input.ExpressionAttributeValues?.[':prefix'] === 'ROTATION#');
      await routeSample();
      expect(rotationReads()).toHaveLength(0);

      resetAws();
      const [primaryShift] = rota;
      const additional = [chloe.id, dev.id].map((staffId, i) => shiftItem({ ...primaryShift!, id: `01KMW00000000000000000ADD${i}`, staffId, position: 'additional' }));
      tableHolds(TABLES.directory, [...leedsDirectory(), ...additional]);
      tableHolds(TABLES.referrals, [referralItem(receivedReferral())]);
      await routeSample();
      expect(rotationReads()).toHaveLength(1);
    });

    it('stores the routed state with a write conditional on the version it read', async () => {
      await routeSample();
      const [write, ...others] = stateWrites();
      expect(others).toEqual([]);
      expect(write).toMatchObject({
        TableName: TABLES.referrals,
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': receivedReferral().version },
        Item: { status: 'paging', teamId: 'leeds-edt', version: receivedReferral().version + 1 },
      });
      const stored = asReferral(write?.Item);
      expect(stored.chain?.steps).toEqual([
        { position: 'primary', staffId: asha.id },
        { position: 'secondary', staffId: ben.id },
        { position: 'manager', staffId: dev.id },
      ]);
      expect(stored.timeline.map((entry) => entry.type)).toEqual(['received', 'routed', 'paged']);
    });

    it('records the page so the AMHP can answer: a single-use accept link and a staff-page index entry', async () => {
      await routeSample();
      expect(putsOf('LINK#')).toEqual([
        expect.objectContaining({ Item: expect.objectContaining({ referralId: REFERRAL_ID, staffId: asha.id }) }),
      ]);
      expect(putsOf(`STAFFPAGE#${asha.id}`)).toHaveLength(1);
    });

    it('ticks every effect off after doing it, and reports no failures', async () => {
      const result = await routeSample();
      expect(result).toEqual({ batchItemFailures: [] });
      const outbox = asReferral(stateWrites()[0]?.Item).outbox;
      expect(completedEffects().sort()).toEqual(Object.keys(outbox).sort());
    });

    it('logs ids and codes only', async () => {
      await routeSample();
      expect(leeds.recorded.text()).toContain(REFERRAL_ID);
      for (const identifier of subjectIdentifiers) expect(leeds.recorded.text()).not.toContain(identifier);
    });
  });

  describe('when SNS rejects the page', () => {
    beforeEach(() => {
      sns.on(PublishCommand).rejects(new ThrottledException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }));
    });

    it('retries the publish with backoff, then moves the chain on at once: the record succeeds and a page-failed timer is queued', async () => {
      expect(await routeSample()).toEqual({ batchItemFailures: [] });
      expect(publishedSms()).toHaveLength(3);
      const failedTimer = sentMessages().find((m) => JSON.parse(m.MessageBody ?? '{}').reason === 'page-failed');
      expect(failedTimer).toMatchObject({ DelaySeconds: 0 });
      expect(JSON.parse(failedTimer?.MessageBody ?? '{}')).toMatchObject({ referralId: REFERRAL_ID, pageSeq: 1 });
    });

    it('has stored the state first, and ticks the page off so SQS does not page again', async () => {
      await routeSample();
      const [write] = stateWrites();
      expect(write?.ConditionExpression).toBe('version = :expected');
      const pages = pendingPages(asReferral(write?.Item).outbox);
      expect(pages).toEqual([[expect.any(String), expect.objectContaining({ kind: 'page', staffId: asha.id, to: asha.phone })]]);
      expect(completedEffects()).toContain(pages[0]?.[0]);
    });

    it('logs the failure without personal data', async () => {
      await routeSample();
      expect(leeds.recorded.text()).toContain('page not delivered');
      for (const identifier of subjectIdentifiers) expect(leeds.recorded.text()).not.toContain(identifier);
      expect(leeds.recorded.text()).not.toContain(asha.phone);
    });

    it('on the second delivery, with the stored state now paging, republishes the pending page exactly once and pages nobody else', async () => {
      await routeSample();
      const written = asReferral(stateWrites()[0]?.Item);
      const [[pageId, page] = []] = pendingPages(written.outbox);
      // What the table holds now: the state written, with the timer effect ticked off (one more version).
      const timerIds = Object.keys(written.outbox).filter((id) => id !== pageId);
      const outbox = Object.fromEntries(Object.entries(written.outbox).filter(([id]) => !timerIds.includes(id)));
      storedAt(TABLES.referrals, referralItem({ ...written, outbox, version: written.version + timerIds.length }));
      dynamo.resetHistory();
      sqs.resetHistory();
      sns.reset();
      sns.on(PublishCommand).resolves({ MessageId: 'sns-message-id' });

      const result = await routeSample();

      expect(result).toEqual({ batchItemFailures: [] });
      expect(publishedSms()).toEqual([expect.objectContaining({ PhoneNumber: asha.phone, Message: (page as { text: string }).text })]);
      expect(stateWrites()).toEqual([]);
      expect(sentMessages()).toEqual([]);
      expect(completedEffects()).toEqual([pageId]);
    });
  });

  it('reports a record whose GetItem is throttled in batchItemFailures, and routes the other records of the batch', async () => {
    const other = receivedReferral({ id: '01KMX7R9D3F5H7K9M1P3S5V7X9', reference: 'EDT-7TQ2-M4KD' });
    tableHolds(TABLES.referrals, [referralItem(other)]);
    dynamo
      .on(GetCommand, { TableName: TABLES.referrals, Key: { pk: `REFERRAL#${REFERRAL_ID}`, sk: 'REFERRAL' } })
      .rejects(new ProvisionedThroughputExceededException({ message: 'Throughput exceeds the current capacity', $metadata: {} }));
    const event = sqsEvent('sqs-route-referral', [{ referralId: REFERRAL_ID }, { referralId: other.id }]);

    const result = await route(event, context);

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[0]?.messageId }] });
    expect(publishedSms()).toEqual([expect.objectContaining({ PhoneNumber: asha.phone, Message: expect.stringContaining(other.reference) })]);
    expect(stateWrites().map((write) => write.Item?.id)).toEqual([other.id]);
  });

  it('reports a body that is not JSON in batchItemFailures (after maxReceiveCount SQS moves it to the DLQ), touching nothing', async () => {
    const event = sqsEvent('sqs-route-referral', ['referralId=01KMX7Q2ZB8V4N6R3T5W7Y9A1C']);
    expect(await route(event, context)).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[0]?.messageId }] });
    expect(dynamo.calls()).toHaveLength(0);
    expect(sns.calls()).toHaveLength(0);
  });

  it('reports a JSON body without a referralId in batchItemFailures', async () => {
    const event = sqsEvent('sqs-route-referral', [{ id: REFERRAL_ID }]);
    expect(await route(event, context)).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[0]?.messageId }] });
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('drops a message for a referral that does not exist, with a warning', async () => {
    const event = sqsEvent('sqs-route-referral', [{ referralId: '01KMX7ZZZZZZZZZZZZZZZZZZZZ' }]);
    expect(await route(event, context)).toEqual({ batchItemFailures: [] });
    expect(sns.calls()).toHaveLength(0);
    expect(leeds.recorded.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: 'queued referral not found; dropped' }));
  });

  it('marks a referral in an area no team covers as unrouted and pages nobody', async () => {
    tableHolds(TABLES.referrals, [referralItem(receivedReferral({ district: 'BD1' }))]);
    expect(await routeSample()).toEqual({ batchItemFailures: [] });
    expect(stateWrites()[0]?.Item).toMatchObject({ status: 'unrouted' });
    expect(sns.calls()).toHaveLength(0);
    expect(sentMessages()).toEqual([]);
  });

  describe('a team with its own escalation policy', () => {
    const withPolicy = (escalation: Partial<typeof team.escalation>) =>
      tableHolds(TABLES.directory, [teamItem({ ...team, escalation: { ...team.escalation, ...escalation } })]);

    it('pages the person the policy names first, though the rota has them off tonight, with the step’s own delay', async () => {
      withPolicy({ steps: [{ staffId: chloe.id, delaySeconds: 90 }, { position: 'primary' }, { position: 'manager' }] });
      await routeSample();
      expect(publishedSms().map((sms) => sms.PhoneNumber)).toEqual([chloe.phone]);
      expect(sentMessages()).toEqual([expect.objectContaining({ QueueUrl: QUEUES.escalationTimers, DelaySeconds: 90 })]);
      const stored = asReferral(stateWrites()[0]?.Item);
      expect(stored.chain?.steps).toEqual([
        { position: 'named', staffId: chloe.id, delaySeconds: 90 },
        { position: 'primary', staffId: asha.id },
        { position: 'manager', staffId: dev.id },
      ]);
      expect(stored.chain?.reasons).toEqual(['named', 'position', 'position']);
      expect(stored.timeline).toContainEqual(expect.objectContaining({ type: 'paged', staffId: chloe.id, position: 'named' }));
    });

    it('skips a named person who has left the team since, records why, and pages the next step', async () => {
      withPolicy({ steps: [{ staffId: chloe.id }, { position: 'secondary' }] });
      tableHolds(TABLES.directory, [staffItem({ ...chloe, teamIds: ['york-edt'] })]);
      await routeSample();
      expect(publishedSms().map((sms) => sms.PhoneNumber)).toEqual([ben.phone]);
      const stored = asReferral(stateWrites()[0]?.Item);
      expect(stored.timeline).toContainEqual(expect.objectContaining({ type: 'skipped', staffId: chloe.id, reason: 'not_in_team' }));
    });

    it('leaves a named person with a declared conflict out of the chain', async () => {
      withPolicy({ steps: [{ staffId: chloe.id }, { position: 'primary' }] });
      tableHolds(TABLES.referrals, [referralItem(receivedReferral({ conflicts: [chloe.id] }))]);
      await routeSample();
      expect(publishedSms().map((sms) => sms.PhoneNumber)).toEqual([asha.phone]);
      expect(asReferral(stateWrites()[0]?.Item).chain?.skipped).toEqual([{ position: 'named', staffId: chloe.id, reason: 'conflict' }]);
    });
  });
});
