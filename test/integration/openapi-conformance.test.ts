/**
 * The OpenAPI document against what the API really does, on one local runtime: for every API
 * route, example requests (each checked against the documented request body) are sent, and each
 * answer must have a documented status and content type, and a JSON body that the documented
 * schema accepts (test/support/json-schema.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isApiRoute, openApiDocument } from '../../functions/openapi/document.ts';
import { routes } from '../../infra/definition.ts';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { DEMO_TEAM_ID } from '../../infra/local/seed.ts';
import { localToken } from '../support/local-api.ts';
import { schemaErrors } from '../support/json-schema.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- an OpenAPI document is read key by key

const document = openApiDocument() as Json;
const HOUR = 3_600_000;
let runtime: LocalRuntime;
const tokens = new Map<string, string>();

interface Example {
  /** `METHOD /path` as infra/definition.ts names the route. */
  route: string;
  what: string;
  as?: string;
  path: string;
  body?: unknown;
  /** Sent as this content type rather than JSON. */
  contentType?: string;
  accept?: string;
  status: number;
  /** The body is meant to break the documented schema: the API must refuse it. */
  breaksSchema?: true;
}

const s136Body = () => ({
  referrer: { name: 'Dr Gill Price', kind: 'gp', organisation: 'Leeds Central Surgery', phone: '07700 900201' },
  subject: {
    givenName: 'Conformance',
    familyName: 'Subject',
    dateOfBirth: '1980-01-01',
    nhsNumberUnknownReason: 'not known',
    currentLocation: { kind: 'police_station', postcode: 'LS1 4AP' },
  },
  legal: { status: 's136', detentionStart: new Date(Date.now() - HOUR).toISOString() },
  reason: 'OpenAPI conformance',
  risks: [],
  urgency: 'immediate',
});

const window = () => {
  const start = new Date(Math.floor(Date.now() / HOUR) * HOUR - HOUR).toISOString();
  const end = new Date(Math.floor(Date.now() / HOUR) * HOUR + 23 * HOUR).toISOString();
  return { start, end };
};

