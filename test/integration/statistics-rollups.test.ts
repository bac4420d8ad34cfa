import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { DEMO_TEAM_ID } from '../../infra/local/seed.ts';
import { addDays, instantToLocal } from '../../shared/domain/rota-time.ts';
import type { TimelineEntry } from '../../shared/domain/types.ts';
import type { Referral } from '../../shared/ports.ts';
import { localApi, localToken } from '../support/local-api.ts';

/**
 * The statistics' daily roll-ups on the emulators (issue 13 part 7): the page stores the days it
 * reads whole once they are over and closed, the dashboard then reads them instead of the
 * referrals and gives the same figures; a change to a closed referral, or a referral given to the
 * team for a rolled-up day, makes that day stale, so the figures follow it; and a reader that
 * read a day before such a change cannot store what it read.
 */

const NOW = new Date(Math.floor(Date.now() / 60_000) * 60_000);
const MIN = 60_000;
let runtime: LocalRuntime;
const api = localApi(() => runtime.url);
let manager = '';
const today = instantToLocal(NOW).date;
const threeDaysAgo = addDays(today, -3);
// 20:00 UTC three days ago is that London day's evening, whatever the season.
const evening = Date.parse(`${threeDaysAgo}T20:00:00Z`);

function referral(n: number, over: { closed?: boolean; receivedAt?: number } = {}): Referral {
  const received = over.receivedAt ?? evening + n * 10 * MIN;
  const at = (minutes: number) => new Date(received + minutes * MIN).toISOString();
  const closed = over.closed ?? true;
  const timeline: TimelineEntry[] = [
    { at: at(0), type: 'received', channel: 'phone', urgency: 'immediate', legalStatus: 's136', district: 'LS1' },
    { at: at(1), type: 'paged', staffId: 'amhp-asha', pageSeq: 1 },
    { at: at(3), type: 'accepted', staffId: 'amhp-asha', pageSeq: 1 },
    { at: at(20), type: 'arrived_at_place_of_safety', eventAt: at(20), placeKind: 'health_based', by: 'police' },
    { at: at(30), type: 'attending', eventAt: at(30), by: 'amhp-asha' },
    { at: at(80), type: 'assessment_started', eventAt: at(80), by: 'amhp-asha' },
    { at: at(120), type: 'decision', eventAt: at(120), outcome: 'no_further_action', by: 'amhp-asha' },
    { at: at(125), type: 'released', eventAt: at(125), by: 'amhp-asha' },
    ...(closed ? [{ at: at(130), type: 'closed' as const, outcome: 'assessed', result: 'no_further_action', by: 'amhp-asha' }] : []),
  ];
  return {
    id: `rollup-test-${n}`,
    reference: `EDT-ROLL-${String(n).padStart(4, '0')}`,
    status: closed ? 'closed' : 'accepted',
    createdAt: at(0),
    createdBy: 'police',
    district: 'LS1',
    detailsExpireAt: new Date(NOW.getTime() + 30 * 86_400_000).toISOString(),
    channel: 'phone',
    urgency: 'immediate',
    legal: { status: 's136', releasedAt: at(125) },
    clocks: [{ kind: 's136', startedAt: at(20), expiresAt: at(20 + 24 * 60), startEvent: 'arrived_at_place_of_safety', endedAt: at(125), endReason: 'released' }],
    teamId: DEMO_TEAM_ID,
    assignedTo: 'amhp-asha',
    timeline,
    outbox: {},
    version: 1,
  };
}

