import { beforeEach, describe, expect, it } from 'vitest';
import { makeHandler } from '../../../functions/escalator/handler.ts';
import type { EscalationTimerMessage } from '../../../shared/ports.ts';
import { dynamo, dynamoWrites, stateWrites, publishedSms, sentMessages, sns, tableHolds } from '../../support/aws.ts';
import {
  REFERENCE,
  REFERRAL_ID,
  asReferral,
  asha,
  ben,
  dev,
  leedsChain,
  team,
  pagingReferral,
  referralItem,
  subjectIdentifiers,
} from '../../support/dataset.ts';
import { NOW, QUEUES, TABLES } from '../../support/dependencies.ts';
import { handlerTest } from '../../support/handler-test.ts';
import { lambdaContext, sqsBody, sqsEvent } from '../../support/events.ts';

const leeds = handlerTest();
let escalate: ReturnType<typeof makeHandler>;
const context = lambdaContext('dutyline-escalator');

beforeEach(() => {
  escalate = makeHandler(leeds.deps);
});

/** Asha's page-1 timer, as events/sqs-escalation-timer.json carries it, changed as asked. */
const timer = (changes: Partial<EscalationTimerMessage> = {}) =>
  sqsEvent('sqs-escalation-timer', [{ ...sqsBody<EscalationTimerMessage>('sqs-escalation-timer'), ...changes }]);