async function call(method: string, path: string, as: string | undefined, body?: unknown, contentType = 'application/json', accept?: string) {
  const headers: Record<string, string> = {};
  if (as) headers.authorization = `Bearer ${tokens.get(as) ?? (await token(as))}`;
  if (accept) headers.accept = accept;
  if (body !== undefined) headers['content-type'] = contentType;
  const response = await fetch(`${runtime.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, contentType: (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '', text };
}

async function token(username: string) {
  const value = await localToken(runtime.url, username);
  tokens.set(username, value);
  return value;
}

/** A Leeds referral once one of the team's AMHPs is paged for it. */
async function pagedReferral() {
  const created = await call('POST', '/api/referrals', 'gp', s136Body());
  const { id, reference } = JSON.parse(created.text) as { id: string; reference: string };
  const page = await runtime.outbox.waitFor((sms) => sms.direction === 'outbound' && sms.body.includes(reference), 10_000);
  const staff = await runtime.deps.directory.staffByPhone(page.phone);
  return { id, pagedTo: staff?.id ?? '' };
}

const operationOf = (route: string): Json => {
  const [method = '', path = ''] = route.split(' ');
  return document.paths[path]?.[method.toLowerCase()] ?? {};
};

let examples: Example[] = [];

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, seed: true });
  const { start, end } = window();
  const team = {
    name: 'Leeds Emergency Duty Team',
    areas: Array.from({ length: 17 }, (_, i) => `LS${i + 1}`),
    escalation: { ackTimeoutSeconds: 3_600, repeat: 0 },
    continuity: 'ignore',
    fallbackPhone: '+447700900199',
  };
  const rota = {
    shifts: [
      { staffId: 'amhp-asha', position: 'primary', start, end },
      { staffId: 'amhp-ben', position: 'secondary', start, end },
      { staffId: 'manager-dev', position: 'manager', start, end },
    ],
  };
  expect((await call('PUT', `/api/teams/${DEMO_TEAM_ID}`, 'admin', team)).status).toBe(200);
  expect((await call('PUT', `/api/teams/${DEMO_TEAM_ID}/rota`, 'admin', rota)).status).toBe(200);
  const toAccept = await pagedReferral();
  const toDecline = await pagedReferral();
  const toClose = await pagedReferral();
  expect((await call('POST', `/api/referrals/${toClose.id}/accept`, toClose.pagedTo)).status).toBe(200);
  const toExtend = await pagedReferral();
  const toPage = await pagedReferral();
  const toMove = await pagedReferral();
  const later = new Date(Date.now() + 30 * 24 * HOUR);
  const override = { shifts: [{ staffId: 'amhp-chloe', position: 'secondary', start: later.toISOString(), end: new Date(later.getTime() + 8 * HOUR).toISOString() }] };
  const today = new Date().toISOString().slice(0, 10);
  examples = [
    { route: 'GET /health', what: 'ready', path: '/health', status: 200 },
    { route: 'POST /api/referrals', what: 'a web referral', as: 'gp', path: '/api/referrals', body: s136Body(), status: 202 },
    { route: 'POST /api/referrals', what: 'a phone referral', as: 'police', path: '/api/referrals', body: { channel: 'phone', callbackPhone: '07700 900202', currentLocation: { postcode: 'LS2 7UE' }, legal: { status: 'none' }, urgency: 'within_4_hours' }, status: 202 },
    { route: 'POST /api/referrals', what: 'a bad NHS number', as: 'gp', path: '/api/referrals', body: { ...s136Body(), subject: { ...s136Body().subject, nhsNumber: '943 476 5918' } }, status: 400 },
    { route: 'GET /api/referrals/{id}', what: 'its referrer', as: 'gp', path: `/api/referrals/${toClose.id}`, status: 200 },
    { route: 'GET /api/referrals/{id}', what: 'its referrer, with details', as: 'gp', path: `/api/referrals/${toClose.id}?include=details`, status: 200 },
    { route: 'GET /api/referrals/{id}', what: "the team's manager", as: 'manager-dev', path: `/api/referrals/${toClose.id}`, status: 200 },
    { route: 'GET /api/referrals/{id}', what: 'someone else', as: 'police', path: `/api/referrals/${toClose.id}`, status: 404 },
    { route: 'GET /api/referrals/{id}', what: 'nobody signed in', path: `/api/referrals/${toClose.id}`, status: 401 },
    { route: 'POST /api/referrals/{id}/accept', what: 'the AMHP paged', as: toAccept.pagedTo, path: `/api/referrals/${toAccept.id}/accept`, status: 200 },
    { route: 'POST /api/referrals/{id}/decline', what: 'the AMHP paged', as: toDecline.pagedTo, path: `/api/referrals/${toDecline.id}/decline`, body: { reason: 'at another assessment' }, status: 200 },
    { route: 'PUT /api/teams/{teamId}', what: 'an admin', as: 'admin', path: `/api/teams/${DEMO_TEAM_ID}`, body: team, status: 200 },
    { route: 'PUT /api/teams/{teamId}', what: 'a bad team', as: 'admin', path: `/api/teams/${DEMO_TEAM_ID}`, body: { ...team, areas: 'LS1' }, status: 400, breaksSchema: true },
    { route: 'PUT /api/staff/{staffId}', what: 'an admin', as: 'admin', path: '/api/staff/amhp-dana', body: { name: 'Dana Reid', phone: '+447700900105', teamIds: [DEMO_TEAM_ID], roles: ['amhp'] }, status: 200 },
    { route: 'PUT /api/teams/{teamId}/rota', what: 'CSV with the documented columns', as: 'admin', path: `/api/teams/${DEMO_TEAM_ID}/rota`, contentType: 'text/csv', body: `date,start,end,staff,position\r\n${later.toISOString().slice(0, 10)},17:00,23:00,amhp-asha,primary\r\n`, status: 200 },
    { route: 'PUT /api/teams/{teamId}/rota', what: 'JSON', as: 'admin', path: `/api/teams/${DEMO_TEAM_ID}/rota`, body: rota, status: 200 },
    { route: 'PUT /api/teams/{teamId}/rota', what: 'an AMHP', as: 'amhp-asha', path: `/api/teams/${DEMO_TEAM_ID}/rota`, body: rota, status: 403 },
    { route: 'GET /api/teams/{teamId}/oncall', what: 'team staff', as: 'amhp-asha', path: `/api/teams/${DEMO_TEAM_ID}/oncall`, status: 200 },
    { route: 'GET /api/teams/{teamId}/rota', what: 'JSON', as: 'manager-dev', path: `/api/teams/${DEMO_TEAM_ID}/rota?from=${today}&days=2`, status: 200 },
    { route: 'GET /api/teams/{teamId}/rota', what: 'CSV', as: 'manager-dev', path: `/api/teams/${DEMO_TEAM_ID}/rota?format=csv`, status: 200 },
    { route: 'GET /api/teams/{teamId}/rota', what: 'iCalendar', as: 'manager-dev', path: `/api/teams/${DEMO_TEAM_ID}/rota`, accept: 'text/calendar', status: 200 },
    { route: 'GET /api/teams/{teamId}/rota', what: 'a bad date', as: 'manager-dev', path: `/api/teams/${DEMO_TEAM_ID}/rota?from=tomorrow`, status: 400 },
    { route: 'POST /api/teams/{teamId}/rota/overrides', what: 'cover', as: 'manager-dev', path: `/api/teams/${DEMO_TEAM_ID}/rota/overrides`, body: override, status: 201 },
    { route: 'POST /api/teams/{teamId}/rota/overrides', what: 'no team', as: 'admin', path: '/api/teams/no-such-team/rota/overrides', body: override, status: 404 },
    { route: 'POST /api/teams/{teamId}/rota/feed', what: 'team staff', as: 'amhp-asha', path: `/api/teams/${DEMO_TEAM_ID}/rota/feed`, status: 201 },
    { route: 'PUT /api/service', what: 'an admin', as: 'admin', path: '/api/service', body: { defaultTeamId: DEMO_TEAM_ID }, status: 200 },
    { route: 'PUT /api/service', what: 'an unknown team', as: 'admin', path: '/api/service', body: { defaultTeamId: 'no-such-team' }, status: 400 },
    { route: 'PUT /api/service', what: 'a manager', as: 'manager-dev', path: '/api/service', body: { defaultTeamId: DEMO_TEAM_ID }, status: 403 },
    { route: 'POST /api/referrals/{id}/clocks/{kind}/extension', what: 'an unlawful reason', as: 'manager-dev', path: `/api/referrals/${toExtend.id}/clocks/s136/extension`, body: { hours: 12, doctorName: 'Dr A. Khan', reason: 'amhp_unavailable' }, status: 422 },
    { route: 'POST /api/referrals/{id}/clocks/{kind}/extension', what: 'team staff', as: toExtend.pagedTo, path: `/api/referrals/${toExtend.id}/clocks/s136/extension`, body: { hours: 12, doctorName: 'Dr A. Khan', reason: 'person_condition', superintendentName: 'Supt Reid' }, status: 200 },
    { route: 'POST /api/referrals/{id}/events', what: 'the referrer reports a transfer', as: 'gp', path: `/api/referrals/${toMove.id}/events`, body: { type: 'transferred', placeKind: 'health_based', postcode: 'LS1 3EX' }, status: 200 },
    { route: 'POST /api/referrals/{id}/events', what: 'a bad postcode', as: 'gp', path: `/api/referrals/${toMove.id}/events`, body: { type: 'transferred', placeKind: 'health_based', postcode: 'nowhere' }, status: 400 },
    { route: 'POST /api/referrals/{id}/events', what: 'a release by the referrer', as: 'gp', path: `/api/referrals/${toMove.id}/events`, body: { type: 'released' }, status: 403 },
    { route: 'POST /api/referrals/{id}/events', what: "a release by the team's manager", as: 'manager-dev', path: `/api/referrals/${toMove.id}/events`, body: { type: 'released' }, status: 200 },
    { route: 'POST /api/referrals/{id}/events', what: 'a second release', as: 'manager-dev', path: `/api/referrals/${toMove.id}/events`, body: { type: 'released' }, status: 409 },
    { route: 'POST /api/referrals/{id}/events', what: 'no referral', as: 'manager-dev', path: '/api/referrals/no-such-referral/events', body: { type: 'released' }, status: 404 },
    { route: 'GET /api/teams', what: 'an admin', as: 'admin', path: '/api/teams', status: 200 },
    { route: 'GET /api/teams', what: 'a referrer', as: 'gp', path: '/api/teams', status: 403 },
    { route: 'GET /api/teams/{teamId}', what: "the team's manager", as: 'manager-dev', path: `/api/teams/${DEMO_TEAM_ID}`, status: 200 },
    { route: 'GET /api/teams/{teamId}', what: 'no team', as: 'admin', path: '/api/teams/no-such-team', status: 404 },
    { route: 'GET /api/staff/{staffId}', what: "the team's manager", as: 'manager-dev', path: '/api/staff/amhp-ben', status: 200 },
    { route: 'POST /api/staff/{staffId}/phone/verify', what: 'the staff member', as: 'amhp-chloe', path: '/api/staff/amhp-chloe/phone/verify', status: 202 },
    { route: 'POST /api/staff/{staffId}/phone/verify', what: 'another AMHP', as: 'amhp-asha', path: '/api/staff/amhp-chloe/phone/verify', status: 403 },
    { route: 'POST /api/staff/{staffId}/phone/confirm', what: 'a code of five digits', as: 'amhp-chloe', path: '/api/staff/amhp-chloe/phone/confirm', body: { code: '12345' }, status: 400, breaksSchema: true },
    { route: 'POST /api/staff/{staffId}/phone/confirm', what: 'an admin, no such person', as: 'admin', path: '/api/staff/no-such-person/phone/confirm', body: { code: '123456' }, status: 404 },
    { route: 'POST /api/referrals/{id}/page', what: "the team's manager", as: 'manager-dev', path: `/api/referrals/${toPage.id}/page`, body: { staffId: 'amhp-chloe' }, status: 200 },
    { route: 'POST /api/referrals/{id}/page', what: 'an unknown person', as: 'manager-dev', path: `/api/referrals/${toPage.id}/page`, body: { staffId: 'no-such-person' }, status: 404 },
    { route: 'POST /api/referrals/{id}/route', what: 'a routed referral', as: 'manager-dev', path: `/api/referrals/${toPage.id}/route`, status: 409 },
    { route: 'POST /api/telephony/referrals', what: 'an unsigned request', path: '/api/telephony/referrals', body: { callbackPhone: '07700 900202', currentLocation: { postcode: 'LS2 7UE' }, legal: { status: 'none' }, urgency: 'within_4_hours' }, status: 401 },
    { route: 'GET /api/openapi.json', what: 'anyone', path: '/api/openapi.json', status: 200 },
    { route: 'GET /api/dashboard', what: 'a manager', as: 'manager-dev', path: `/api/dashboard?teamId=${DEMO_TEAM_ID}`, status: 200 },
    { route: 'GET /api/dashboard', what: 'a referrer', as: 'gp', path: '/api/dashboard', status: 403 },
    { route: 'POST /api/referrals/{id}/close', what: 'the AMHP who holds it', as: toClose.pagedTo, path: `/api/referrals/${toClose.id}/close`, body: { outcome: 'withdrawn' }, status: 200 },
    { route: 'POST /api/referrals/{id}/close', what: 'again', as: toClose.pagedTo, path: `/api/referrals/${toClose.id}/close`, body: { outcome: 'withdrawn' }, status: 409 },
  ];
}, 90_000);

afterAll(async () => {
  await runtime?.stop();
});

describe('the OpenAPI document against the API', () => {
  it('has an example request for every API route', () => {
    const covered = new Set(examples.map((example) => example.route));
    expect(routes.filter(isApiRoute).map((route) => `${route.method} ${route.path}`).filter((route) => !covered.has(route))).toEqual([]);
  });

  it('documents each example request, and each answer: its status, content type and body', async () => {
    const mismatches: string[] = [];
    for (const example of examples) {
      const [method = ''] = example.route.split(' ');
      const operation = operationOf(example.route);
      const label = `${example.route} (${example.what})`;
      const requestType = example.contentType ?? 'application/json';
      if (example.body !== undefined) {
        const documented = operation.requestBody?.content?.[requestType]?.schema;
        if (!documented) mismatches.push(`${label}: no ${requestType} request body is documented`);
        else if (requestType === 'application/json' && example.breaksSchema) {
          if (schemaErrors(documented, example.body, document).length === 0) mismatches.push(`${label}: the documented schema accepts a body the API refuses`);
        } else if (requestType === 'application/json') mismatches.push(...schemaErrors(documented, example.body, document).map((e) => `${label} request: ${e}`));
      }
      const answer = await call(method, example.path, example.as, example.body, requestType, example.accept);
      if (answer.status !== example.status) {
        mismatches.push(`${label}: answered ${answer.status}, the example expects ${example.status}: ${answer.text.slice(0, 200)}`);
        continue;
      }
      const documented = operation.responses?.[String(answer.status)];
      if (!documented) {
        mismatches.push(`${label}: ${answer.status} is not documented (${Object.keys(operation.responses ?? {}).join(', ')})`);
        continue;
      }
      if (!documented.content) continue;
      const media = documented.content[answer.contentType];
      if (!media) {
        mismatches.push(`${label}: ${answer.status} answered ${answer.contentType}, documented ${Object.keys(documented.content).join(', ')}`);
        continue;
      }
      if (answer.contentType === 'application/json') {
        mismatches.push(...schemaErrors(media.schema, JSON.parse(answer.text), document).map((e) => `${label} ${answer.status}: ${e}`));
      } else if (answer.contentType === 'text/csv' && typeof media.description === 'string') {
        const columns = /: ([a-z_,]+)/.exec(media.description)?.[1];
        if (columns && answer.text.split('\r\n')[0]?.replace(/\n.*/s, '') !== columns) mismatches.push(`${label}: CSV header ${answer.text.split(/\r?\n/)[0]} is not the documented ${columns}`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 60_000);

  it('documents a 401 for every route that needs a bearer token, and the API gives it', async () => {
    for (const route of routes.filter((r) => isApiRoute(r) && r.auth === 'jwt')) {
      const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'teamId' ? DEMO_TEAM_ID : name === 'kind' ? 's136' : 'x'));
      const answer = await call(route.method, path, undefined, route.method === 'GET' ? undefined : {});
      expect({ route: `${route.method} ${route.path}`, status: answer.status }).toEqual({ route: `${route.method} ${route.path}`, status: 401 });
      expect(schemaErrors(operationOf(`${route.method} ${route.path}`).responses[401].content['application/json'].schema, JSON.parse(answer.text), document)).toEqual([]);
    }
  });
});
