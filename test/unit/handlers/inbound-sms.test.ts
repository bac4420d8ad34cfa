import { beforeEach, describe, expect, it } from 'vitest';
import { makeHandler } from '../../../functions/inbound-sms/handler.ts';
import { deletes, dynamo, dynamoWrites, stateWrites, publishedSms, sns, tableHolds, updates } from '../../support/aws.ts';
import {
  REFERENCE,
  REFERRAL_ID,
  REFERRER_PHONE,
  acceptedReferral,
  asReferral,
  asha,
  ben,
  detailsItem,
  dev,
  pagingReferral,
  referralItem,
  staffPageItem,
  subjectIdentifiers,
} from '../../support/dataset.ts';
import { NOW, TABLES } from '../../support/dependencies.ts';
import { inboundSmsEvent, loadEvent } from '../../support/events.ts';
import { handlerTest } from '../../support/handler-test.ts';
import type { SNSEvent } from 'aws-lambda';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

const leeds = handlerTest({ referrals: () => [referralItem(pagingReferral()), detailsItem(), staffPageItem(asha.id, REFERRAL_ID)] });
let receive: ReturnType<typeof makeHandler>;

beforeEach(() => {
  receive = makeHandler(leeds.deps);
});

const smsTo = (phone: string) => publishedSms().filter((sms) => sms.PhoneNumber === phone);

