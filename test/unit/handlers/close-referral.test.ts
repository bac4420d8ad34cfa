import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../../functions/manager/close-referral.ts';
import { completedEffects, stateWrites, updates } from '../../support/aws.ts';
import { REFERRAL_ID, acceptedReferral, asReferral, detailsItem, referralItem, subjectIdentifiers } from '../../support/dataset.ts';
import { NOW } from '../../support/dependencies.ts';
import { httpEvent } from '../../support/events.ts';
import { handlerTest } from '../../support/handler-test.ts';

/**
 * Closing starts the retention period of the person's details: the referral records when they go
 * (in the same conditional write as the outcome), and an effect of that write sets the details
 * item's TTL, so a crash after the write still gets it done (by the retry or the reconciler).
 */

const DAY_SECONDS = 86_400;
const leeds = handlerTest({ referrals: () => [referralItem(acceptedReferral()), detailsItem()] });

const close = async (dependencies = leeds.deps) => {
  const result = await makeHandler(dependencies)(httpEvent('http-close-referral'));
  return { statusCode: result.statusCode, json: JSON.parse(result.body ?? 'null') as Record<string, unknown> };
};

describe('POST /api/referrals/{id}/close and the retention of the details', () => {
  it('records that the details go 30 days after the close, with the outcome, in one conditional write', async () => {
    const response = await close();
    expect(response.statusCode).toBe(200);
    const removeAt = new Date(NOW.getTime() + 30 * DAY_SECONDS * 1000).toISOString();
    expect(response.json.personalDetails).toEqual({ status: 'held', removeAt });
    const [write, ...more] = stateWrites();
    expect(more).toEqual([]);
    expect(write).toMatchObject({ ConditionExpression: 'version = :expected', Item: { sk: 'REFERRAL', status: 'closed', detailsExpireAt: removeAt } });
    expect(Object.values(asReferral(write?.Item).outbox)).toContainEqual({ kind: 'expire-details', at: removeAt });
  });

  it("sets the details item's TTL to then, and ticks the effect off", async () => {
    await close();
    const ttl = updates().filter((update) => update.Key?.sk === 'DETAILS');
    expect(ttl).toEqual([
      expect.objectContaining({
        Key: { pk: `REFERRAL#${REFERRAL_ID}`, sk: 'DETAILS' },
        UpdateExpression: 'SET expiresAt = :at',
        ExpressionAttributeValues: { ':at': NOW.getTime() / 1000 + 30 * DAY_SECONDS, ':now': NOW.getTime() / 1000 },
      }),
    ]);
    const write = asReferral(stateWrites()[0]?.Item);
    const effectId = Object.entries(write.outbox).find(([, effect]) => effect.kind === 'expire-details')?.[0];
    expect(completedEffects()).toContain(effectId);
  });

  it('follows the deployment setting', async () => {
    const response = await close({ ...leeds.deps, retention: { detailsDaysAfterClose: 7, detailsDaysUnclosed: 90 } });
    expect(response.json.personalDetails).toEqual({ status: 'held', removeAt: new Date(NOW.getTime() + 7 * DAY_SECONDS * 1000).toISOString() });
  });

  it('logs ids and the outcome only', async () => {
    await close();
    for (const identifier of subjectIdentifiers) expect(leeds.recorded.text()).not.toContain(identifier);
  });
});
