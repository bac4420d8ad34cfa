/**
 * `npm run smoke -- --url <api> [--token <admin ID token> --smoke-token <smoke user's ID token> --phone <your mobile>]`:
 * one synthetic referral end to end, by the steps the scheduled canary also runs
 * (shared/app/line-check.ts). It keeps a smoke team of its own (a postcode district that does not
 * exist, so no real referral routes there) with one AMHP on duty whose phone is the operator's (or,
 * locally, a drama-range number), submits a referral marked synthetic, checks it was routed to that
 * team and the AMHP paged, accepts it as that AMHP and closes it, timing each step. It texts only
 * the phone it was given: the referrer's number on the referral is that phone too, the smoke team
 * has no fallback phone, and a referral left open by a failure is closed at once, before any
 * escalation could reach the service fallback.
 */
import { parseArgs } from 'node:util';
import { checkLine, StepFailed, type LineActors } from '../../shared/app/line-check.ts';
import { SYNTHETIC_ROLE } from '../../shared/domain/synthetic.ts';
import { normaliseUkMobile } from '../../shared/domain/phone.ts';
import { baseUrlOf, consoleOutput, groupsOf, localSignIn, request, unverifiedClaims, type Output } from './api.ts';

/** A drama-range number (Ofcom: never a real phone); locally its texts land in the outbox. */
export const LOCAL_SMOKE_PHONE = '+447700900999';
/** No postcode area is ZY (Shetland is ZE), so a real referral never lands in the smoke team. */
export const SMOKE_AREA = 'ZY9';

export const SMOKE_USAGE = `usage: npm run smoke -- --url <api> [--token <admin ID token> --smoke-token <ID token> --phone <mobile>] [--team smoke-test] [--area ZY9] [--staff-id smoke-amhp] [--timeout 60]
  against the local runtime: no tokens; signs in through POST /local/login and pages ${LOCAL_SMOKE_PHONE}
  against AWS: --token (or DUTYLINE_TOKEN) an administrator's ID token, to keep the smoke team;
               --smoke-token (or DUTYLINE_SMOKE_TOKEN) the smoke user's: groups referrer, amhp and ${SYNTHETIC_ROLE},
               custom:staffId the smoke AMHP's id; --phone your own mobile, the only one texted`;

export interface SmokeEnvironment {
  token?: string | undefined;
  smokeToken?: string | undefined;
}

const defaultEnvironment = (): SmokeEnvironment => ({ token: process.env.DUTYLINE_TOKEN, smokeToken: process.env.DUTYLINE_SMOKE_TOKEN });

const failed = (message: string): never => {
  throw new StepFailed(message);
};

export async function runSmoke(argv: readonly string[], out: Output = consoleOutput, env: SmokeEnvironment = defaultEnvironment()): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv, env);
  } catch (error) {
    out.line(`${error instanceof Error ? error.message : String(error)}\n${SMOKE_USAGE}`);
    return 2;
  }
  const { url, teamId, staffId, area, phone, timeoutMs } = args;
  out.line(`dutyline smoke test against ${url} (${args.tokens ? 'AWS: tokens given' : 'local runtime'}); smoke team ${teamId} in ${area}, AMHP ${staffId} on ${phone}`);
  const result = await checkLine({
    api: (method, path, options) => request(url, method, path, options),
    plan: { label: 'smoke', teamId, area, staffId, phone, timeoutMs },
    signIn: { name: args.tokens ? 'tokens: groups and staff id' : 'sign in (local)', run: () => signIn(url, args.tokens, staffId) },
    ...(args.tokens ? {} : { pageTexted: (reference: string, ms: number) => localPageTexted(url, phone, reference, ms) }),
    onStep: (step) => out.line(`  ${step.ok ? 'ok  ' : 'FAIL'}  ${step.name.padEnd(40)} ${String(step.ms).padStart(6)} ms`),
  });
  if (result.ok) {
    out.line(
      `PASS in ${result.totalMs} ms: referral ${result.referral?.reference} routed, paged, accepted and closed${args.tokens ? `; ${phone} should have had the page and the referrer's "accepted" text` : ''}`,
    );
    return 0;
  }
  out.line(`  ${result.failure}`);
  if (result.cleanup) out.line(`  ${result.cleanup.replace('POST /api', `POST ${url}/api`)}`);
  out.line(`FAIL after ${result.totalMs} ms`);
  return 1;
}

/** Locally the SMS outbox shows the page itself (in AWS the operator's phone does). */
export async function localPageTexted(url: string, phone: string, reference: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await request(url, 'GET', `/local/sms?to=${encodeURIComponent(phone)}`);
    const messages = Array.isArray(answer.body.messages) ? (answer.body.messages as { body?: string }[]) : [];
    if (messages.some((message) => message.body?.includes(reference))) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function signIn(url: string, tokens: { admin: string; smoke: string } | null, staffId: string): Promise<LineActors> {
  if (tokens) {
    // Read only to name a wrong token early; the API verifies them.
    const admin = unverifiedClaims(tokens.admin);
    if (!groupsOf(admin).includes('admin')) failed('--token is not an administrator\'s ID token (its cognito:groups has no "admin")');
    const smoke = unverifiedClaims(tokens.smoke);
    const missing = ['referrer', 'amhp', SYNTHETIC_ROLE].filter((group) => !groupsOf(smoke).includes(group));
    if (missing.length > 0) failed(`--smoke-token's user must be in the groups referrer, amhp and ${SYNTHETIC_ROLE} (missing: ${missing.join(', ')})`);
    if (smoke?.['custom:staffId'] !== staffId) failed(`--smoke-token's custom:staffId must be ${staffId} (the smoke AMHP), not ${String(smoke?.['custom:staffId'] ?? 'unset')}`);
    for (const [name, claims] of [['--token', admin], ['--smoke-token', smoke]] as const) {
      if (typeof claims?.exp === 'number' && claims.exp * 1000 < Date.now()) failed(`${name} has expired: sign in again (ID tokens last 1 hour)`);
    }
    return { admin: tokens.admin, referrer: tokens.smoke, amhp: tokens.smoke };
  }
  const token = async (username: string, roles?: string[]) => {
    const result = await localSignIn(url, username, roles);
    return 'token' in result ? result.token : failed(result.error);
  };
  const admin = await token('admin', ['admin']);
  // The synthetic role marks its referrals, so they stay off the boards and statistics.
  const referrer = await token('smoke-referrer', ['referrer', SYNTHETIC_ROLE]);
  return { admin, referrer, amhp: '', signInAsAmhp: () => token(staffId) };
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
