import { describe, expect, it } from 'vitest';
import { RecordingMetrics } from '../../../shared/adapters/recording-metrics.ts';
import { runCanary } from '../../../shared/app/canary.ts';
import { checkLine, type ApiAnswer, type LineApi } from '../../../shared/app/line-check.ts';

/** The canary's steps against a scripted API: no runtime, no network. */
const plan = { label: 'canary', teamId: 'canary', area: 'ZY8', staffId: 'canary-amhp', phone: '+447700900998', timeoutMs: 1_000 };
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

function scriptedApi(options: { routed: boolean }) {
  const calls: string[] = [];
  const api: LineApi = async (method, path): Promise<ApiAnswer> => {
    calls.push(`${method} ${path}`);
    if (path === '/health') return { status: 200, body: { status: 'ok' } };
    if (method === 'PUT') return { status: 200, body: {} };
    if (method === 'POST' && path === '/api/referrals') return { status: 202, body: { id: 'r1', reference: 'EDT-TEST-0001' } };
    if (method === 'GET' && path === '/api/referrals/r1') {
      return options.routed
        ? { status: 200, body: { status: 'paging', timeline: [{ type: 'received' }, { type: 'routed', teamId: 'canary' }, { type: 'paged', staffId: 'canary-amhp' }] } }
        : { status: 404, body: {} };
    }
    if (path === '/api/referrals/r1/accept') return { status: 200, body: { status: 'accepted', assignedTo: 'canary-amhp' } };
    if (path === '/api/referrals/r1/close') return { status: 200, body: { status: 'closed' } };
    return { status: 500, body: {} };
  };
  return { api, calls };
}

const clock = () => {
  let ms = 0;
  return { elapsed: () => ms, wallClock: () => ms, sleep: async (wait: number) => void (ms += wait) };
};

describe('the canary run', () => {
  it('with its team set up once, signs in, keeps its rota as the team manager and runs the line steps', async () => {
    const { api, calls } = scriptedApi({ routed: true });
    const result = await checkLine({ api, plan, signIn: { name: 'sign in', run: async () => ({ referrer: 't', amhp: 't' }) }, ...clock() });
    expect(result.ok).toBe(true);
    expect(result.steps.map((s) => s.id)).toEqual(['health', 'signIn', 'rota', 'submit', 'routedAndPaged', 'accept', 'close']);
    expect(calls).not.toContain('PUT /api/teams/canary');
    expect(calls).toContain('PUT /api/teams/canary/rota');
  });

  it('publishes CanarySucceeded 1 and the durations of the line steps', async () => {
    const metrics = new RecordingMetrics();
    const { api } = scriptedApi({ routed: true });
    const run = await runCanary({ api, plan, signIn: async () => ({ referrer: 't', amhp: 't' }) }, { metrics, log: quiet, now: () => new Date('2026-12-02T03:00:00Z') });
    expect(run).toMatchObject({ at: '2026-12-02T03:00:00.000Z', ok: true, reference: 'EDT-TEST-0001' });
    expect(metrics.values('CanarySucceeded')).toEqual([1]);
    expect(metrics.recorded.map((m) => m.name).sort()).toEqual(
      ['CanaryAcceptDuration', 'CanaryCloseDuration', 'CanaryDuration', 'CanaryRoutedAndPagedDuration', 'CanarySubmitDuration', 'CanarySucceeded'].sort(),
    );
  });

  it('fails when routing does not happen in time, closes the referral, and publishes 0', async () => {
    const metrics = new RecordingMetrics();
    const { api, calls } = scriptedApi({ routed: false });
    const onResult: unknown[] = [];
    const run = await runCanary(
      { api, plan, signIn: async () => ({ referrer: 't', amhp: 't' }), onResult: (r) => onResult.push(r) },
      { metrics, log: quiet, now: () => new Date() },
    );
    expect(run.ok).toBe(false);
    expect(run.failure).toMatch(/not routed and paged within 1 s/);
    expect(run.cleanup).toMatch(/closed \(withdrawn\)/);
    expect(calls.at(-1)).toBe('POST /api/referrals/r1/close');
    expect(metrics.values('CanarySucceeded')).toEqual([0]);
    expect(metrics.values('CanaryRoutedAndPagedDuration')).toEqual([]);
    expect(onResult).toEqual([run]);
  });

  it('fails, and publishes 0, when it cannot sign in', async () => {
    const metrics = new RecordingMetrics();
    const { api } = scriptedApi({ routed: true });
    const run = await runCanary(
      { api, plan, signIn: () => Promise.reject(new Error('Cognito InitiateAuth refused the canary: NotAuthorizedException')) },
      { metrics, log: quiet, now: () => new Date() },
    );
    expect(run).toMatchObject({ ok: false, failure: 'sign-in failed: Cognito InitiateAuth refused the canary: NotAuthorizedException' });
    expect(metrics.values('CanarySucceeded')).toEqual([0]);
  });
});
