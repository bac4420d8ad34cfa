import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeHandler } from '../../../functions/escalator/handler.ts';
import type { RecordingMetrics } from '../../../shared/adapters/recording-metrics.ts';
import { VoiceCallError, type Dependencies, type EscalationTimerMessage, type Referral } from '../../../shared/ports.ts';
import { dynamo, publishedSms, sentMessages, stateWrites, tableHolds } from '../../support/aws.ts';
import { REFERRAL_ID, asReferral, asha, ben, leedsChain, leedsDirectory, pagingReferral, referralItem, staffItem, subjectIdentifiers } from '../../support/dataset.ts';
import { NOW, TABLES } from '../../support/dependencies.ts';
import { handlerTest } from '../../support/handler-test.ts';
import { lambdaContext, sqsBody, sqsEvent } from '../../support/events.ts';

/**
 * The voice fallback on the escalator, with the production adapters on mocked AWS clients and a
 * recording voice caller: a page planned with a call timer, the timer checking the page is still
 * the one unanswered, and the call placed, limited or failing, never moving the chain.
 */

const context = lambdaContext('dutyline-escalator');
const leeds = handlerTest();
let deps: Dependencies;
let calls: { to: string; ssml: string }[];
let escalate: ReturnType<typeof makeHandler>;

beforeEach(() => {
  calls = [];
  deps = leeds.deps;
  deps.voice = { call: async (to, ssml) => void calls.push({ to, ssml }) };
  escalate = makeHandler(deps);
});

const message = (changes: Partial<EscalationTimerMessage> = {}) =>
  sqsEvent('sqs-escalation-timer', [{ ...sqsBody<EscalationTimerMessage>('sqs-escalation-timer'), ...changes }]);
/** Asha's page-1 call timer, as events/sqs-voice-call-timer.json carries it. */
const callTimer = (pageSeq = 1) => sqsEvent('sqs-voice-call-timer', [{ ...sqsBody<EscalationTimerMessage>('sqs-voice-call-timer'), pageSeq }]);
const metrics = () => deps.metrics as RecordingMetrics;
const holds = (referral: Referral) => tableHolds(TABLES.referrals, [referralItem(referral)]);
const timelineWritten = () => stateWrites().flatMap((write) => asReferral(write.Item).timeline);

describe('planning a call when a page goes out', () => {
  const timersSent = () => sentMessages().map((sent) => ({ ...JSON.parse(String(sent.MessageBody)), DelaySeconds: sent.DelaySeconds }));

  it("plans the page's call timer at the team's callAfterSeconds (default 120 s) beside its acknowledgement timer", async () => {
    holds(pagingReferral());
    await escalate(message(), context);
    expect(timersSent()).toEqual(
      expect.arrayContaining([
        { referralId: REFERRAL_ID, pageSeq: 2, dueAt: new Date(NOW.getTime() + 600_000).toISOString(), DelaySeconds: 600 },
        { referralId: REFERRAL_ID, pageSeq: 2, dueAt: new Date(NOW.getTime() + 120_000).toISOString(), reason: 'voice-call', DelaySeconds: 120 },
      ]),
    );
  });

  it("takes the person's own setting over the team's", async () => {
    tableHolds(TABLES.directory, [...leedsDirectory().filter((item) => item.pk !== `STAFF#${ben.id}`), staffItem({ ...ben, callAfterSeconds: 30 })]);
    holds({ ...pagingReferral(), chain: { ...leedsChain, callAfterSeconds: 300 } });
    await escalate(message(), context);
    expect(timersSent().filter((timer) => timer.reason === 'voice-call')).toEqual([expect.objectContaining({ pageSeq: 2, DelaySeconds: 30 })]);
  });

  it.each([
    ['the team says null', { callAfterSeconds: null }],
    ['the call would come at or after the timeout', { callAfterSeconds: 600 }],
  ])('plans no call when %s', async (_case, chain) => {
    holds({ ...pagingReferral(), chain: { ...leedsChain, ...chain } });
    await escalate(message(), context);
    expect(timersSent().filter((timer) => timer.reason === 'voice-call')).toEqual([]);
    expect(timersSent()).toHaveLength(1);
  });

  it('plans no call where the deployment has no voice channel', async () => {
    delete deps.voice;
    holds(pagingReferral());
    await escalate(message(), context);
    expect(timersSent().filter((timer) => timer.reason === 'voice-call')).toEqual([]);
  });
});

