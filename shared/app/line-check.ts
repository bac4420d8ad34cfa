/**
 * One synthetic referral end to end, through the HTTP API as its users would: the steps that
 * `npm run smoke` (tools/ops/smoke.ts) and the scheduled canary (functions/canary/handler.ts) share.
 * A team of its own in a district no real postcode has (shared/domain/synthetic.ts), one AMHP on
 * duty whose phone is a test number, a referral from an identity marked `canary`, so it is kept off
 * boards and statistics; routed and paged, accepted and closed, each step timed. A referral left open
 * by a failure is closed at once, before any escalation could text anyone else.
 */
import { randomUUID } from 'node:crypto';

export interface ApiAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read field by field
  body: Record<string, any>;
}

/** One call of the API; throws when there is no answer at all. */
export type LineApi = (method: string, path: string, options: { token?: string; json?: unknown; headers?: Record<string, string> }) => Promise<ApiAnswer>;

export interface LineCheckPlan {
  /** `smoke` or `canary`: named in the step names and on the referral. */
  label: string;
  teamId: string;
  area: string;
  staffId: string;
  /** The only phone texted: the AMHP's and the referrer's. */
  phone: string;
  /** How long routing and paging may take. */
  timeoutMs: number;
}

/**
 * Who acts. With `admin`, the check keeps its team and AMHP itself (`npm run smoke`, the local
 * canary); without, they were set up once (README, the canary runbook) and the AMHP, a manager of
 * its own team only, keeps the rota.
 */
export interface LineActors {
  admin?: string;
  referrer: string;
  amhp: string;
  /** Locally a staff member signs in by staff id once the staff record exists. */
  signInAsAmhp?: () => Promise<string>;
}

export type StepId = 'health' | 'signIn' | 'team' | 'staff' | 'amhpSignIn' | 'rota' | 'submit' | 'routedAndPaged' | 'pageTexted' | 'accept' | 'close';

export interface StepResult {
  id: StepId;
  name: string;
  ok: boolean;
  ms: number;
}

export interface LineCheckResult {
  ok: boolean;
  steps: StepResult[];
  totalMs: number;
  referral?: { id: string; reference: string };
  /** Why it failed, in words for an operator; never personal data (there is none). */
  failure?: string;
  /** What became of a referral the failure left open. */
  cleanup?: string;
}

