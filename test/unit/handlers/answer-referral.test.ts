import { PublishCommand } from '@aws-sdk/client-sns';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeHandler as makeAccept } from '../../../functions/acknowledge/accept-referral.ts';
import { makeHandler as makeDecline } from '../../../functions/acknowledge/decline-referral.ts';
import { dynamoWrites, stateWrites, publishedSms, sentMessages, sns, tableHolds } from '../../support/aws.ts';
import {
  REFERENCE,
  REFERRAL_ID,
  REFERRER_PHONE,
  asReferral,
  asha,
  ben,
  detailsItem,
  pagingReferral,
  referralItem,
  subjectIdentifiers,
} from '../../support/dataset.ts';
import { NOW, QUEUES, TABLES } from '../../support/dependencies.ts';
import { httpEvent, type HttpChanges } from '../../support/events.ts';
import { handlerTest } from '../../support/handler-test.ts';

const leeds = handlerTest({ referrals: () => [referralItem(pagingReferral()), detailsItem()] });
let accept: ReturnType<typeof makeAccept>;
let decline: ReturnType<typeof makeDecline>;

beforeEach(() => {
  accept = makeAccept(leeds.deps);
  decline = makeDecline(leeds.deps);
});

const parsed = (result: Awaited<ReturnType<typeof accept>>) => ({
  statusCode: result.statusCode,
  json: JSON.parse(result.body ?? 'null') as Record<string, unknown>,
});
/** The same request signed in as Ben, who holds no page for the referral. */
const asBen: HttpChanges = { claims: { sub: '2e4a6c8e-0b1d-4f3a-8c5e-7a9b1c3d5e7f', username: ben.id, 'custom:staffId': ben.id } };
const DECLINE_REASON = 'already at an assessment in Wakefield';

describe('POST /api/referrals/{id}/accept', () => {
  it('lets the paged AMHP accept: 200 with status accepted, and the referrer is told by SMS', async () => {
    const response = parsed(await accept(httpEvent('http-accept-referral')));
    expect(response.statusCode).toBe(200);
    expect(response.json).toMatchObject({ id: REFERRAL_ID, status: 'accepted', assignedTo: asha.id });
    expect(response.json).not.toHaveProperty('submission');
    expect(publishedSms()).toEqual([expect.objectContaining({ PhoneNumber: REFERRER_PHONE, Message: expect.stringContaining(asha.name) })]);
  });

  it('answers 200 once the accept is stored even when telling the referrer fails; the SMS stays pending for the reconciler', async () => {
    // A failure a later attempt may get past (a refusal for good would be set aside at once).
    sns.on(PublishCommand).rejects(Object.assign(new Error('provider down'), { name: 'ServiceUnavailableException' }));
    const response = parsed(await accept(httpEvent('http-accept-referral')));
    expect(response.statusCode).toBe(200);
    expect(response.json).toMatchObject({ status: 'accepted', assignedTo: asha.id });
    const stored = asReferral(stateWrites()[0]?.Item);
    expect(Object.values(stored.outbox)).toContainEqual(expect.objectContaining({ kind: 'sms', to: REFERRER_PHONE }));
    expect(leeds.recorded.text()).toContain('effects left pending for the reconciler');
  });

  it('reads the referrer\'s number from the details kept beside the referral, and texts nobody once they are removed', async () => {
    const expiredAt = '2026-11-25T01:00:00.000Z';
    tableHolds(TABLES.referrals, [referralItem({ ...pagingReferral(), detailsExpireAt: expiredAt }), detailsItem(REFERRAL_ID, { expiresAt: expiredAt })]);
    const response = parsed(await accept(httpEvent('http-accept-referral')));
    expect(response.statusCode).toBe(200);
    expect(publishedSms().map((sms) => sms.PhoneNumber)).not.toContain(REFERRER_PHONE);
    const stored = asReferral(stateWrites()[0]?.Item);
    expect(stored.timeline).toContainEqual(expect.objectContaining({ type: 'referrer_notified', channel: 'none', reason: 'details_removed' }));
  });

  it('answers 403 to an AMHP who was not paged for the referral, and writes nothing', async () => {
    const response = parsed(await accept(httpEvent('http-accept-referral', asBen)));
    expect(response.statusCode).toBe(403);
    expect(response.json.error).toBe('forbidden');
    expect(dynamoWrites()).toEqual([]);
    expect(sns.calls()).toHaveLength(0);
  });

  it('answers 403 to a caller with no staff record', async () => {
    const response = parsed(await accept(httpEvent('http-accept-referral', { claims: { 'custom:staffId': undefined } })));
    expect(response.statusCode).toBe(403);
  });

  it('answers 401 without JWT claims', async () => {
    expect((await accept(httpEvent('http-accept-referral', { anonymous: true }))).statusCode).toBe(401);
  });

  it('answers 404 for a referral that does not exist', async () => {
    const response = await accept(httpEvent('http-accept-referral', { pathParameters: { id: '01KMX7ZZZZZZZZZZZZZZZZZZZZ' } }));
    expect(response.statusCode).toBe(404);
  });

  it('answers 409 to an AMHP who declined it earlier, and writes nothing', async () => {
    tableHolds(TABLES.referrals, [referralItem(pagingReferral({ ashaDeclined: true }))]);
    const response = parsed(await accept(httpEvent('http-accept-referral')));
    expect(response.statusCode).toBe(409);
    expect(response.json.error).toBe('declined');
    expect(dynamoWrites()).toEqual([]);
  });
});