const query = `from=${addDays(today, -6)}&to=${today}`;
const dashboard = async () => {
  const answer = await api('GET', `/api/dashboard?teamId=${DEMO_TEAM_ID}&${query}`, manager);
  expect(answer.status).toBe(200);
  return answer.body.statistics as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- checked field by field
};
const page = async () => {
  const response = await fetch(`${runtime.url}/manage/response-times?${query}`, { headers: { cookie: `dutyline_session=${manager}` } });
  expect(response.status).toBe(200);
  await response.text();
};
const rollupOf = async (day: string) => (await runtime.deps.referrals.rollupsBetween!(DEMO_TEAM_ID, day, day))[0];

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, seed: true, now: () => NOW });
  manager = await localToken(runtime.url, 'manager-dev');
  for (const n of [1, 2, 3]) expect(await runtime.deps.referrals.create(referral(n))).toBe(true);
  // Two days ago, still open: that day cannot be rolled up.
  expect(await runtime.deps.referrals.create(referral(4, { closed: false, receivedAt: evening + 86_400_000 }))).toBe(true);
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
});

describe('daily roll-ups of the statistics', () => {
  let before: Record<string, unknown>;

  it('are stored by the page for a day that is over and closed, not for one with a referral open', async () => {
    before = await dashboard();
    // The referrals given to the team for days it could already roll up marked those days stale: nothing complete yet.
    expect(await rollupOf(threeDaysAgo)).toMatchObject({ complete: false, generation: 3 });
    await page();
    expect(await rollupOf(threeDaysAgo)).toMatchObject({ complete: true, generation: 3, lines: [expect.any(String), expect.any(String), expect.any(String)] });
    expect(await rollupOf(addDays(threeDaysAgo, 1))).toMatchObject({ complete: false });
    // An empty day is rolled up too, so it is not read again.
    expect(await rollupOf(addDays(today, -6))).toMatchObject({ complete: true, lines: [] });
    expect(await rollupOf(today)).toBeUndefined();
  });

  it('give the dashboard the same figures as reading every referral', async () => {
    const after = await dashboard();
    expect(after).toEqual(before);
    expect(after.assessment.overall).toMatchObject({ referrals: 4, arrivalToAssessment: { count: 4, p50: 60 * 60 }, withinStandard: { met: 4, counted: 4 } });
  });

  it('go stale when a closed referral changes, and the figures follow the change', async () => {
    const previous = (await runtime.deps.referrals.get('rollup-test-2'))!;
    const at = (minutes: number) => new Date(Date.parse(previous.createdAt) + minutes * MIN).toISOString();
    const changed: Referral = {
      ...previous,
      timeline: [...previous.timeline, { at: NOW.toISOString(), type: 'delay_started', eventAt: at(40), reason: 'interpreter' }, { at: NOW.toISOString(), type: 'delay_ended', eventAt: at(100), reason: 'interpreter' }],
      version: previous.version + 1,
    };
    const seen = (await rollupOf(threeDaysAgo))!;
    expect(await runtime.deps.referrals.replace(changed, previous)).toBe(true);
    expect(await rollupOf(threeDaysAgo)).toMatchObject({ complete: false, generation: seen.generation + 1, lines: [] });
    // A reader that read the day before the change cannot store what it read.
    expect(await runtime.deps.referrals.putRollup!(DEMO_TEAM_ID, threeDaysAgo, seen.lines, seen.generation)).toBe(false);
    expect((await dashboard()).assessment.overall.hoursLost.interpreter).toBe(1);
    await page();
    expect(await rollupOf(threeDaysAgo)).toMatchObject({ complete: true, generation: seen.generation + 1 });
    expect((await dashboard()).assessment.overall.hoursLost.interpreter).toBe(1);
  });

  it('go stale when the team is given a referral of a day already rolled up', async () => {
    const seen = (await rollupOf(threeDaysAgo))!;
    expect(await runtime.deps.referrals.create(referral(5))).toBe(true);
    expect(await rollupOf(threeDaysAgo)).toMatchObject({ complete: false, generation: seen.generation + 1 });
    expect((await dashboard()).assessment.overall.referrals).toBe(5);
  });

  it('are what the dashboard reads for a rolled-up day, not the referrals', async () => {
    await page();
    expect(await rollupOf(threeDaysAgo)).toMatchObject({ complete: true });
    // Taken out behind the store's back (no roll-up goes stale): the roll-up still counts it.
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-2', endpoint: runtime.emulators.dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
    await db.send(new DeleteCommand({ TableName: runtime.resources.tableNames.referrals, Key: { pk: 'REFERRAL#rollup-test-3', sk: 'REFERRAL' } }));
    expect(await runtime.deps.referrals.get('rollup-test-3')).toBeNull();
    expect((await dashboard()).assessment.overall.referrals).toBe(5);
  });

  it('read a day whole when its roll-up cannot be read, and store it again', async () => {
    const rollup = (await rollupOf(threeDaysAgo))!;
    expect(await runtime.deps.referrals.putRollup!(DEMO_TEAM_ID, threeDaysAgo, ['[9,"from another version"]'], rollup.generation)).toBe(true);
    // Read whole, the day has lost the referral taken out above.
    expect((await dashboard()).assessment.overall.referrals).toBe(4);
    await page();
    expect((await rollupOf(threeDaysAgo))!.lines).toHaveLength(3);
  });
});

