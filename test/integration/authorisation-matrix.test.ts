import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../infra/definition.ts';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { DEMO_TEAM_ID } from '../../infra/local/seed.ts';
import { webhookSignature } from '../../shared/domain/telephony.ts';
import { loadEvent } from '../support/events.ts';
import { WebClient } from './web-client.ts';
import { localToken } from '../support/local-api.ts';

/**
 * Who may do what, endpoint by endpoint, on one local runtime: every route of infra/definition.ts
 * against every kind of caller. The table below is the specification; each cell becomes a test.
 * "The team" is the Leeds EDT the referrals go to; "another team" is a Bradford EDT made through
 * the admin API, with its own AMHP and manager. For a referral's own endpoints, "AMHP of the team"
 * is the AMHP it was paged to (and, to close it, the one who accepted it); "AMHP of the team, not
 * paged" is one of its AMHPs who is off duty tonight.
 */

const roles = [
  'anonymous',
  'referrer',
  'another referrer',
  'AMHP of the team',
  'AMHP of the team, not paged',
  'AMHP of another team',
  'manager',
  'manager of another team',
  'admin',
] as const;
type Role = (typeof roles)[number];

/** A status code, or `sign-in`: a 303 to the sign-in page (the web pages' answer to no session). */
type Outcome = number | 'sign-in';

const OTHER_TEAM = 'bradford-edt';
const otherStaff = [
  { id: 'amhp-olu', name: 'Olu Adeyemi', phone: '+447700900301', teamIds: [OTHER_TEAM], roles: ['amhp'] },
  { id: 'manager-maya', name: 'Maya Lindqvist', phone: '+447700900302', teamIds: [OTHER_TEAM], roles: ['manager'] },
];
const usernames: Record<Exclude<Role, 'anonymous'>, string> = {
  referrer: 'gp',
  'another referrer': 'police',
  'AMHP of the team': 'amhp-asha',
  // Staff of the team but off duty tonight: never paged.
  'AMHP of the team, not paged': 'amhp-chloe',
  'AMHP of another team': 'amhp-olu',
  manager: 'manager-dev',
  'manager of another team': 'manager-maya',
  admin: 'admin',
};
const leedsAmhps = ['amhp-asha', 'amhp-ben'];
const HOUR = 3_600_000;

let runtime: LocalRuntime;
const tokens = new Map<string, string>();
const cookies = new Map<string, string>();

/** A referral of the Leeds team, paged to one of its AMHPs; `accepted` once that AMHP accepted it. */
interface Fixture {
  id: string;
  reference: string;
  pagedTo: string;
  linkToken: string;
}

interface Request {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  body?: unknown;
  /** A form post (the web pages) rather than JSON. */
  form?: Record<string, string>;
  headers?: Record<string, string>;
}

interface Row {
  endpoint: string;
  /** The route it exercises, as infra/definition.ts names it. */
  route: string;
  outcomes: Outcome[];
  /** The request for one caller: `username` is who that caller is for this row; `cookie` signs in by the web session. */
  request: (role: Role) => Promise<Request & { username?: string | undefined; cookie?: boolean }>;
}

// --- fixtures ----------------------------------------------------------------------------------

const s136Body = (postcode = 'LS1 4AP') => ({
  referrer: { name: 'Dr Gill Price', kind: 'gp', organisation: 'Leeds Central Surgery', phone: '07700 900201' },
  subject: {
    givenName: 'Matrix',
    familyName: 'Subject',
    dateOfBirth: '1980-01-01',
    nhsNumberUnknownReason: 'not known',
    currentLocation: { kind: 'police_station', postcode },
  },
  legal: { status: 's136', detentionStart: new Date(Date.now() - HOUR).toISOString() },
  reason: 'authorisation matrix',
  risks: [],
  urgency: 'immediate',
});
const phoneBody = { channel: 'phone', callbackPhone: '07700 900201', currentLocation: { postcode: 'BD1 1AA' }, legal: { status: 'none' }, urgency: 'immediate' };

