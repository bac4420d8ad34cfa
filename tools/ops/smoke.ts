/**
 * `npm run smoke -- --url <api> [--token <admin ID token> --smoke-token <smoke user's ID token> --phone <your mobile>]`:
 * one synthetic referral end to end. It keeps a smoke team of its own (a postcode district that
 * does not exist, so no real referral routes there) with one AMHP on duty whose phone is the
 * operator's (or, locally, a drama-range number), submits a referral marked synthetic, checks it
 * was routed to that team and the AMHP paged, accepts it as that AMHP and closes it, timing each
 * step. It texts only the phone it was given: the referrer's number on the referral is that phone
 * too, the smoke team has no fallback phone or manager, and a referral left open by a failure is
 * closed at once, before any escalation could reach the service fallback.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { normaliseUkMobile } from '../../shared/domain/phone.ts';
import { baseUrlOf, consoleOutput, groupsOf, localSignIn, refusal, request, unverifiedClaims, type Answer, type Output } from './api.ts';

/** A drama-range number (Ofcom: never a real phone); locally its texts land in the outbox. */
export const LOCAL_SMOKE_PHONE = '+447700900999';
/** No postcode area is ZY (Shetland is ZE), so a real referral never lands in the smoke team. */
export const SMOKE_AREA = 'ZY9';
const SMOKE_POSTCODE_INWARD = '9ZZ';

export const SMOKE_USAGE = `usage: npm run smoke -- --url <api> [--token <admin ID token> --smoke-token <ID token> --phone <mobile>] [--team smoke-test] [--area ZY9] [--staff-id smoke-amhp] [--timeout 60]
  against the local runtime: no tokens; signs in through POST /local/login and pages ${LOCAL_SMOKE_PHONE}
  against AWS: --token (or DUTYLINE_TOKEN) an administrator's ID token, to keep the smoke team;
               --smoke-token (or DUTYLINE_SMOKE_TOKEN) the smoke user's: groups referrer and amhp,
               custom:staffId the smoke AMHP's id; --phone your own mobile, the only one texted`;

export interface SmokeEnvironment {
  token?: string | undefined;
  smokeToken?: string | undefined;
}

const defaultEnvironment = (): SmokeEnvironment => ({ token: process.env.DUTYLINE_TOKEN, smokeToken: process.env.DUTYLINE_SMOKE_TOKEN });

class StepFailed extends Error {}

const failed = (message: string): never => {
  throw new StepFailed(message);
};

/** Who does what: locally three sign-ins; in AWS one admin and one smoke user who refers and accepts. */
interface Actors {
  admin: string;
  referrer: string;
  amhp: string;
  local: boolean;
}

export function syntheticReferral(phone: string, postcode: string) {
  // Every field says what it is: anyone who opens it sees a test, and nothing in it is about a person.
  return {
    referrer: { name: 'dutyline smoke test', kind: 'other_professional', organisation: 'dutyline smoke test (synthetic)', phone },
    subject: {
      givenName: 'SMOKE-TEST',
      familyName: 'SYNTHETIC',
      dateOfBirth: '2000-01-01',
      nhsNumberUnknownReason: 'synthetic smoke test: there is no person',
      currentLocation: { kind: 'other', description: 'synthetic smoke test: nobody is here', postcode },
    },
    legal: { status: 'none' },
    reason: 'SYNTHETIC REFERRAL sent by npm run smoke to test the line end to end. There is no person; it is accepted and closed by the test.',
    risks: [],
    urgency: 'within_24_hours',
  };
}