export interface LineCheck {
  api: LineApi;
  plan: LineCheckPlan;
  signIn: { name: string; run: () => Promise<LineActors> };
  /** Locally the SMS outbox shows the page itself; in AWS the test phone does. */
  pageTexted?: (reference: string, timeoutMs: number) => Promise<boolean>;
  /** Told of each step as it ends (the smoke test prints it). */
  onStep?: (step: StepResult) => void;
  /** Milliseconds, for timing (performance.now); `wallClock` for the rota and deadlines. */
  elapsed?: () => number;
  wallClock?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** A failed step, with what the operator needs to know. */
export class StepFailed extends Error {}

const failed = (message: string): never => {
  throw new StepFailed(message);
};

const SYNTHETIC_POSTCODE_INWARD = '9ZZ';

/** Every field says what it is: anyone who opens it sees a test, and nothing in it is about a person. */
export function syntheticReferral(label: string, phone: string, postcode: string) {
  return {
    referrer: { name: `dutyline ${label} test`, kind: 'other_professional', organisation: `dutyline ${label} test (synthetic)`, phone },
    subject: {
      givenName: `${label.toUpperCase()}-TEST`,
      familyName: 'SYNTHETIC',
      dateOfBirth: '2000-01-01',
      nhsNumberUnknownReason: `synthetic ${label} test: there is no person`,
      currentLocation: { kind: 'other', description: `synthetic ${label} test: nobody is here`, postcode },
    },
    legal: { status: 'none' },
    reason: `SYNTHETIC REFERRAL sent by the dutyline ${label} test to test the line end to end. There is no person; it is accepted and closed by the test.`,
    risks: [],
    urgency: 'within_24_hours',
  };
}

/** The timeline entries that mean the referral will not reach the test AMHP. */
const STOPS = ['no_team_for_area', 'no_one_on_duty', 'nobody_to_page', 'page_failed', 'chain_exhausted', 'effect_set_aside'];

export async function checkLine(check: LineCheck): Promise<LineCheckResult> {
  const { api, plan } = check;
  const elapsed = check.elapsed ?? (() => performance.now());
  const wallClock = check.wallClock ?? (() => Date.now());
  const sleep = check.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = elapsed();
  const steps: StepResult[] = [];
  let referral: { id: string; reference: string } | undefined;
  let actors: LineActors | undefined;
  let closed = false;

  const call = async (method: string, path: string, token: string, json?: unknown, headers?: Record<string, string>): Promise<ApiAnswer> => {
    try {
      return await api(method, path, { token, ...(json === undefined ? {} : { json }), ...(headers ? { headers } : {}) });
    } catch (error) {
      return failed(`${method} ${path}: no answer (${error instanceof Error ? error.message : 'error'})`);
    }
  };
  const expect = (answer: ApiAnswer, wanted: number, what: string) => {
    if (answer.status !== wanted) failed(`${what} answered ${answer.status}, wanted ${wanted}: ${refusalOf(answer)}`);
    return answer;
  };
  const step = async <T>(id: StepId, name: string, run: () => Promise<T>): Promise<T> => {
    const at = elapsed();
    const end = (ok: boolean) => {
      const result = { id, name, ok, ms: Math.round(elapsed() - at) };
      steps.push(result);
      check.onStep?.(result);
    };
    try {
      const value = await run();
      end(true);
      return value;
    } catch (error) {
      end(false);
      throw error;
    }
  };
  const { label, teamId, staffId, area, phone, timeoutMs } = plan;

  try {
    await step('health', 'health', async () => expect(await call('GET', '/health', ''), 200, 'GET /health'));
    const signedIn = await step('signIn', check.signIn.name, check.signIn.run);
    actors = signedIn;
    const admin = signedIn.admin;
    if (admin) {
      await step('team', `${label} team ${teamId} (${area})`, async () => {
        const answer = await call('PUT', `/api/teams/${teamId}`, admin, {
          name: `dutyline ${label} test (synthetic; not a real team)`,
          areas: [area],
          // No position is required, so the daily coverage text never goes out about this team.
          requiredPositions: [],
          // Long enough that the test accepts first; no repeat, and no fallback phone to text.
          escalation: { ackTimeoutSeconds: 900, repeat: 0 },
          continuity: 'ignore',
        });
        if (answer.status === 409) failed(`${area} is held by team ${String(answer.body.heldBy)}: give the ${label} test a district no team holds (--area)`);
        expect(answer, 200, `PUT /api/teams/${teamId}`);
      });
      await step('staff', `${label} AMHP ${staffId}`, async () =>
        expect(
          // A manager of its own team only, so that it may keep that team's rota and nothing else.
          await call('PUT', `/api/staff/${staffId}`, admin, { name: `${label} test AMHP (synthetic)`, phone, teamIds: [teamId], roles: ['amhp', 'manager'] }),
          200,
          `PUT /api/staff/${staffId}`,
        ),
      );
    }
    const signInAsAmhp = signedIn.signInAsAmhp;
    if (signInAsAmhp) await step('amhpSignIn', `sign in as ${staffId} (local)`, async () => (signedIn.amhp = await signInAsAmhp()));
    await step('rota', `${label} rota: the AMHP on duty now`, async () => {
      const now = wallClock();
      const shift = { staffId, position: 'primary', start: new Date(now - 5 * 60_000).toISOString(), end: new Date(now + 60 * 60_000).toISOString() };
      expect(await call('PUT', `/api/teams/${teamId}/rota`, admin ?? signedIn.amhp, { shifts: [shift] }), 200, `PUT /api/teams/${teamId}/rota`);
    });
    const submitted = await step('submit', 'submit synthetic referral', async () => {
      const answer = expect(
        await call('POST', '/api/referrals', signedIn.referrer, syntheticReferral(label, phone, `${area} ${SYNTHETIC_POSTCODE_INWARD}`), { 'idempotency-key': randomUUID() }),
        202,
        'POST /api/referrals',
      );
      return { id: String(answer.body.id), reference: String(answer.body.reference) };
    });
    referral = submitted;
    await step('routedAndPaged', `routed to the ${label} team and paged`, () => routedAndPaged(call, submitted.id, signedIn, plan, { wallClock, sleep }));
    const pageTexted = check.pageTexted;
    if (pageTexted) {
      await step('pageTexted', 'page SMS in the local outbox', async () => {
        if (!(await pageTexted(submitted.reference, timeoutMs))) failed(`no SMS to ${phone} naming ${submitted.reference} within ${timeoutMs / 1000} s`);
      });
    }
    await step('accept', `accept as the ${label} AMHP`, async () => {
      const answer = expect(await call('POST', `/api/referrals/${submitted.id}/accept`, signedIn.amhp, {}), 200, `POST /api/referrals/${submitted.id}/accept`);
      if (answer.body.status !== 'accepted' || answer.body.assignedTo !== staffId) failed(`after accepting, status ${String(answer.body.status)}, assigned to ${String(answer.body.assignedTo)}`);
    });
    await step('close', 'close', async () => {
      const answer = expect(await call('POST', `/api/referrals/${submitted.id}/close`, signedIn.amhp, { outcome: 'withdrawn' }), 200, `POST /api/referrals/${submitted.id}/close`);
      if (answer.body.status !== 'closed') failed(`after closing, status ${String(answer.body.status)}`);
      closed = true;
    });
    return { ok: true, steps, totalMs: Math.round(elapsed() - started), referral: submitted };
  } catch (error) {
    if (!(error instanceof StepFailed)) throw error;
    const cleanup = referral && !closed && actors ? await closeLeftOpen(api, referral, actors.admin ?? actors.amhp) : undefined;
    return {
      ok: false,
      steps,
      totalMs: Math.round(elapsed() - started),
      failure: error.message,
      ...(referral ? { referral } : {}),
      ...(cleanup ? { cleanup } : {}),
    };
  }
}

/** An open synthetic referral would escalate, and in the end reach the service fallback: a real person. */
async function closeLeftOpen(api: LineApi, referral: { id: string; reference: string }, token: string): Promise<string> {
  const answer = await api('POST', `/api/referrals/${referral.id}/close`, { token, json: { outcome: 'withdrawn' } }).catch(() => null);
  return answer?.status === 200 || answer?.status === 409
    ? `referral ${referral.reference} closed (withdrawn), so it cannot escalate`
    : `referral ${referral.reference} could NOT be closed (${answer ? answer.status : 'no answer'}): close it now, or it escalates: POST /api/referrals/${referral.id}/close {"outcome":"withdrawn"}`;
}

type Call = (method: string, path: string, token: string) => Promise<ApiAnswer>;

/** The referral's timeline as its team sees it: `routed` to the test team, then `paged` to the test AMHP. */
async function routedAndPaged(
  call: Call,
  id: string,
  actors: LineActors,
  plan: LineCheckPlan,
  time: { wallClock: () => number; sleep: (ms: number) => Promise<void> },
): Promise<void> {
  const { teamId, staffId, timeoutMs } = plan;
  const deadline = time.wallClock() + timeoutMs;
  let seen = 'nothing yet';
  for (;;) {
    const asTeam = await call('GET', `/api/referrals/${id}`, actors.amhp);
    // The team's view (no `headline`): until it is routed, the AMHP gets a 404, and a test user
    // who is also its referrer gets the referrer's view, whose timeline has the status page's words.
    if (asTeam.status === 200 && !('headline' in asTeam.body)) {
      const timeline = Array.isArray(asTeam.body.timeline) ? (asTeam.body.timeline as { type?: string; teamId?: string; staffId?: string }[]) : [];
      seen = `status ${String(asTeam.body.status)}, timeline ${timeline.map((entry) => entry.type).join(' → ') || 'empty'}`;
      const routed = timeline.find((entry) => entry.type === 'routed');
      if (routed && routed.teamId !== teamId) failed(`routed to team ${String(routed.teamId)}, not ${teamId}`);
      const stop = timeline.find((entry) => STOPS.includes(entry.type ?? ''));
      if (stop) failed(`the timeline says ${stop.type} (${seen})`);
      const paged = timeline.find((entry) => entry.type === 'paged');
      if (routed && paged) {
        if (paged.staffId !== staffId) failed(`paged ${String(paged.staffId)}, not ${staffId}`);
        return;
      }
    } else {
      const asReferrer = actors.referrer === actors.amhp ? asTeam : await call('GET', `/api/referrals/${id}`, actors.referrer);
      if (asReferrer.status === 200) {
        seen = `status ${String(asReferrer.body.status)}, team ${String(asReferrer.body.teamId ?? 'none yet')}`;
        const other = asReferrer.body.teamId;
        if (typeof other === 'string' && other !== teamId) failed(`routed to team ${other}, not ${teamId}`);
      }
    }
    if (time.wallClock() > deadline) failed(`not routed and paged within ${timeoutMs / 1000} s (${seen})`);
    await time.sleep(200);
  }
}

/** What an API refusal says, without echoing what was sent. */
export function refusalOf(answer: ApiAnswer): string {
  const { error, message } = answer.body;
  if (answer.status === 401) return 'the token was refused (an ID token lasts 1 hour: sign in again)';
  if (answer.status === 403) return `forbidden: ${typeof message === 'string' ? message : 'the signed-in user may not do this'}`;
  const parts = [typeof error === 'string' ? error : '', typeof message === 'string' ? message : ''].filter(Boolean);
  return parts.length > 0 ? parts.join(': ') : `HTTP ${answer.status}`;
}

/** Step durations in whole milliseconds, by step, for the canary's result and metrics. */
export const stepTimes = (result: LineCheckResult): Partial<Record<StepId, number>> => Object.fromEntries(result.steps.map((step) => [step.id, step.ms]));