describe('inbound-sms (SNS subscriber of the two-way SMS topic)', () => {
  describe('"1" from the number of the AMHP who was paged', () => {
    it('accepts the referral: the state is written with status accepted and the AMHP assigned', async () => {
      await receive(loadEvent<SNSEvent>('sns-inbound-sms'));
      const [write, ...others] = stateWrites();
      expect(others).toEqual([]);
      expect(write).toMatchObject({
        ConditionExpression: 'version = :expected',
        Item: { id: REFERRAL_ID, status: 'accepted', assignedTo: asha.id },
      });
      expect(asReferral(write?.Item).timeline.at(-2)).toMatchObject({ type: 'accepted', staffId: asha.id, via: 'sms' });
    });

    it('tells the referrer by SMS who accepted and will call back, with no personal details of the subject', async () => {
      await receive(loadEvent<SNSEvent>('sns-inbound-sms'));
      const [toReferrer, ...more] = smsTo(REFERRER_PHONE);
      expect(more).toEqual([]);
      expect(toReferrer?.Message).toContain(REFERENCE);
      expect(toReferrer?.Message).toContain(asha.name);
      expect(toReferrer?.Message).toContain('07700 900101');
      for (const identifier of subjectIdentifiers) expect(toReferrer?.Message).not.toContain(identifier);
    });

    it('confirms to the AMHP by SMS, closes her page index entry, and pages nobody else', async () => {
      await receive(loadEvent<SNSEvent>('sns-inbound-sms'));
      expect(smsTo(asha.phone)).toEqual([expect.objectContaining({ Message: expect.stringContaining('accepted') })]);
      expect(publishedSms().map((sms) => sms.PhoneNumber).sort()).toEqual([asha.phone, REFERRER_PHONE].sort());
      // Kept a day, marked closed, so that a late reply can be told who accepted.
      expect(deletes()).toEqual([]);
      const closing = dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input).filter((input) => input.Key?.pk === `STAFFPAGE#${asha.id}`);
      expect(closing).toEqual([expect.objectContaining({ TableName: TABLES.referrals, Key: { pk: `STAFFPAGE#${asha.id}`, sk: `REFERRAL#${REFERRAL_ID}` }, UpdateExpression: expect.stringContaining('closedAt') })]);
    });
  });

  describe('a decline declaring a conflict of interest', () => {
    it.each(['2 CONFLICT', `DECLINE ${REFERENCE.slice(4, 8)} CONFLICT`, '2 conflict of interest, I taught Quillon'])(
      '"%s" records the conflict, declines and pages the secondary at once, and confirms it to the AMHP',
      async (body) => {
        await receive(inboundSmsEvent({ messageBody: body }));
        const [write, ...more] = stateWrites();
        expect(more).toEqual([]);
        const stored = asReferral(write?.Item);
        expect(stored.conflicts).toEqual([asha.id]);
        expect(stored.escalation).toMatchObject({ declinedBy: [asha.id], conflicted: [asha.id], pageSeq: 2 });
        expect(stored.timeline).toContainEqual(expect.objectContaining({ type: 'conflict_declared', staffId: asha.id, via: 'sms' }));
        expect(stored.timeline).toContainEqual(expect.objectContaining({ type: 'declined', staffId: asha.id, conflictOfInterest: true, via: 'sms' }));
        expect(smsTo(ben.phone)).toEqual([expect.objectContaining({ Message: expect.stringContaining(REFERENCE) })]);
        expect(smsTo(asha.phone)).toEqual([expect.objectContaining({ Message: expect.stringContaining('conflict of interest is recorded') })]);
        expect(JSON.stringify(write)).not.toContain('Quillon');
        expect(leeds.recorded.text()).not.toContain('Quillon');
      },
    );

    it('a plain "2" leaves no conflict on the referral', async () => {
      await receive(inboundSmsEvent({ messageBody: '2' }));
      const stored = asReferral(stateWrites()[0]?.Item);
      expect(stored.conflicts).toBeUndefined();
      expect(stored.timeline.some((entry) => entry.type === 'conflict_declared')).toBe(false);
    });
  });

  it('"2 on leave" from the paged AMHP declines and pages the secondary at once', async () => {
    await receive(inboundSmsEvent({ messageBody: '2 on leave' }));
    expect(asReferral(stateWrites()[0]?.Item).escalation).toMatchObject({ declinedBy: [asha.id], pageSeq: 2 });
    expect(smsTo(ben.phone)).toEqual([expect.objectContaining({ Message: expect.stringContaining(REFERENCE) })]);
    expect(JSON.stringify(stateWrites())).not.toContain('on leave');
  });

  it('a retried "1" after an accept whose follow-up SMS failed sends the pending SMS, and changes nothing else', async () => {
    const accepted = pagingReferral();
    const pendingReferrerSms = { kind: 'sms' as const, to: REFERRER_PHONE, text: `${REFERENCE} accepted`, purpose: 'referrer-accepted' as const };
    tableHolds(TABLES.referrals, [
      referralItem({
        ...accepted,
        status: 'accepted',
        assignedTo: asha.id,
        escalation: { ...accepted.escalation!, status: 'accepted', acceptedBy: asha.id, acceptedAt: NOW.toISOString() },
        outbox: { e000009: pendingReferrerSms },
      }),
      staffPageItem(asha.id, REFERRAL_ID),
    ]);
    await receive(loadEvent<SNSEvent>('sns-inbound-sms'));
    expect(smsTo(REFERRER_PHONE)).toEqual([expect.objectContaining({ Message: `${REFERENCE} accepted` })]);
    expect(stateWrites()).toEqual([]);
    expect(smsTo(ben.phone)).toEqual([]);
  });

  describe('a message from a number that is not a member of staff', () => {
    const stranger = '+447700900999';

    it('is dropped: no reply and no write', async () => {
      await receive(inboundSmsEvent({ originationNumber: stranger, messageBody: '1' }));
      expect(sns.calls()).toHaveLength(0);
      expect(dynamoWrites()).toEqual([]);
    });

    it('leaves the number out of every log line', async () => {
      await receive(inboundSmsEvent({ originationNumber: stranger, messageBody: 'is this the crisis line? my son Zebedee' }));
      expect(leeds.recorded.lines.length).toBeGreaterThan(0);
      for (const form of [stranger, '07700900999', '07700 900999', '7700900999', '7700 900999']) {
        expect(leeds.recorded.text()).not.toContain(form);
      }
      expect(leeds.recorded.text()).not.toContain('Zebedee');
    });
  });

  describe('a notification that is not understood', () => {
    it('is dropped without throwing when the Message is not JSON', async () => {
      await expect(receive(inboundSmsEvent('originationNumber=+447700900101&messageBody=1'))).resolves.toBeUndefined();
      expect(dynamo.calls()).toHaveLength(0);
      expect(sns.calls()).toHaveLength(0);
      expect(leeds.recorded.lines).toContainEqual(
        expect.objectContaining({ level: 'warn', extra: { messageId: loadEvent<SNSEvent>('sns-inbound-sms').Records[0]?.Sns.MessageId } }),
      );
    });

    it('is dropped without throwing when the Message lacks the originating number', async () => {
      const event = inboundSmsEvent(JSON.stringify({ destinationNumber: '+447700900000', messageBody: '1' }));
      await expect(receive(event)).resolves.toBeUndefined();
      expect(dynamo.calls()).toHaveLength(0);
      expect(sns.calls()).toHaveLength(0);
    });

    it('does not stop the other records of the event from being handled', async () => {
      const event = inboundSmsEvent();
      const [good] = event.Records;
      if (!good) throw new Error('no record');
      event.Records = [{ ...structuredClone(good), Sns: { ...good.Sns, MessageId: 'garbled', Message: '{"messageBody":' } }, good];
      await receive(event);
      expect(stateWrites()).toHaveLength(1);
    });
  });

  it('answers HELP from a member of staff with the reply codes, and changes nothing but the help counter', async () => {
    await receive(inboundSmsEvent({ messageBody: 'HELP' }));
    expect(publishedSms()).toEqual([
      expect.objectContaining({ PhoneNumber: asha.phone, Message: expect.stringContaining('reply 1') }),
      expect.objectContaining({ PhoneNumber: asha.phone, Message: expect.stringContaining('ATTENDING 4F7K 30') }),
    ]);
    expect(dynamoWrites()).toEqual([
      expect.objectContaining({ Key: { pk: `QUOTA#help:${asha.phone}`, sk: expect.any(String) }, ConditionExpression: expect.stringContaining('< :limit') }),
    ]);
  });

  it('stops answering junk once the number has had its help replies for the hour', async () => {
    dynamo
      .on(UpdateCommand, { Key: { pk: `QUOTA#help:${asha.phone}` } })
      .rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    await receive(inboundSmsEvent({ messageBody: 'what?? 🤔' }));
    expect(publishedSms()).toEqual([]);
  });

  it('does not answer STOP (the SMS provider keeps the opt-out list) but tells the manager on duty the AMHP cannot be paged, and unverifies the phone', async () => {
    await receive(inboundSmsEvent({ messageBody: 'STOP' }));
    expect(publishedSms()).toEqual([
      expect.objectContaining({ PhoneNumber: dev.phone, Message: expect.stringContaining(`${asha.name} replied STOP`) }),
    ]);
    expect(dynamoWrites()).toEqual([
      expect.objectContaining({ Key: { pk: `STAFF#${asha.id}`, sk: 'STAFF' }, UpdateExpression: 'REMOVE phoneVerification' }),
    ]);
  });

  it.each([
    ['NOTICES OFF', false, 'shift notices are off'],
    ['notices on', true, 'shift notices are on'],
  ])('"%s" sets the AMHP\'s shift notices by one UpdateItem of their staff record, answers, and touches no referral', async (body, on, answer) => {
    await receive(inboundSmsEvent({ messageBody: body }));
    expect(publishedSms()).toEqual([expect.objectContaining({ PhoneNumber: asha.phone, Message: expect.stringContaining(answer) })]);
    const staffWrites = updates().filter((write) => write.Key?.pk === `STAFF#${asha.id}`);
    expect(staffWrites).toEqual([
      expect.objectContaining({ TableName: TABLES.directory, Key: { pk: `STAFF#${asha.id}`, sk: 'STAFF' }, UpdateExpression: 'SET shiftNotices = :on', ExpressionAttributeValues: { ':on': on } }),
    ]);
    expect(stateWrites()).toEqual([]);
  });

  it('tells an AMHP who was not paged that there is nothing open for them, and accepts nothing', async () => {
    await receive(inboundSmsEvent({ originationNumber: ben.phone, messageBody: '1' }));
    expect(publishedSms()).toEqual([expect.objectContaining({ PhoneNumber: ben.phone })]);
    expect(stateWrites()).toEqual([]);
  });
});