export async function runSmoke(argv: readonly string[], out: Output = consoleOutput, env: SmokeEnvironment = defaultEnvironment()): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv, env);
  } catch (error) {
    out.line(`${error instanceof Error ? error.message : String(error)}\n${SMOKE_USAGE}`);
    return 2;
  }
  const { url, teamId, staffId, area, phone, timeoutMs } = args;
  const started = performance.now();
  let referral: { id: string; reference: string } | null = null;
  let closed = false;
  let actors: Actors | null = null;
  const call = async (method: string, path: string, token: string, json?: unknown, headers?: Record<string, string>): Promise<Answer> => {
    try {
      return await request(url, method, path, { token, ...(json === undefined ? {} : { json }), ...(headers ? { headers } : {}) });
    } catch (error) {
      return failed(`${method} ${path}: no answer from ${url} (${error instanceof Error ? error.message : 'error'})`);
    }
  };
  const expect = (answer: Answer, wanted: number, what: string) => {
    if (answer.status !== wanted) failed(`${what} answered ${answer.status}, wanted ${wanted}: ${refusal(answer)}`);
    return answer;
  };
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const at = performance.now();
    let result: T;
    try {
      result = await run();
    } catch (error) {
      out.line(`  FAIL  ${name.padEnd(40)} ${String(Math.round(performance.now() - at)).padStart(6)} ms`);
      throw error;
    }
    out.line(`  ok    ${name.padEnd(40)} ${String(Math.round(performance.now() - at)).padStart(6)} ms`);
    return result;
  };

  out.line(`dutyline smoke test against ${url} (${args.tokens ? 'AWS: tokens given' : 'local runtime'}); smoke team ${teamId} in ${area}, AMHP ${staffId} on ${phone}`);
  try {
    await step('health', async () => expect(await call('GET', '/health', ''), 200, 'GET /health'));
    const signedIn = await step(args.tokens ? 'tokens: groups and staff id' : 'sign in (local)', () => signIn(url, args.tokens, staffId));
    actors = signedIn;
    await step(`smoke team ${teamId} (${area})`, async () => {
      const answer = await call('PUT', `/api/teams/${teamId}`, signedIn.admin, {
        name: 'dutyline smoke test (synthetic; not a real team)',
        areas: [area],
        requiredPositions: ['primary'],
        // Long enough that the test accepts first; no repeat, and no fallback phone to text.
        escalation: { ackTimeoutSeconds: 900, repeat: 0 },
        continuity: 'ignore',
      });
      if (answer.status === 409) failed(`${area} is held by team ${String(answer.body.heldBy)}: give the smoke test a district no team holds (--area)`);
      expect(answer, 200, `PUT /api/teams/${teamId}`);
    });
    await step(`smoke AMHP ${staffId}`, async () =>
      expect(
        await call('PUT', `/api/staff/${staffId}`, signedIn.admin, { name: 'Smoke Test AMHP (synthetic)', phone, teamIds: [teamId], roles: ['amhp'] }),
        200,
        `PUT /api/staff/${staffId}`,
      ),
    );
    if (signedIn.local) {
      // Locally a staff member signs in by staff id once the staff record exists.
      await step(`sign in as ${staffId} (local)`, async () => {
        const result = await localSignIn(url, staffId);
        signedIn.amhp = 'token' in result ? result.token : failed(result.error);
      });
    }
    await step('smoke rota: the AMHP on duty now', async () => {
      const now = Date.now();
      const shift = { staffId, position: 'primary', start: new Date(now - 5 * 60_000).toISOString(), end: new Date(now + 60 * 60_000).toISOString() };
      expect(await call('PUT', `/api/teams/${teamId}/rota`, signedIn.admin, { shifts: [shift] }), 200, `PUT /api/teams/${teamId}/rota`);
    });
    const submitted = await step('submit synthetic referral', async () => {
      const answer = expect(
        await call('POST', '/api/referrals', signedIn.referrer, syntheticReferral(phone, `${area} ${SMOKE_POSTCODE_INWARD}`), { 'idempotency-key': randomUUID() }),
        202,
        'POST /api/referrals',
      );
      return { id: String(answer.body.id), reference: String(answer.body.reference) };
    });
    referral = submitted;
    await step('routed to the smoke team and paged', () => routedAndPaged(call, submitted.id, signedIn, teamId, staffId, timeoutMs));
    if (signedIn.local) await step('page SMS in the local outbox', () => pageTexted(url, phone, submitted.reference, timeoutMs));
    await step('accept as the smoke AMHP', async () => {
      const answer = expect(await call('POST', `/api/referrals/${submitted.id}/accept`, signedIn.amhp, {}), 200, `POST /api/referrals/${submitted.id}/accept`);
      if (answer.body.status !== 'accepted' || answer.body.assignedTo !== staffId) failed(`after accepting, status ${String(answer.body.status)}, assigned to ${String(answer.body.assignedTo)}`);
    });
    await step('close', async () => {
      const answer = expect(await call('POST', `/api/referrals/${submitted.id}/close`, signedIn.amhp, { outcome: 'withdrawn' }), 200, `POST /api/referrals/${submitted.id}/close`);
      if (answer.body.status !== 'closed') failed(`after closing, status ${String(answer.body.status)}`);
      closed = true;
    });
    out.line(`PASS in ${Math.round(performance.now() - started)} ms: referral ${submitted.reference} routed, paged, accepted and closed${signedIn.local ? '' : `; ${phone} should have had the page and the referrer's "accepted" text`}`);
    return 0;
  } catch (error) {
    if (!(error instanceof StepFailed)) throw error;
    out.line(`  ${error.message}`);
    if (referral && !closed && actors) {
      // An open synthetic referral would escalate, and in the end reach the service fallback: a real person.
      const cleanup = await request(url, 'POST', `/api/referrals/${referral.id}/close`, { token: actors.admin, json: { outcome: 'withdrawn' } }).catch(() => null);
      out.line(
        cleanup?.status === 200 || cleanup?.status === 409
          ? `  referral ${referral.reference} closed (withdrawn), so it cannot escalate`
          : `  referral ${referral.reference} could NOT be closed (${cleanup ? cleanup.status : 'no answer'}): close it now, or it escalates: POST ${url}/api/referrals/${referral.id}/close {"outcome":"withdrawn"}`,
      );
    }
    out.line(`FAIL after ${Math.round(performance.now() - started)} ms`);
    return 1;
  }
}

type Call = (method: string, path: string, token: string) => Promise<Answer>;

