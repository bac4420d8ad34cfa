import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CANARY_PHONE } from '../../infra/local/canary.ts';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { DEMO_TEAM_ID } from '../../infra/local/seed.ts';
import type { RecordingMetrics } from '../../shared/adapters/recording-metrics.ts';
import { CANARY_TEAM } from '../../shared/app/canary.ts';
import { syntheticReferral } from '../../shared/app/line-check.ts';
import { localApi, localToken } from '../support/local-api.ts';

/**
 * The canary on the emulators, run as its schedule runs it: it passes through the local HTTP API,
 * fails (and says so in its metric) when the router is broken, and its referrals reach no board,
 * no statistics and no phone but its own.
 */

let runtime: LocalRuntime;
let routerBroken = false;
const api = localApi(() => runtime.url);
const metrics = () => runtime.deps.metrics as RecordingMetrics;

beforeAll(async () => {
  runtime = await startLocalRuntime({
    port: 0,
    seed: true,
    timing: { visibilityTimeoutSeconds: 1, canaryRoutingTimeoutMs: 5_000 },
    // A broken router: every batch throws, so nothing is routed.
    wrapFunction: (name, invoke) =>
      name === 'router'
        ? async (event, context) => {
            if (routerBroken) throw new Error('router broken by the test');
            return invoke(event, context);
          }
        : invoke,
  });
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
});

describe('the canary', () => {
  it('passes on the local runtime: routed and paged, accepted and closed, each step timed, CanarySucceeded 1', { timeout: 120_000 }, async () => {
    const before = runtime.outbox.list().length;
    await runtime.runScheduled('canary');
    const run = runtime.canary.last;
    expect(run?.failure).toBeUndefined();
    expect(run?.ok).toBe(true);
    expect(run?.reference).toMatch(/^EDT-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(run?.steps.map((step) => step.id)).toEqual(['health', 'signIn', 'team', 'staff', 'amhpSignIn', 'rota', 'submit', 'routedAndPaged', 'pageTexted', 'accept', 'close']);
    expect(run?.steps.every((step) => step.ok && step.ms >= 0)).toBe(true);
    expect(metrics().values('CanarySucceeded')).toEqual([1]);
    for (const name of ['CanaryDuration', 'CanarySubmitDuration', 'CanaryRoutedAndPagedDuration', 'CanaryAcceptDuration', 'CanaryCloseDuration'] as const) {
      expect(metrics().values(name)).toHaveLength(1);
    }
    // Only the canary's own phone was texted: the page and the referrer's "accepted" text.
    const texted = runtime.outbox.list().slice(before).filter((sms) => sms.direction === 'outbound');
    expect(texted.length).toBeGreaterThanOrEqual(2);
    expect(new Set(texted.map((sms) => sms.phone))).toEqual(new Set([LOCAL_CANARY_PHONE]));

    const page = await fetch(`${runtime.url}/local`);
    const html = await page.text();
    expect(html).toContain('Passed');
    expect(html).toContain(run?.at ?? 'no run');
    expect(html).toMatch(/routed to the canary team and paged<\/td><td class="govuk-table__cell">ok<\/td><td class="govuk-table__cell govuk-table__cell--numeric">\d+</);
  });

  it("keeps the canary's referrals off every board and out of every statistic and CloudWatch figure", { timeout: 60_000 }, async () => {
    const admin = await localToken(runtime.url, 'admin');
    const received = metrics().total('ReferralsReceived');
    const accepted = metrics().total('ReferralsAccepted');
    // One left open, so it would be on the board if anything were.
    const referrer = await localToken(runtime.url, 'canary-referrer');
    const open = await api('POST', '/api/referrals', referrer, syntheticReferral('canary', LOCAL_CANARY_PHONE, `${CANARY_TEAM.area} 9ZZ`), { 'idempotency-key': 'canary-open-1' });
    expect(open.status).toBe(202);

    const dashboard = await api('GET', '/api/dashboard', admin);
    expect(dashboard.status).toBe(200);
    expect(dashboard.body.teamIds).toContain(CANARY_TEAM.teamId);
    expect(dashboard.body.open.map((row: { id: string }) => row.id)).not.toContain(open.body.id);
    expect(dashboard.body.open.filter((row: { district: string }) => row.district.startsWith('ZY'))).toEqual([]);
    const canaryStatistics = dashboard.body.statistics.all.byTeam.find((group: { key: string }) => group.key === CANARY_TEAM.teamId);
    expect(canaryStatistics?.referrals ?? 0).toBe(0);
    expect(dashboard.body.statistics.all.overall.referrals).toBe(0);
    const board = await fetch(`${runtime.url}/manage/board`, { headers: { authorization: `Bearer ${admin}` } });
    expect(await board.text()).not.toContain(open.body.reference);
    expect(metrics().total('ReferralsReceived')).toBe(received);
    expect(metrics().total('ReferralsAccepted')).toBe(accepted);

    // The same identity with a real postcode makes a real referral: nothing real is ever hidden.
    const real = await api('POST', '/api/referrals', referrer, syntheticReferral('canary', LOCAL_CANARY_PHONE, 'LS1 4AP'), { 'idempotency-key': 'canary-real-1' });
    expect(real.status).toBe(202);
    const after = await api('GET', `/api/dashboard?teamId=${DEMO_TEAM_ID}`, admin);
    expect(after.body.open.map((row: { id: string }) => row.id)).toContain(real.body.id);
    // Closed, so that neither escalates (409: not yet in a state that can close; the canary team's AMHP was paged).
    for (const id of [open.body.id, real.body.id]) await api('POST', `/api/referrals/${id}/close`, admin, { outcome: 'withdrawn' });
  });

  it('fails when the router is broken, closes its referral, and CanarySucceeded says 0', { timeout: 120_000 }, async () => {
    routerBroken = true;
    try {
      await runtime.runScheduled('canary');
    } finally {
      routerBroken = false;
    }
    const run = runtime.canary.last;
    expect(run?.ok).toBe(false);
    expect(run?.failure).toMatch(/not routed and paged within 5 s/);
    expect(run?.steps.at(-1)).toMatchObject({ id: 'routedAndPaged', ok: false });
    expect(run?.cleanup).toMatch(/closed \(withdrawn\), so it cannot escalate/);
    expect(metrics().values('CanarySucceeded')).toEqual([1, 0]);
    // A failed run times no line step it did not finish.
    expect(metrics().values('CanaryRoutedAndPagedDuration')).toHaveLength(1);
    const html = await (await fetch(`${runtime.url}/local`)).text();
    expect(html).toContain('Failed');
    expect(html).toContain('not routed and paged within 5 s');
  });
});