async function send(request: Request, username: string | undefined, cookie: boolean) {
  const headers: Record<string, string> = { ...request.headers };
  if (username && !cookie) headers.authorization = `Bearer ${tokens.get(username)}`;
  if (username && cookie) headers.cookie = cookies.get(username) ?? '';
  let body: string | undefined;
  if (request.form) {
    body = new URLSearchParams(request.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers.origin = new URL(runtime.url).origin;
  } else if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    headers['content-type'] ??= 'application/json';
  } else if (request.method === 'POST') {
    headers.origin = new URL(runtime.url).origin;
  }
  const response = await fetch(`${runtime.url}${request.path}`, { method: request.method, headers, redirect: 'manual', ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  return { status: response.status, location: response.headers.get('location') ?? '', text };
}

const api = (method: Request['method'], path: string, username: string | undefined, body?: unknown) =>
  send({ method, path, ...(body === undefined ? {} : { body }) }, username, false);

async function login(username: string) {
  tokens.set(username, await localToken(runtime.url, username));
  const browser = new WebClient(runtime.url);
  await browser.signIn(username);
  cookies.set(username, [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
}

/** A new Leeds referral from the GP, once one of the team's AMHPs has been paged for it. */
async function pagedReferral(): Promise<Fixture> {
  const created = await api('POST', '/api/referrals', 'gp', s136Body());
  expect(created.status).toBe(202);
  const { id, reference } = JSON.parse(created.text) as { id: string; reference: string };
  // The page itself (with its link): the manager may be texted about the same referral too (an overrun).
  const page = await runtime.outbox.waitFor((sms) => sms.direction === 'outbound' && sms.body.includes(reference) && sms.body.includes('/a/'), 10_000);
  const staff = await runtime.deps.directory.staffByPhone(page.phone);
  expect(leedsAmhps).toContain(staff?.id);
  const linkToken = /\/a\/(\S+)/.exec(page.body)?.[1] ?? '';
  return { id, reference, pagedTo: staff?.id ?? '', linkToken };
}

/** Paged, then accepted by the AMHP paged: they hold it. */
async function acceptedReferral(): Promise<Fixture> {
  const referral = await pagedReferral();
  const accepted = await api('POST', `/api/referrals/${referral.id}/accept`, referral.pagedTo);
  expect(accepted.status).toBe(200);
  return referral;
}

let shared: Fixture;
let sharedAccepted: Fixture;
/** A referral from a district no team covers, with no default team: unrouted. */
let sharedUnrouted: { id: string };
let feedToken: string;
let signedAt: number | undefined;

/** One accepted referral for the transfers of the events rows (a transfer may be reported again and again), and for `attending`, which may be sent again until the assessment starts. */
let eventsFixture: Promise<Fixture> | undefined;
const eventsReferral = () => (eventsFixture ??= acceptedReferral());

/** Who a role is for a row about this referral: "AMHP of the team" is the AMHP it was paged to. */
const who = (role: Role, referral?: Fixture) =>
  role === 'anonymous' ? undefined : role === 'AMHP of the team' && referral ? referral.pagedTo : usernames[role];

/** A fresh fixture for the callers expected to change it; the shared one for everyone else. */
const freshFor = (allowed: Role[], make: () => Promise<Fixture>, fallback: () => Fixture) => async (role: Role) =>
  allowed.includes(role) ? make() : fallback();

// --- the specification ---------------------------------------------------------------------

// outcomes, in the order of `roles`: anonymous, referrer (who made it), another referrer, AMHP of
// the team (paged for it), AMHP of the team not paged, AMHP of another team, manager (of the team),
// manager of another team, admin.
const rows: Row[] = [
  {
    endpoint: 'GET /health',
    route: 'GET /health',
    outcomes: [200, 200, 200, 200, 200, 200, 200, 200, 200],
    request: async () => ({ method: 'GET', path: '/health' }),
  },
  {
    endpoint: 'POST /api/referrals',
    route: 'POST /api/referrals',
    outcomes: [401, 202, 202, 403, 403, 403, 403, 403, 403],
    // To the other team's area, so that the Leeds AMHPs' page limits are kept for the rows below.
    request: async (role) => ({ method: 'POST', path: '/api/referrals', body: s136Body('BD1 1AA'), username: who(role) }),
  },
  {
    endpoint: 'GET /api/referrals/{id}',
    route: 'GET /api/referrals/{id}',
    outcomes: [401, 200, 404, 200, 200, 404, 200, 404, 404],
    request: async (role) => ({ method: 'GET', path: `/api/referrals/${shared.id}`, username: who(role, shared) }),
  },
  {
    endpoint: 'GET /api/referrals/{id}?include=details',
    route: 'GET /api/referrals/{id}',
    // The person's details need a need to know: not an AMHP of the team who was never paged for it.
    outcomes: [401, 200, 404, 200, 404, 404, 200, 404, 404],
    request: async (role) => ({ method: 'GET', path: `/api/referrals/${shared.id}?include=details`, username: who(role, shared) }),
  },
  {
    endpoint: 'POST /api/referrals/{id}/accept',
    route: 'POST /api/referrals/{id}/accept',
    outcomes: [401, 403, 403, 200, 403, 403, 403, 403, 403],
    request: async (role) => {
      const referral = await freshFor(['AMHP of the team'], pagedReferral, () => shared)(role);
      return { method: 'POST', path: `/api/referrals/${referral.id}/accept`, username: who(role, referral) };
    },
  },
  {
    endpoint: 'POST /api/referrals/{id}/decline',
    route: 'POST /api/referrals/{id}/decline',
    outcomes: [401, 403, 403, 200, 403, 403, 403, 403, 403],
    request: async (role) => {
      const referral = await freshFor(['AMHP of the team'], pagedReferral, () => shared)(role);
      return { method: 'POST', path: `/api/referrals/${referral.id}/decline`, body: { reason: 'on another assessment' }, username: who(role, referral) };
    },
  },
  {
    endpoint: 'GET /a/{token} (the texted link: the token is the credential)',
    route: 'GET /a/{token}',
    outcomes: [200, 200, 200, 200, 200, 200, 200, 200, 200],
    request: async (role) => ({ method: 'GET', path: `/a/${shared.linkToken}`, username: who(role) }),
  },
  {
    endpoint: 'GET /a/{token} (a forged token)',
    route: 'GET /a/{token}',
    outcomes: [404, 404, 404, 404, 404, 404, 404, 404, 404],
    request: async (role) => ({ method: 'GET', path: `/a/${shared.linkToken.slice(0, -2)}xx`, username: who(role) }),
  },
  {
    endpoint: 'POST /a/{token} (a forged token)',
    route: 'POST /a/{token}',
    outcomes: [409, 409, 409, 409, 409, 409, 409, 409, 409],
    request: async (role) => ({ method: 'POST', path: `/a/${shared.linkToken.slice(0, -2)}xx`, username: who(role) }),
  },
  {
    endpoint: 'POST /a/{token} (the texted link, whoever holds the phone)',
    route: 'POST /a/{token}',
    outcomes: [200, 200, 200, 200, 200, 200, 200, 200, 200],
    request: async (role) => ({ method: 'POST', path: `/a/${(await pagedReferral()).linkToken}`, username: who(role) }),
  },
  {
    endpoint: 'GET /amhp/referrals/{id} (the AMHP referral page: personal details)',
    route: 'GET /amhp/referrals/{id}',
    outcomes: ['sign-in', 403, 403, 200, 403, 403, 200, 403, 403],
    request: async (role) => ({ method: 'GET', path: `/amhp/referrals/${shared.id}`, username: who(role, shared), cookie: true }),
  },
  {
    endpoint: 'PUT /api/teams/{teamId}',
    route: 'PUT /api/teams/{teamId}',
    outcomes: [401, 403, 403, 403, 403, 403, 403, 403, 200],
    request: async (role) => ({ method: 'PUT', path: `/api/teams/${DEMO_TEAM_ID}`, body: leedsTeam, username: who(role) }),
  },
  {
    endpoint: 'PUT /api/staff/{staffId}',
    route: 'PUT /api/staff/{staffId}',
    outcomes: [401, 403, 403, 403, 403, 403, 403, 403, 200],
    request: async (role) => ({ method: 'PUT', path: `/api/staff/${otherStaff[0]?.id}`, body: { ...otherStaff[0], id: undefined }, username: who(role) }),
  },
  {
    endpoint: "POST /api/staff/{staffId}/phone/verify (the off-duty AMHP's phone)",
    route: 'POST /api/staff/{staffId}/phone/verify',
    outcomes: [401, 403, 403, 403, 202, 403, 403, 403, 202],
    request: async (role) => ({ method: 'POST', path: '/api/staff/amhp-chloe/phone/verify', username: who(role) }),
  },
  {
    endpoint: "POST /api/staff/{staffId}/phone/confirm (a wrong code for the off-duty AMHP's phone)",
    route: 'POST /api/staff/{staffId}/phone/confirm',
    outcomes: [401, 403, 403, 403, 400, 403, 403, 403, 400],
    request: async (role) => ({ method: 'POST', path: '/api/staff/amhp-chloe/phone/confirm', body: { code: 'wrong!' }, username: who(role) }),
  },
  {
    endpoint: 'PUT /api/teams/{teamId}/rota',
    route: 'PUT /api/teams/{teamId}/rota',
    outcomes: [401, 403, 403, 403, 403, 403, 200, 403, 200],
    request: async (role) => ({ method: 'PUT', path: `/api/teams/${DEMO_TEAM_ID}/rota`, body: leedsRota, username: who(role) }),
  },
  {
    endpoint: 'GET /api/teams/{teamId}/oncall',
    route: 'GET /api/teams/{teamId}/oncall',
    outcomes: [401, 403, 403, 200, 200, 403, 200, 403, 200],
    request: async (role) => ({ method: 'GET', path: `/api/teams/${DEMO_TEAM_ID}/oncall`, username: who(role) }),
  },
  {
    endpoint: 'GET /api/teams/{teamId}/rota',
    route: 'GET /api/teams/{teamId}/rota',
    outcomes: [401, 403, 403, 200, 200, 403, 200, 403, 200],
    request: async (role) => ({ method: 'GET', path: `/api/teams/${DEMO_TEAM_ID}/rota`, username: who(role) }),
  },
  {
    endpoint: 'POST /api/teams/{teamId}/rota/overrides',
    route: 'POST /api/teams/{teamId}/rota/overrides',
    outcomes: [401, 403, 403, 403, 403, 403, 201, 403, 201],
    request: async (role) => ({ method: 'POST', path: `/api/teams/${DEMO_TEAM_ID}/rota/overrides`, body: leedsOverride, username: who(role) }),
  },
  {
    endpoint: 'POST /api/teams/{teamId}/rota/feed',
    route: 'POST /api/teams/{teamId}/rota/feed',
    outcomes: [401, 403, 403, 201, 201, 403, 201, 403, 201],
    request: async (role) => ({ method: 'POST', path: `/api/teams/${DEMO_TEAM_ID}/rota/feed`, username: who(role) }),
  },
  {
    endpoint: 'GET /feeds/rota/{token} (the subscription link: the token is the credential)',
    route: 'GET /feeds/rota/{token}',
    outcomes: [200, 200, 200, 200, 200, 200, 200, 200, 200],
    request: async (role) => ({ method: 'GET', path: `/feeds/rota/${feedToken}`, username: who(role) }),
  },
  {
    endpoint: 'GET /feeds/rota/{token} (a forged token)',
    route: 'GET /feeds/rota/{token}',
    outcomes: [404, 404, 404, 404, 404, 404, 404, 404, 404],
    request: async (role) => ({ method: 'GET', path: `/feeds/rota/${feedToken.slice(0, -2)}xx`, username: who(role) }),
  },
  {
    endpoint: 'PUT /api/service',
    route: 'PUT /api/service',
    outcomes: [401, 403, 403, 403, 403, 403, 403, 403, 200],
    request: async (role) => ({ method: 'PUT', path: '/api/service', body: { defaultTeamId: DEMO_TEAM_ID }, username: who(role) }),
  },
  {
    endpoint: 'GET /teams/{teamId}/rota (page)',
    route: 'GET /teams/{teamId}/rota',
    outcomes: ['sign-in', 403, 403, 200, 200, 403, 200, 403, 200],
    request: async (role) => ({ method: 'GET', path: `/teams/${DEMO_TEAM_ID}/rota`, username: who(role), cookie: true }),
  },
  {
    endpoint: 'POST /api/referrals/{id}/clocks/{kind}/extension',
    route: 'POST /api/referrals/{id}/clocks/{kind}/extension',
    outcomes: [401, 404, 404, 200, 200, 404, 200, 404, 404],
    request: async (role) => {
      const referral = await freshFor(['AMHP of the team', 'AMHP of the team, not paged', 'manager'], pagedReferral, () => shared)(role);
      return { method: 'POST', path: `/api/referrals/${referral.id}/clocks/s136/extension`, body: { hours: 12, doctorName: 'Dr Rowe', reason: 'person_condition', superintendentName: 'Supt Reid' }, username: who(role, referral) };
    },
  },
  {
    endpoint: 'POST /api/referrals/{id}/events (a transfer: the referrer may report it)',
    route: 'POST /api/referrals/{id}/events',
    // The accepting AMHP and the team's managers record any legal event; the referrer who made it, arrivals and transfers.
    outcomes: [401, 200, 403, 200, 403, 403, 200, 403, 403],
    request: async (role) => {
      const referral = ['referrer', 'AMHP of the team', 'manager'].includes(role) ? await eventsReferral() : sharedAccepted;
      return { method: 'POST', path: `/api/referrals/${referral.id}/events`, body: { type: 'transferred', placeKind: 'health_based', postcode: 'LS1 3EX' }, username: who(role, referral) };
    },
  },
  {
    endpoint: 'POST /api/referrals/{id}/events (a release: the team only)',
    route: 'POST /api/referrals/{id}/events',
    outcomes: [401, 403, 403, 200, 403, 403, 200, 403, 403],
    request: async (role) => {
      const referral = ['AMHP of the team', 'manager'].includes(role) ? await acceptedReferral() : sharedAccepted;
      return { method: 'POST', path: `/api/referrals/${referral.id}/events`, body: { type: 'released' }, username: who(role, referral) };
    },
  },
  {
    endpoint: 'POST /api/referrals/{id}/events (an assessment step: the accepting AMHP and the managers)',
    route: 'POST /api/referrals/{id}/events',
    outcomes: [401, 403, 403, 200, 403, 403, 200, 403, 403],
    request: async (role) => {
      const referral = ['AMHP of the team', 'manager'].includes(role) ? await eventsReferral() : sharedAccepted;
      return { method: 'POST', path: `/api/referrals/${referral.id}/events`, body: { type: 'attending', etaMinutes: 20 }, username: who(role, referral) };
    },
  },
  {
    endpoint: 'POST /api/telephony/referrals (unsigned)',
    route: 'POST /api/telephony/referrals',
    outcomes: [401, 401, 401, 401, 401, 401, 401, 401, 401],
    request: async (role) => ({ method: 'POST', path: '/api/telephony/referrals', body: phoneBody, username: who(role) }),
  },
  {
    endpoint: 'POST /api/telephony/referrals (signed by the integrator)',
    route: 'POST /api/telephony/referrals',
    outcomes: [202, 202, 202, 202, 202, 202, 202, 202, 202],
    request: async (role) => {
      const raw = JSON.stringify(phoneBody);
      // A signed request is taken once: each caller's is signed afresh, a second apart.
      signedAt ??= Math.floor(Date.now() / 1000);
      const timestamp = String(signedAt - roles.indexOf(role));
      return {
        method: 'POST',
        path: '/api/telephony/referrals',
        body: phoneBody,
        headers: {
          'x-dutyline-integrator': runtime.telephony.integrator,
          'x-dutyline-timestamp': timestamp,
          'x-dutyline-signature': webhookSignature(runtime.telephony.secret, timestamp, raw),
        },
        username: who(role),
      };
    },
  },
  {
    endpoint: 'GET /api/openapi.json',
    route: 'GET /api/openapi.json',
    outcomes: [200, 200, 200, 200, 200, 200, 200, 200, 200],
    request: async (role) => ({ method: 'GET', path: '/api/openapi.json', username: who(role) }),
  },
  {
    endpoint: 'GET / (start page)',
    route: 'GET /',
    outcomes: [200, 200, 200, 200, 200, 200, 200, 200, 200],
    request: async (role) => ({ method: 'GET', path: '/', username: who(role), cookie: true }),
  },
  {
    endpoint: 'GET /referrals (page)',
    route: 'GET /referrals',
    outcomes: ['sign-in', 200, 200, 200, 200, 200, 200, 200, 200],
    request: async (role) => ({ method: 'GET', path: '/referrals', username: who(role), cookie: true }),
  },
  {
    endpoint: 'GET /referrals/new (page)',
    route: 'GET /referrals/new',
    outcomes: ['sign-in', 200, 200, 403, 403, 403, 403, 403, 403],
    request: async (role) => ({ method: 'GET', path: '/referrals/new', username: who(role), cookie: true }),
  },
  {
    endpoint: 'POST /referrals/new (form)',
    route: 'POST /referrals/new',
    outcomes: [401, 303, 303, 403, 403, 403, 403, 403, 403],
    request: async (role) => ({ method: 'POST', path: '/referrals/new', form: webForm(), username: who(role), cookie: true }),
  },
  {
    endpoint: 'GET /referrals/{id} (page)',
    route: 'GET /referrals/{id}',
    outcomes: ['sign-in', 200, 404, 200, 200, 404, 200, 404, 404],
    request: async (role) => ({ method: 'GET', path: `/referrals/${shared.id}`, username: who(role, shared), cookie: true }),
  },
  {
    endpoint: 'POST /referrals/{id}/events (the status page reports a transfer)',
    route: 'POST /referrals/{id}/events',
    outcomes: ['sign-in', 303, 403, 303, 403, 403, 303, 403, 403],
    request: async (role) => {
      const referral = ['referrer', 'AMHP of the team', 'manager'].includes(role) ? await eventsReferral() : sharedAccepted;
      return { method: 'POST', path: `/referrals/${referral.id}/events`, form: { type: 'transferred', placeKind: 'health_based', postcode: 'LS1 3EX' }, username: who(role, referral), cookie: true };
    },
  },
  {
    endpoint: "GET /amhp (the AMHP's home: the referrals they hold)",
    route: 'GET /amhp',
    outcomes: ['sign-in', 403, 403, 200, 200, 200, 200, 200, 403],
    request: async (role) => ({ method: 'GET', path: '/amhp', username: who(role), cookie: true }),
  },
  {
    endpoint: "POST /amhp/referrals/{id}/events (a step's button on the AMHP's home)",
    route: 'POST /amhp/referrals/{id}/events',
    outcomes: ['sign-in', 403, 403, 303, 403, 403, 303, 403, 403],
    request: async (role) => {
      const referral = ['AMHP of the team', 'manager'].includes(role) ? await eventsReferral() : sharedAccepted;
      return { method: 'POST', path: `/amhp/referrals/${referral.id}/events`, form: { type: 'attending', etaMinutes: '20' }, username: who(role, referral), cookie: true };
    },
  },
  {
    endpoint: 'GET /referrals/{id}/confirmation (page)',
    route: 'GET /referrals/{id}/confirmation',
    outcomes: ['sign-in', 200, 404, 200, 200, 404, 200, 404, 404],
    request: async (role) => ({ method: 'GET', path: `/referrals/${shared.id}/confirmation`, username: who(role, shared), cookie: true }),
  },
  {
    endpoint: 'GET /auth/login',
    route: 'GET /auth/login',
    outcomes: [303, 303, 303, 303, 303, 303, 303, 303, 303],
    request: async (role) => ({ method: 'GET', path: '/auth/login', username: who(role), cookie: true }),
  },
  {
    endpoint: 'GET /auth/callback (no sign-in under way)',
    route: 'GET /auth/callback',
    outcomes: [400, 400, 400, 400, 400, 400, 400, 400, 400],
    request: async (role) => ({ method: 'GET', path: '/auth/callback?code=x&state=y', username: who(role), cookie: true }),
  },
  {
    endpoint: 'POST /auth/logout',
    route: 'POST /auth/logout',
    outcomes: [303, 303, 303, 303, 303, 303, 303, 303, 303],
    request: async (role) => ({ method: 'POST', path: '/auth/logout', username: who(role), cookie: true }),
  },
  {
    endpoint: 'GET /assets/{file}',
    route: 'GET /assets/{file}',
    outcomes: [200, 200, 200, 200, 200, 200, 200, 200, 200],
    request: async (role) => ({ method: 'GET', path: '/assets/dutyline.css', username: who(role), cookie: true }),
  },
  {
    endpoint: 'GET /api/dashboard?teamId=<the team>',
    route: 'GET /api/dashboard',
    outcomes: [401, 403, 403, 403, 403, 403, 200, 403, 200],
    request: async (role) => ({ method: 'GET', path: `/api/dashboard?teamId=${DEMO_TEAM_ID}`, username: who(role) }),
  },
  {
    endpoint: 'POST /api/referrals/{id}/close',
    route: 'POST /api/referrals/{id}/close',
    outcomes: [401, 403, 403, 200, 403, 403, 200, 403, 200],
    request: async (role) => {
      const referral = await freshFor(['AMHP of the team', 'manager', 'admin'], acceptedReferral, () => sharedAccepted)(role);
      return { method: 'POST', path: `/api/referrals/${referral.id}/close`, body: { outcome: 'withdrawn' }, username: who(role, referral) };
    },
  },
  {
    endpoint: 'GET /manage (page)',
    route: 'GET /manage',
    outcomes: ['sign-in', 403, 403, 403, 403, 403, 303, 303, 303],
    request: async (role) => ({ method: 'GET', path: '/manage', username: who(role), cookie: true }),
  },
  {
    endpoint: 'GET /manage/board (page)',
    route: 'GET /manage/board',
    outcomes: ['sign-in', 403, 403, 403, 403, 403, 200, 200, 200],
    request: async (role) => ({ method: 'GET', path: '/manage/board', username: who(role), cookie: true }),
  },
  {
    endpoint: 'GET /manage/response-times (page)',
    route: 'GET /manage/response-times',
    outcomes: ['sign-in', 403, 403, 403, 403, 403, 200, 200, 200],
    request: async (role) => ({ method: 'GET', path: '/manage/response-times', username: who(role), cookie: true }),
  },
  {
    endpoint: 'GET /manage/handover (page)',
    route: 'GET /manage/handover',
    outcomes: ['sign-in', 403, 403, 403, 403, 403, 200, 200, 200],
    request: async (role) => ({ method: 'GET', path: '/manage/handover', username: who(role), cookie: true }),
  },
  {
    // A manager of the team marks it; an administrator, like the events API, records nothing.
    endpoint: 'POST /manage/handover (mark received)',
    route: 'POST /manage/handover',
    outcomes: ['sign-in', 403, 403, 403, 403, 403, 303, 403, 403],
    request: async (role) => {
      const referral = await freshFor(['manager'], pagedReferral, () => shared)(role);
      return { method: 'POST', path: '/manage/handover', form: { referralId: referral.id }, username: who(role, referral), cookie: true };
    },
  },
  {
    endpoint: 'GET /manage/coverage (page)',
    route: 'GET /manage/coverage',
    outcomes: ['sign-in', 403, 403, 403, 403, 403, 200, 200, 200],
    request: async (role) => ({ method: 'GET', path: '/manage/coverage', username: who(role), cookie: true }),
  },
  {
    endpoint: 'GET /manage/referrals/{id} (audit trail page)',
    route: 'GET /manage/referrals/{id}',
    outcomes: ['sign-in', 403, 403, 403, 403, 403, 200, 403, 200],
    request: async (role) => ({ method: 'GET', path: `/manage/referrals/${shared.id}`, username: who(role, shared), cookie: true }),
  },
  {
    endpoint: 'GET /manage/referrals/{id}/close (outcome form)',
    route: 'GET /manage/referrals/{id}/close',
    outcomes: ['sign-in', 403, 403, 200, 403, 403, 200, 403, 200],
    request: async (role) => ({ method: 'GET', path: `/manage/referrals/${sharedAccepted.id}/close`, username: who(role, sharedAccepted), cookie: true }),
  },
  {
    endpoint: 'POST /manage/referrals/{id}/close (outcome form)',
    route: 'POST /manage/referrals/{id}/close',
    outcomes: ['sign-in', 403, 403, 303, 403, 403, 303, 403, 303],
    request: async (role) => {
      const referral = await freshFor(['AMHP of the team', 'manager', 'admin'], acceptedReferral, () => sharedAccepted)(role);
      return { method: 'POST', path: `/manage/referrals/${referral.id}/close`, form: { outcome: 'not_required' }, username: who(role, referral), cookie: true };
    },
  },
  {
    endpoint: 'GET /api/teams',
    route: 'GET /api/teams',
    // A manager of another team sees their own teams.
    outcomes: [401, 403, 403, 403, 403, 403, 200, 200, 200],
    request: async (role) => ({ method: 'GET', path: '/api/teams', username: who(role) }),
  },
  {
    endpoint: 'GET /api/teams/{teamId}',
    route: 'GET /api/teams/{teamId}',
    outcomes: [401, 403, 403, 403, 403, 403, 200, 403, 200],
    request: async (role) => ({ method: 'GET', path: `/api/teams/${DEMO_TEAM_ID}`, username: who(role) }),
  },
  {
    endpoint: 'GET /api/staff/{staffId} (an AMHP of the team)',
    route: 'GET /api/staff/{staffId}',
    outcomes: [401, 403, 403, 403, 403, 403, 200, 403, 200],
    request: async (role) => ({ method: 'GET', path: '/api/staff/amhp-chloe', username: who(role) }),
  },
  {
    endpoint: 'POST /api/referrals/{id}/page',
    route: 'POST /api/referrals/{id}/page',
    outcomes: [401, 403, 403, 403, 403, 403, 200, 403, 200],
    request: async (role) => {
      const referral = await freshFor(['manager', 'admin'], pagedReferral, () => shared)(role);
      return { method: 'POST', path: `/api/referrals/${referral.id}/page`, body: { staffId: 'amhp-chloe' }, username: who(role, referral) };
    },
  },
  {
    endpoint: 'POST /api/referrals/{id}/events (unrouted: handed to the day service)',
    route: 'POST /api/referrals/{id}/events',
    // No team holds it, so it is on every manager's board and Handover page: any manager records for it; nobody else does.
    outcomes: [401, 403, 403, 403, 403, 403, 200, 200, 403],
    request: async (role) => ({ method: 'POST', path: `/api/referrals/${sharedUnrouted.id}/events`, body: { type: 'handed_over', to: 'day_service' }, username: who(role) }),
  },
  {
    endpoint: 'POST /api/referrals/{id}/route (unrouted, and still no team covers it)',
    route: 'POST /api/referrals/{id}/route',
    // Any manager may route an unrouted referral (it is on every board); still uncovered, it is refused on its state.
    outcomes: [401, 403, 403, 403, 403, 403, 409, 409, 409],
    request: async (role) => {
      // The PUT /api/service row set a default team, which would route it: taken away again.
      const { defaultTeamId: _routesIt, ...settings } = await runtime.deps.directory.getServiceSettings();
      await runtime.deps.directory.putServiceSettings(settings);
      return { method: 'POST', path: `/api/referrals/${sharedUnrouted.id}/route`, username: who(role) };
    },
  },
];

const leedsTeam = {
  name: 'Leeds Emergency Duty Team',
  areas: Array.from({ length: 17 }, (_, i) => `LS${i + 1}`),
  // Nobody escalates while the matrix runs: an hour to answer, no second round.
  escalation: { ackTimeoutSeconds: 3_600, repeat: 0 },
  continuity: 'ignore',
  fallbackPhone: '+447700900199',
};
const onDuty = () => {
  const start = new Date(Math.floor(Date.now() / HOUR) * HOUR - HOUR).toISOString();
  const end = new Date(Math.floor(Date.now() / HOUR) * HOUR + 23 * HOUR).toISOString();
  return { start, end };
};
let leedsRota: { shifts: { staffId: string; position: string; start: string; end: string }[] };
let leedsOverride: { shifts: { staffId: string; position: string; start: string; end: string; kind: string }[] };

/** The sample form post of events/, for a person in the other team's area with no detention. */
function webForm(): Record<string, string> {
  const sample = loadEvent<{ body: string }>('http-web-referral-form');
  const form = Object.fromEntries(new URLSearchParams(Buffer.from(sample.body, 'base64').toString('utf8')));
  for (const field of ['detention-day', 'detention-month', 'detention-year', 'detention-time']) delete form[field];
  return { ...form, formId: `matrix-${randomUUID()}`, postcode: 'BD1 1AA', legalStatus: 'none', locationKind: 'home' };
}

// --- the tests -------------------------------------------------------------------------------

function label(outcome: Outcome): string {
  if (outcome === 'sign-in') return 'is sent to sign in (303)';
  if (outcome === 401) return 'must sign in (401)';
  if (outcome === 403) return 'is refused (403)';
  if (outcome === 404) return 'finds nothing (404)';
  if (outcome === 409) return 'is refused by the link or the state (409)';
  if (outcome === 400) return 'is told the request is bad (400)';
  if (outcome === 303) return 'is allowed (303 onward)';
  return `is allowed (${outcome})`;
}

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, seed: true });
  for (const username of ['admin', 'gp', 'police', 'amhp-asha', 'amhp-ben', 'amhp-chloe', 'manager-dev']) await login(username);
  const { start, end } = onDuty();
  leedsRota = {
    shifts: [
      { staffId: 'amhp-asha', position: 'primary', start, end },
      { staffId: 'amhp-ben', position: 'secondary', start, end },
      { staffId: 'manager-dev', position: 'manager', start, end },
    ],
  };
  const later = new Date(Date.now() + 30 * 24 * HOUR);
  leedsOverride = { shifts: [{ staffId: 'amhp-chloe', position: 'secondary', kind: 'override', start: later.toISOString(), end: new Date(later.getTime() + 8 * HOUR).toISOString() }] };
  expect((await api('PUT', `/api/teams/${DEMO_TEAM_ID}`, 'admin', leedsTeam)).status).toBe(200);
  expect((await api('PUT', `/api/teams/${DEMO_TEAM_ID}/rota`, 'admin', leedsRota)).status).toBe(200);
  // The other team, made through the admin API as a service administrator would.
  expect((await api('PUT', `/api/teams/${OTHER_TEAM}`, 'admin', { ...leedsTeam, name: 'Bradford Emergency Duty Team', areas: ['BD1', 'BD2'], fallbackPhone: '+447700900399' })).status).toBe(200);
  for (const staff of otherStaff) {
    const { id, ...body } = staff;
    expect((await api('PUT', `/api/staff/${id}`, 'admin', body)).status).toBe(200);
  }
  expect(
    (
      await api('PUT', `/api/teams/${OTHER_TEAM}/rota`, 'admin', {
        shifts: [
          { staffId: 'amhp-olu', position: 'primary', start, end },
          { staffId: 'manager-maya', position: 'manager', start, end },
        ],
      })
    ).status,
  ).toBe(200);
  for (const staff of otherStaff) await login(staff.id);
  const feed = await api('POST', `/api/teams/${DEMO_TEAM_ID}/rota/feed`, 'admin');
  feedToken = /\/feeds\/rota\/([^"?\s]+)/.exec(feed.text)?.[1] ?? '';
  expect(feedToken).not.toBe('');
  shared = await pagedReferral();
  sharedAccepted = await acceptedReferral();
  const unrouted = await api('POST', '/api/referrals', 'gp', s136Body('HX1 1AA'));
  sharedUnrouted = JSON.parse(unrouted.text) as { id: string };
  for (let i = 0; i < 100 && (await runtime.deps.referrals.get(sharedUnrouted.id))?.status !== 'unrouted'; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect((await runtime.deps.referrals.get(sharedUnrouted.id))?.status).toBe('unrouted');
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
});

describe('the authorisation matrix', () => {
  it('has a row for every route in infra/definition.ts', () => {
    const covered = new Set(rows.map((row) => row.route));
    expect(routes.map((route) => `${route.method} ${route.path}`).filter((route) => !covered.has(route))).toEqual([]);
  });

  for (const row of rows) {
    describe(row.endpoint, () => {
      roles.forEach((role, index) => {
        const expected = row.outcomes[index] as Outcome;
        it(`${role} ${label(expected)}`, async () => {
          const { cookie, username, ...request } = await row.request(role);
          const response = await send(request, username, cookie === true);
          if (expected === 'sign-in') {
            expect({ status: response.status, location: response.location.split('?')[0] }).toEqual({ status: 303, location: '/auth/login' });
          } else {
            expect(response.status, response.text.slice(0, 300)).toBe(expected);
          }
        });
      });
    });
  }

  it('left the shared referrals as they were: every refusal changed nothing', async () => {
    const paging = JSON.parse((await api('GET', `/api/referrals/${shared.id}`, 'manager-dev')).text) as { status: string; assignedTo: string | null };
    expect(paging).toMatchObject({ status: 'paging', assignedTo: null });
    const accepted = JSON.parse((await api('GET', `/api/referrals/${sharedAccepted.id}`, 'manager-dev')).text) as { status: string; assignedTo: string | null };
    expect(accepted).toMatchObject({ status: 'accepted', assignedTo: sharedAccepted.pagedTo });
  });
});

describe('who sees which referrals', () => {
  let bradford: { id: string; reference: string };
  let latest: Fixture;

  beforeAll(async () => {
    const created = await api('POST', '/api/referrals', 'police', s136Body('BD2 1AA'));
    bradford = JSON.parse(created.text) as { id: string; reference: string };
    await runtime.outbox.waitFor((sms) => sms.phone === otherStaff[0]?.phone && sms.body.includes(bradford.reference), 10_000);
    latest = await pagedReferral();
  });

  it("a referrer's list of referrals holds their own and nobody else's", async () => {
    const gp = await send({ method: 'GET', path: '/referrals' }, 'gp', true);
    const police = await send({ method: 'GET', path: '/referrals' }, 'police', true);
    expect(gp.text).toContain(latest.reference);
    expect(gp.text).not.toContain(bradford.reference);
    expect(police.text).toContain(bradford.reference);
    expect(police.text).not.toContain(latest.reference);
  });

  it("staff see their own team's referrals and not another team's", async () => {
    expect((await api('GET', `/api/referrals/${bradford.id}`, 'amhp-olu')).status).toBe(200);
    expect((await api('GET', `/api/referrals/${bradford.id}`, 'manager-maya')).status).toBe(200);
    for (const username of ['amhp-asha', 'amhp-ben', 'manager-dev']) expect((await api('GET', `/api/referrals/${bradford.id}`, username)).status).toBe(404);
    expect((await api('GET', `/api/referrals/${shared.id}`, 'amhp-olu')).status).toBe(404);
  });

  it("each manager's board and dashboard list their own team's open referrals only", async () => {
    const leedsBoard = await send({ method: 'GET', path: '/manage/board' }, 'manager-dev', true);
    const bradfordBoard = await send({ method: 'GET', path: '/manage/board' }, 'manager-maya', true);
    expect(leedsBoard.text).toContain(shared.reference);
    expect(leedsBoard.text).not.toContain(bradford.reference);
    expect(bradfordBoard.text).toContain(bradford.reference);
    expect(bradfordBoard.text).not.toContain(shared.reference);
    const dashboard = JSON.parse((await api('GET', '/api/dashboard', 'manager-maya')).text) as { teamIds: string[]; open: { reference: string }[] };
    expect(dashboard.teamIds).toEqual([OTHER_TEAM]);
    expect(dashboard.open.map((row) => row.reference)).toContain(bradford.reference);
    expect(dashboard.open.map((row) => row.reference)).not.toContain(shared.reference);
  });

  it("an AMHP of another team cannot answer, close or extend the team's referral", async () => {
    expect((await api('POST', `/api/referrals/${shared.id}/accept`, 'amhp-olu')).status).toBe(403);
    expect((await api('POST', `/api/referrals/${sharedAccepted.id}/close`, 'amhp-olu', { outcome: 'withdrawn' })).status).toBe(403);
    expect((await api('POST', `/api/referrals/${shared.id}/clocks/s136/extension`, 'amhp-olu', { hours: 12, doctorName: 'Dr Rowe', reason: 'person_condition' })).status).toBe(404);
  });
});

describe('what each role sees of a referral (GET /api/referrals/{id})', () => {
  /** Declined with a conflict by the first AMHP paged, then paged to the next: staff ids, a conflict and a missed page to hide. */
  let declined: Fixture & { nextPaged: string };
  const staffIds = [...leedsAmhps, 'amhp-chloe', 'manager-dev'];
  /** The status page's own keys, and nothing the team alone may see. */
  const referrerKeys = [
    'acceptedAt', 'assignedTo', 'callBackBy', 'channel', 'clocks', 'createdAt', 'district', 'headline', 'id',
    'legalStatus', 'personalDetails', 'reference', 'stage', 'status', 'teamId', 'teamName', 'timeline', 'urgency',
  ];

  beforeAll(async () => {
    const referral = await pagedReferral();
    const decline = await api('POST', `/api/referrals/${referral.id}/decline`, referral.pagedTo, { reason: 'knows the family', conflictOfInterest: true });
    expect(decline.status).toBe(200);
    // The next page goes to whoever the chain holds next (a free AMHP before a busy one), never the one who declined.
    const declinedPhone = (await runtime.deps.directory.getStaff(referral.pagedTo))?.phone;
    const nextPage = await runtime.outbox.waitFor((sms) => sms.phone !== declinedPhone && sms.body.includes(referral.reference) && sms.body.includes('/a/'), 10_000);
    const next = (await runtime.deps.directory.staffByPhone(nextPage.phone))?.id ?? '';
    declined = { ...referral, nextPaged: next };
  });

  const view = async (id: string, username: string, query = '') => {
    const response = await api('GET', `/api/referrals/${id}${query}`, username);
    expect(response.status).toBe(200);
    return { text: response.text, body: JSON.parse(response.text) as Record<string, unknown> & { timeline: Record<string, unknown>[] } };
  };

  it('the referrer sees the status page and no more: no staff id, conflict, decline reason or missed page', async () => {
    const { text, body } = await view(declined.id, 'gp');
    expect(Object.keys(body).sort()).toEqual(referrerKeys);
    for (const id of staffIds) expect(text).not.toContain(id);
    expect(text).not.toContain('knows the family');
    expect(text).not.toMatch(/conflict|declinedBy|escalation|chain|outbox|staffId/i);
    expect(body.timeline.map((entry) => Object.keys(entry).sort())).toEqual(body.timeline.map(() => ['at', 'text', 'type']));
    expect(body.timeline.map((entry) => entry.type)).toEqual(expect.arrayContaining(['received', 'routed', 'paged', 'declined']));
    expect(body.timeline.find((entry) => entry.type === 'declined')?.text).toMatch(/could not take it/);
  });

  it("the referrer's own details come back to them, still without the team's records", async () => {
    const { text, body } = await view(declined.id, 'gp', '?include=details');
    expect(Object.keys(body).sort()).toEqual([...referrerKeys, 'submission'].sort());
    expect(text).toContain('Dr Gill Price');
    for (const id of staffIds) expect(text).not.toContain(id);
  });

  it('the referrer sees who accepted by name and phone, as the page gives them, not by staff id', async () => {
    const { text, body } = await view(sharedAccepted.id, 'gp');
    const staff = await runtime.deps.directory.getStaff(sharedAccepted.pagedTo);
    expect(body.assignedTo).toEqual({ name: staff?.name, phone: staff?.phone });
    expect(body.stage).toBe('accepted');
    expect(text).not.toContain(sharedAccepted.pagedTo);
  });

  it("the team's AMHP and manager see the team's view: staff ids, the conflict and every page", async () => {
    for (const username of [declined.nextPaged, 'manager-dev']) {
      const { body } = await view(declined.id, username);
      expect(body).toMatchObject({ status: 'paging', assignedTo: null, teamId: DEMO_TEAM_ID });
      expect(body).not.toHaveProperty('headline');
      const types = body.timeline.map((entry) => entry.type);
      expect(types).toEqual(expect.arrayContaining(['received', 'routed', 'paged', 'declined']));
      expect(JSON.stringify(body.timeline)).toContain(declined.pagedTo);
    }
    const { body } = await view(sharedAccepted.id, 'manager-dev');
    expect(body.assignedTo).toBe(sharedAccepted.pagedTo);
  });
});