/** The referral's timeline as its team sees it: `routed` to the smoke team, then `paged` to the smoke AMHP. */
async function routedAndPaged(call: Call, id: string, actors: Actors, teamId: string, staffId: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const stops = ['no_team_for_area', 'no_one_on_duty', 'nobody_to_page', 'page_failed', 'chain_exhausted', 'effect_set_aside'];
  let seen = 'nothing yet';
  for (;;) {
    const asTeam = await call('GET', `/api/referrals/${id}`, actors.amhp);
    // The team's view (no `headline`): until it is routed, the AMHP gets a 404, and a smoke user
    // who is also its referrer gets the referrer's view, whose timeline has the status page's words.
    if (asTeam.status === 200 && !('headline' in asTeam.body)) {
      const timeline = Array.isArray(asTeam.body.timeline) ? (asTeam.body.timeline as { type?: string; teamId?: string; staffId?: string }[]) : [];
      seen = `status ${String(asTeam.body.status)}, timeline ${timeline.map((entry) => entry.type).join(' → ') || 'empty'}`;
      const routed = timeline.find((entry) => entry.type === 'routed');
      if (routed && routed.teamId !== teamId) failed(`routed to team ${String(routed.teamId)}, not ${teamId}`);
      const stop = timeline.find((entry) => stops.includes(entry.type ?? ''));
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
    if (Date.now() > deadline) failed(`not routed and paged within ${timeoutMs / 1000} s (${seen})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Locally the SMS outbox shows the page itself (in AWS the operator's phone does). */
async function pageTexted(url: string, phone: string, reference: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await request(url, 'GET', `/local/sms?to=${encodeURIComponent(phone)}`);
    const messages = Array.isArray(answer.body.messages) ? (answer.body.messages as { body?: string }[]) : [];
    if (messages.some((message) => message.body?.includes(reference))) return;
    if (Date.now() > deadline) failed(`no SMS to ${phone} naming ${reference} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function signIn(url: string, tokens: { admin: string; smoke: string } | null, staffId: string): Promise<Actors> {
  if (tokens) {
    // Read only to name a wrong token early; the API verifies them.
    const admin = unverifiedClaims(tokens.admin);
    if (!groupsOf(admin).includes('admin')) failed('--token is not an administrator\'s ID token (its cognito:groups has no "admin")');
    const smoke = unverifiedClaims(tokens.smoke);
    const missing = ['referrer', 'amhp'].filter((group) => !groupsOf(smoke).includes(group));
    if (missing.length > 0) failed(`--smoke-token's user must be in the groups referrer and amhp (missing: ${missing.join(', ')})`);
    if (smoke?.['custom:staffId'] !== staffId) failed(`--smoke-token's custom:staffId must be ${staffId} (the smoke AMHP), not ${String(smoke?.['custom:staffId'] ?? 'unset')}`);
    for (const [name, claims] of [['--token', admin], ['--smoke-token', smoke]] as const) {
      if (typeof claims?.exp === 'number' && claims.exp * 1000 < Date.now()) failed(`${name} has expired: sign in again (ID tokens last 1 hour)`);
    }
    return { admin: tokens.admin, referrer: tokens.smoke, amhp: tokens.smoke, local: false };
  }
  const token = async (username: string, roles?: string[]) => {
    const result = await localSignIn(url, username, roles);
    return 'token' in result ? result.token : failed(result.error);
  };
  const admin = await token('admin', ['admin']);
  const referrer = await token('smoke-referrer', ['referrer']);
  return { admin, referrer, amhp: '', local: true };
}

function parse(argv: readonly string[], env: SmokeEnvironment) {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      'smoke-token': { type: 'string' },
      phone: { type: 'string' },
      team: { type: 'string', default: 'smoke-test' },
      area: { type: 'string', default: SMOKE_AREA },
      'staff-id': { type: 'string', default: 'smoke-amhp' },
      timeout: { type: 'string', default: '60' },
    },
    allowPositionals: false,
    strict: true,
  });
  if (!values.url) throw new Error('--url is required');
  const admin = values.token || env.token;
  const smoke = values['smoke-token'] || env.smokeToken;
  if (Boolean(admin) !== Boolean(smoke)) throw new Error('against AWS give both --token (an administrator) and --smoke-token (the smoke user); locally give neither');
  const tokens = admin && smoke ? { admin, smoke } : null;
  // In AWS a page really is texted: only to a number the operator typed.
  if (tokens && !values.phone) throw new Error('--phone is required against AWS: your own mobile, the only number the smoke test texts');
  const phone = values.phone === undefined ? LOCAL_SMOKE_PHONE : normaliseUkMobile(values.phone);
  if (!phone) throw new Error('--phone must be a UK mobile number, e.g. 07700 900123');
  const timeout = Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new Error('--timeout must be a number of seconds');
  const area = values.area.trim().toUpperCase();
  return {
    url: baseUrlOf(values.url),
    tokens,
    phone,
    teamId: values.team,
    area,
    staffId: values['staff-id'],
    timeoutMs: timeout * 1000,
  };
}
