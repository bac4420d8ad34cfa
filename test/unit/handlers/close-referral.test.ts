import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeHandler } from '../../../functions/manager/close-referral.ts';
import type { Dependencies } from '../../../shared/ports.ts';
import { completedEffects, resetAws, stateWrites, tableHolds, updates } from '../../support/aws.ts';
import { REFERRAL_ID, asReferral, asha, detailsItem, leedsDirectory, pagingReferral, referralItem, subjectIdentifiers } from '../../support/dataset.ts';
import { NOW, TABLES, recordingLog, testDependencies, type RecordingLog } from '../../support/dependencies.ts';
import { httpEvent } from '../../support/events.ts';

/**
 * Closing starts the retention period of the person's details: the referral records when they go
 * (in the same conditional write as the outcome), and an effect of that write sets the details
 * item's TTL, so a crash after the write still gets it done (by the retry or the reconciler).
 */

const DAY_SECONDS = 86_400;
let recorded: RecordingLog;
let deps: Dependencies;

/** Accepted by Asha at 01:55, as events/http-close-referral.json (signed in as Asha) expects. */
function acceptedReferral() {
  const paging = pagingReferral();
  const acceptedAt = '2026-11-25T01:55:00.000Z';
  return {
    ...paging,
    status: 'accepted' as const,
    assignedTo: asha.id,
    escalation: { ...paging.escalation!, status: 'accepted' as const, acceptedBy: asha.id, acceptedAt },
    timeline: [...paging.timeline, { at: acceptedAt, type: 'accepted' as const, staffId: asha.id }],
  };
}

beforeEach(() => {
  resetAws();
  recorded = recordingLog();
  deps = testDependencies(recorded.log);
  tableHolds(TABLES.directory, leedsDirectory());
  tableHolds(TABLES.referrals, [referralItem(acceptedReferral()), detailsItem()]);
});

afterEach(() => {
  vi.restoreAllMocks();
});

const close = async (dependencies = deps) => {
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
    const response = await close({ ...deps, retention: { detailsDaysAfterClose: 7, detailsDaysUnclosed: 90 } });
    expect(response.json.personalDetails).toEqual({ status: 'held', removeAt: new Date(NOW.getTime() + 7 * DAY_SECONDS * 1000).toISOString() });
  });

  it('logs ids and the outcome only', async () => {
    await close();
    for (const identifier of subjectIdentifiers) expect(recorded.text()).not.toContain(identifier);
  });
});