describe('a call timer for a page still unanswered', () => {
  it('rings the same phone once with the SSML, records it on the timeline and counts it, and leaves the chain where it was', async () => {
    holds(pagingReferral());
    expect(await escalate(callTimer(), context)).toEqual({ batchItemFailures: [] });
    expect(calls).toEqual([{ to: asha.phone, ssml: expect.stringContaining('<say-as interpret-as="characters">4F7K</say-as>') }]);
    for (const identifier of subjectIdentifiers) expect(calls[0]?.ssml).not.toContain(identifier);
    expect(timelineWritten()).toContainEqual({ at: NOW.toISOString(), type: 'voice_call', staffId: asha.id, pageSeq: 1 });
    expect(metrics().total('VoiceCallsPlaced')).toBe(1);
    for (const write of stateWrites()) {
      const escalation = asReferral(write.Item).escalation;
      if (escalation) expect(escalation).toMatchObject({ status: 'paging', pageSeq: 1 });
    }
    expect(publishedSms()).toEqual([]);
    expect(sentMessages()).toEqual([]);
  });

  it('records a failed call and counts it, and the message still succeeds (the chain is not held)', async () => {
    deps.voice = { call: () => Promise.reject(new VoiceCallError('ValidationException')) };
    holds(pagingReferral());
    expect(await escalate(callTimer(), context)).toEqual({ batchItemFailures: [] });
    expect(timelineWritten()).toContainEqual({ at: NOW.toISOString(), type: 'voice_call_failed', staffId: asha.id, pageSeq: 1, reason: 'ValidationException' });
    expect(metrics().total('VoiceCallFailures')).toBe(1);
    expect(metrics().total('VoiceCallsPlaced')).toBe(0);
  });

  it('does not ring a phone over its per-number call limit, and says so', async () => {
    const over = Object.assign(new Error('over'), { name: 'ConditionalCheckFailedException' });
    dynamo.on(UpdateCommand).callsFake((input: { Key?: { pk?: string } }) => {
      if (input.Key?.pk === `QUOTA#call:${asha.phone}`) throw over;
      return {};
    });
    holds(pagingReferral());
    await escalate(callTimer(), context);
    expect(calls).toEqual([]);
    expect(timelineWritten()).toContainEqual(expect.objectContaining({ type: 'voice_call_failed', reason: 'rate_limited' }));
  });
});

describe('a call timer for a page no longer waiting', () => {
  it.each([
    ['accepted', (): Referral => {
      const referral = pagingReferral();
      return { ...referral, status: 'accepted', assignedTo: asha.id, escalation: { ...referral.escalation!, status: 'accepted', acceptedBy: asha.id } };
    }],
    ['superseded (declined, the next person paged)', () => pagingReferral({ ashaDeclined: true })],
    ['timed out already (the chain ran out on it)', (): Referral => {
      const referral = pagingReferral();
      return { ...referral, status: 'exhausted', escalation: { ...referral.escalation!, status: 'exhausted' }, timeline: [...referral.timeline, { at: NOW.toISOString(), type: 'ack_timeout', staffId: asha.id, pageSeq: 1 }] };
    }],
    ['closed', (): Referral => ({ ...pagingReferral(), status: 'closed' })],
  ])('rings nobody and writes nothing when the page was %s', async (_case, referral) => {
    holds(referral());
    expect(await escalate(callTimer(1), context)).toEqual({ batchItemFailures: [] });
    expect(calls).toEqual([]);
    expect(stateWrites()).toEqual([]);
  });

  it('rings once only when the timer is delivered twice', async () => {
    const referral = pagingReferral();
    holds({ ...referral, timeline: [...referral.timeline, { at: NOW.toISOString(), type: 'voice_call', staffId: asha.id, pageSeq: 1 }] });
    await escalate(callTimer(), context);
    expect(calls).toEqual([]);
  });
});