describe('POST /api/referrals/{id}/decline', () => {
  it('answers 403 to an AMHP who was not paged for the referral', async () => {
    const response = parsed(await decline(httpEvent('http-decline-referral', asBen)));
    expect(response.statusCode).toBe(403);
    expect(dynamoWrites()).toEqual([]);
  });

  describe('by the paged AMHP', () => {
    it('pages the next step (the secondary) at once, and starts its timer', async () => {
      const response = parsed(await decline(httpEvent('http-decline-referral')));
      expect(response.statusCode).toBe(200);
      expect(response.json).toMatchObject({ status: 'paging' });
      const sms = publishedSms();
      expect(sms).toEqual([expect.objectContaining({ PhoneNumber: ben.phone, Message: expect.stringContaining(REFERENCE) })]);
      for (const identifier of subjectIdentifiers) expect(sms[0]?.Message).not.toContain(identifier);
      expect(sentMessages()).toEqual([
        {
          QueueUrl: QUEUES.escalationTimers,
          MessageBody: JSON.stringify({ referralId: REFERRAL_ID, pageSeq: 2, dueAt: new Date(NOW.getTime() + 600_000).toISOString() }),
          DelaySeconds: 600,
        },
      ]);
    });

    it('records the decline, and that a reason was given, but not the reason itself', async () => {
      await decline(httpEvent('http-decline-referral'));
      const [write] = stateWrites();
      const stored = asReferral(write?.Item);
      expect(stored.escalation?.declinedBy).toEqual([asha.id]);
      expect(stored.timeline).toContainEqual(expect.objectContaining({ type: 'declined', staffId: asha.id, reasonGiven: true, via: 'api' }));
      expect(JSON.stringify(write)).not.toContain(DECLINE_REASON);
      expect(leeds.recorded.text()).not.toContain(DECLINE_REASON);
    });

    it('refuses a reason longer than 500 characters with 400 naming reason', async () => {
      const response = parsed(await decline(httpEvent('http-decline-referral', { body: { reason: 'x'.repeat(501) } })));
      expect(response.statusCode).toBe(400);
      expect(response.json).toMatchObject({ issues: [{ path: 'reason' }] });
      expect(dynamoWrites()).toEqual([]);
    });
  });

  describe('declaring a conflict of interest', () => {
    const CONFLICT_REASON = 'I supervised her brother Quillon at school';

    it('records the conflict on the referral and its timeline, never the reason, and pages the secondary at once', async () => {
      const response = parsed(await decline(httpEvent('http-decline-referral', { body: { reason: CONFLICT_REASON, conflictOfInterest: true } })));
      expect(response.statusCode).toBe(200);
      const [write, ...more] = stateWrites();
      expect(more).toEqual([]);
      const stored = asReferral(write?.Item);
      expect(stored.conflicts).toEqual([asha.id]);
      expect(stored.escalation).toMatchObject({ declinedBy: [asha.id], conflicted: [asha.id], pageSeq: 2 });
      expect(stored.timeline).toContainEqual(expect.objectContaining({ type: 'conflict_declared', staffId: asha.id, via: 'api' }));
      expect(stored.timeline).toContainEqual(expect.objectContaining({ type: 'declined', staffId: asha.id, conflictOfInterest: true, reasonGiven: true }));
      expect(publishedSms()).toEqual([expect.objectContaining({ PhoneNumber: ben.phone })]);
      for (const text of [JSON.stringify(write), JSON.stringify(response.json), leeds.recorded.text(), JSON.stringify(publishedSms())]) {
        expect(text).not.toContain('Quillon');
        expect(text).not.toContain('supervised');
      }
    });

    it('records a conflict declared after a plain decline, paging nobody new', async () => {
      tableHolds(TABLES.referrals, [referralItem(pagingReferral({ ashaDeclined: true }))]);
      const response = parsed(await decline(httpEvent('http-decline-referral', { body: { conflictOfInterest: true } })));
      expect(response.statusCode).toBe(200);
      const stored = asReferral(stateWrites()[0]?.Item);
      expect(stored.conflicts).toEqual([asha.id]);
      expect(stored.escalation?.conflicted).toEqual([asha.id]);
      expect(stored.escalation?.pageSeq).toBe(2);
      expect(sentMessages()).toEqual([]);
      expect(publishedSms()).toEqual([]);
    });

    it('refuses a conflictOfInterest that is not true or false with 400 naming it, and writes nothing', async () => {
      const response = parsed(await decline(httpEvent('http-decline-referral', { body: { reason: CONFLICT_REASON, conflictOfInterest: 'yes' } })));
      expect(response.statusCode).toBe(400);
      expect(response.json).toMatchObject({ issues: [{ path: 'conflictOfInterest', message: 'must be true or false' }] });
      expect(JSON.stringify(response.json)).not.toContain('Quillon');
      expect(dynamoWrites()).toEqual([]);
    });

    it('answers 403 to an AMHP who was not paged, recording no conflict', async () => {
      const response = parsed(await decline(httpEvent('http-decline-referral', { ...asBen, body: { conflictOfInterest: true } })));
      expect(response.statusCode).toBe(403);
      expect(dynamoWrites()).toEqual([]);
    });
  });
});