describe('a stage texted by the AMHP who accepted', () => {
  const code = REFERENCE.slice(4, 8);
  beforeEach(() => {
    const held = referralItem(acceptedReferral());
    tableHolds(TABLES.referrals, [held, detailsItem()]);
    dynamo.on(QueryCommand, { IndexName: 'openByTeam' }).resolves({ Items: [held] });
  });

  it('records "ATTENDING <code> 30" on the referral with who, when and how, and confirms it in the same words as the pages', async () => {
    await receive(inboundSmsEvent({ messageBody: `ATTENDING ${code} 30` }));
    const [write, ...more] = stateWrites();
    expect(more).toEqual([]);
    expect(asReferral(write?.Item).timeline.at(-1)).toMatchObject({ type: 'attending', etaMinutes: 30, by: asha.id, via: 'sms', eventAt: NOW.toISOString() });
    expect(smsTo(asha.phone)).toEqual([expect.objectContaining({ Message: `dutyline ${REFERENCE}: recorded: AMHP on the way (about 30 min).` })]);
  });

  it('answers a stage out of order with why, records nothing, and says nothing of the person', async () => {
    await receive(inboundSmsEvent({ messageBody: 'DECISION S2' }));
    expect(stateWrites()).toEqual([]);
    const [answer] = smsTo(asha.phone);
    expect(answer?.Message).toBe(`dutyline ${REFERENCE}: not recorded: the assessment has not started: record the start of the assessment before its decision.`);
    for (const identifier of subjectIdentifiers) expect(answer?.Message).not.toContain(identifier);
  });

  it('tells an AMHP who holds no referral with that code that nothing was recorded', async () => {
    await receive(inboundSmsEvent({ messageBody: 'ARRIVED 9QX2' }));
    expect(stateWrites()).toEqual([]);
    expect(smsTo(asha.phone)).toEqual([expect.objectContaining({ Message: expect.stringContaining('no open referral with the code 9QX2') })]);
  });

  it('records nothing for another AMHP of the team, who holds none', async () => {
    await receive(inboundSmsEvent({ messageBody: 'ARRIVED', originationNumber: ben.phone }));
    expect(stateWrites()).toEqual([]);
    expect(smsTo(ben.phone)).toEqual([expect.objectContaining({ Message: expect.stringContaining('you hold no open referral to record a stage on') })]);
  });
});