describe('escalator (SQS consumer of the acknowledgement timers)', () => {
  it('sends a timer due more than 900 s from now on again with DelaySeconds 900, and does nothing else', async () => {
    tableHolds(TABLES.referrals, [referralItem(pagingReferral())]);
    const dueAt = new Date(NOW.getTime() + 3_600_000).toISOString();

    const result = await escalate(timer({ dueAt }), context);

    expect(result).toEqual({ batchItemFailures: [] });
    expect(sentMessages()).toEqual([
      { QueueUrl: QUEUES.escalationTimers, MessageBody: JSON.stringify({ referralId: REFERRAL_ID, pageSeq: 1, dueAt }), DelaySeconds: 900 },
    ]);
    expect(dynamo.calls()).toHaveLength(0);
    expect(sns.calls()).toHaveLength(0);
  });

  it('sends a timer that is early by less than 900 s on again for exactly the time left', async () => {
    const dueAt = new Date(NOW.getTime() + 120_000).toISOString();
    await escalate(timer({ dueAt }), context);
    expect(sentMessages()).toEqual([expect.objectContaining({ DelaySeconds: 120 })]);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('ignores a stale timer (its pageSeq older than the referral\'s current one): no SMS, no write', async () => {
    // Asha declined and Ben was paged (page 2) before Asha's page-1 timer came due.
    tableHolds(TABLES.referrals, [referralItem(pagingReferral({ ashaDeclined: true }))]);

    const result = await escalate(timer({ pageSeq: 1 }), context);

    expect(result).toEqual({ batchItemFailures: [] });
    expect(sns.calls()).toHaveLength(0);
    expect(dynamoWrites()).toEqual([]);
    expect(sentMessages()).toEqual([]);
    expect(leeds.recorded.lines).toContainEqual(expect.objectContaining({ extra: expect.objectContaining({ acted: false }) }));
  });

  describe('a due timer for the page in hand', () => {
    beforeEach(() => {
      tableHolds(TABLES.referrals, [referralItem(pagingReferral())]);
    });

    it('pages the next step of the chain (the secondary) by SMS, without the subject\'s details', async () => {
      expect(await escalate(timer(), context)).toEqual({ batchItemFailures: [] });
      const sms = publishedSms();
      expect(sms).toEqual([expect.objectContaining({ PhoneNumber: ben.phone, Message: expect.stringContaining(REFERENCE) })]);
      for (const identifier of subjectIdentifiers) expect(sms[0]?.Message).not.toContain(identifier);
    });

    it("starts the next page's timer", async () => {
      await escalate(timer(), context);
      expect(sentMessages()).toEqual([
        {
          QueueUrl: QUEUES.escalationTimers,
          MessageBody: JSON.stringify({ referralId: REFERRAL_ID, pageSeq: 2, dueAt: new Date(NOW.getTime() + 600_000).toISOString() }),
          DelaySeconds: 600,
        },
      ]);
    });

    it('records the timeout and the new page in one conditional write', async () => {
      await escalate(timer(), context);
      const [write, ...others] = stateWrites();
      expect(others).toEqual([]);
      expect(write).toMatchObject({ ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': pagingReferral().version } });
      const stored = asReferral(write?.Item);
      expect(stored.escalation).toMatchObject({ status: 'paging', pageSeq: 2, step: 1 });
      expect(stored.timeline.slice(-2).map((entry) => entry.type)).toEqual(['ack_timeout', 'paged']);
    });
  });

  it('treats a timer that arrives within the early tolerance as due', async () => {
    tableHolds(TABLES.referrals, [referralItem(pagingReferral())]);
    await escalate(timer({ dueAt: new Date(NOW.getTime() + 400).toISOString() }), context);
    expect(publishedSms()).toEqual([expect.objectContaining({ PhoneNumber: ben.phone })]);
  });

  it('reports a timer message of the wrong shape in batchItemFailures', async () => {
    const event = sqsEvent('sqs-escalation-timer', [{ referralId: REFERRAL_ID, pageSeq: 'one', dueAt: 'soon' }]);
    expect(await escalate(event, context)).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[0]?.messageId }] });
    expect(dynamo.calls()).toHaveLength(0);
  });

  describe('under a team policy', () => {
    const underPolicy = (chain: Partial<typeof leedsChain>) => {
      const referral = pagingReferral();
      tableHolds(TABLES.referrals, [referralItem({ ...referral, chain: { ...leedsChain, ...chain } })]);
    };

    it('with repageOnce, pages the same AMHP once more as a reminder before moving on', async () => {
      underPolicy({ repageOnce: true });
      await escalate(timer(), context);
      const sms = publishedSms();
      expect(sms).toEqual([expect.objectContaining({ PhoneNumber: asha.phone, Message: expect.stringContaining(`${REFERENCE} (reminder)`) })]);
      for (const identifier of subjectIdentifiers) expect(sms[0]?.Message).not.toContain(identifier);
      expect(asReferral(stateWrites()[0]?.Item).escalation?.pages.at(-1)).toMatchObject({ staffId: asha.id, pageSeq: 2, repage: true });
    });

    it('with repageOnce, moves straight on when the page could not be delivered, and tells the manager', async () => {
      underPolicy({ repageOnce: true });
      await escalate(timer({ reason: 'page-failed' }), context);
      expect(publishedSms().map((sms) => sms.PhoneNumber).sort()).toEqual([ben.phone, dev.phone].sort());
    });

    it('at a fallback-phone step, texts the fallback phone with no personal details, and starts the step’s own timer', async () => {
      underPolicy({
        steps: [
          { position: 'primary', staffId: asha.id },
          { position: 'fallback_phone', staffId: null, delaySeconds: 120 },
          { position: 'secondary', staffId: ben.id },
        ],
      });
      await escalate(timer(), context);
      const sms = publishedSms();
      expect(sms).toEqual([expect.objectContaining({ PhoneNumber: team.fallbackPhone, Message: expect.stringContaining('NOT YET ACCEPTED') })]);
      expect(sms[0]?.Message).toContain(REFERENCE);
      for (const identifier of subjectIdentifiers) expect(sms[0]?.Message).not.toContain(identifier);
      expect(sentMessages()).toEqual([expect.objectContaining({ DelaySeconds: 120 })]);
      const stored = asReferral(stateWrites()[0]?.Item);
      expect(stored.timeline.at(-1)).toMatchObject({ type: 'fallback_phone_alerted', pageSeq: 2 });
      expect(JSON.stringify(stored.timeline)).not.toContain(team.fallbackPhone ?? '+44');
    });
  });
});