describe('the statistics roll-up job', () => {
  it('rolls up a day that went stale, with the figures the referrals give, before any reader', async () => {
    const previous = (await runtime.deps.referrals.get('rollup-test-1'))!;
    const at = (minutes: number) => new Date(Date.parse(previous.createdAt) + minutes * MIN).toISOString();
    const changed: Referral = { ...previous, timeline: [...previous.timeline, { at: NOW.toISOString(), type: 'delay_started', eventAt: at(40), reason: 'bed' }, { at: NOW.toISOString(), type: 'delay_ended', eventAt: at(70), reason: 'bed' }], version: previous.version + 1 };
    expect(await runtime.deps.referrals.replace(changed, previous)).toBe(true);
    const stale = (await rollupOf(threeDaysAgo))!;
    expect(stale).toMatchObject({ complete: false });
    // Read whole (the day is stale), as every referral gives them.
    const fromReferrals = await dashboard();
    expect(fromReferrals.assessment.overall.hoursLost.bed).toBe(0.5);

    await runtime.runScheduled('statisticsRollups');
    expect(await rollupOf(threeDaysAgo)).toMatchObject({ complete: true, generation: stale.generation, lines: [expect.any(String), expect.any(String), expect.any(String)] });
    // The day with a referral still open is left to a later run; today is never rolled up.
    expect(await rollupOf(addDays(threeDaysAgo, 1))).toMatchObject({ complete: false });
    expect(await rollupOf(today)).toBeUndefined();
    expect(await dashboard()).toEqual(fromReferrals);
  });

  it('rolls up again a day whose closed referral changed late, and only what is missing', async () => {
    const previous = (await runtime.deps.referrals.get('rollup-test-2'))!;
    expect(await runtime.deps.referrals.replace({ ...previous, subjectUnder18: true, version: previous.version + 1 }, previous)).toBe(true);
    expect(await rollupOf(threeDaysAgo)).toMatchObject({ complete: false });
    const before = (await runtime.deps.referrals.rollupsBetween!(DEMO_TEAM_ID, addDays(today, -30), today)).filter((r) => r.complete).length;

    await runtime.runScheduled('statisticsRollups');
    expect(await rollupOf(threeDaysAgo)).toMatchObject({ complete: true });
    expect((await dashboard()).assessment.overall.under18.referrals).toBe(1);
    // Every day of the last month that is over and closed is rolled up (the page had stored the week it read).
    const after = await runtime.deps.referrals.rollupsBetween!(DEMO_TEAM_ID, addDays(today, -30), today);
    expect(after.filter((r) => r.complete).length).toBeGreaterThan(before);
    expect(after.filter((r) => !r.complete).map((r) => r.day)).toEqual([addDays(threeDaysAgo, 1)]);
  });
});
