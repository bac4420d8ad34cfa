/**
 * What every fuzz file shares: the data set on the stand-in, the callers, and arbitraries for
 * HTTP requests (bodies, content types, headers, path and query parameters, sessions) built from
 * the routes in infra/definition.ts, so a new route is fuzzed without anyone adding it here.
 */
import { createHmac } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import * as fc from 'fast-check';
import { functions, routes, type FunctionName, type RouteDefinition } from '../../infra/definition.ts';
import type { HttpEvent, HttpResult } from '../../functions/commons/http.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { webhookSignature } from '../../shared/domain/telephony.ts';
import {
  GP_USER_ID,
  REFERRAL_ID,
  TEAM_ID,
  asha,
  dev,
  leedsDirectory,
  pagingReferral,
  receivedReferral,
  referralItem,
  staffItem,
  staffPageItem,
  teamItem,
  areaItem,
  team,
} from '../support/dataset.ts';
import { NOW, PUBLIC_BASE_URL, TABLES } from '../support/dependencies.ts';
import { webAssets } from '../../functions/web/assets.ts';
import { sessionCookieName } from '../../functions/web/session.ts';
import { httpBody, lambdaContext, loadEvent } from '../support/events.ts';
import { fuzzRuns } from '../support/fuzz-runs.ts';
import { FUZZ_INTEGRATOR, FUZZ_INTEGRATOR_SECRET, LINK_SECRET, StandInAws, standInDependencies } from './stand-in.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A case slower than this fails: an input that ties a function up this long is a denial of service. */
export const SLOW_CASE_MS = 3_000;

/** Cases per endpoint and per event handler: `FUZZ_RUNS`, else 10,000 in CI and 1,000 elsewhere (test/support/fuzz-runs.ts). */
export const RUNS = fuzzRuns();

export const OTHER_TEAM_ID = 'bradford-edt';
export const otherAmhp = { id: 'amhp-olu', name: 'Olu Adeyemi', phone: '+447700900301', teamIds: [OTHER_TEAM_ID], roles: ['amhp' as const] };
/** An accept link texted to Asha for the paging referral, and a calendar feed of the team, with their signed tokens. */
const LINK_ID = '01KMW00000000000000000LINK1';
const FEED_ID = '01KMW00000000000000000FEED1';
const signed = (id: string) => `${id}.${createHmac('sha256', LINK_SECRET).update(id).digest('base64url').slice(0, 22)}`;
export const validTokens = [signed(LINK_ID), signed(FEED_ID)];

/** Received and not yet routed: the router has real work to do for it. */
export const RECEIVED_ID = '01KMW0000000000000000RCVD1';

export function fuzzWorld() {
  const aws = new StandInAws();
  aws.hold(TABLES.directory, [
    ...leedsDirectory(),
    teamItem({ ...team, id: OTHER_TEAM_ID, name: 'Bradford EDT', areas: ['BD1'] }),
    areaItem('BD1', OTHER_TEAM_ID),
    staffItem(otherAmhp),
    { pk: `FEED#${FEED_ID}`, sk: 'FEED', id: FEED_ID, teamId: TEAM_ID, createdBy: dev.id, createdAt: '2026-11-20T10:00:00.000Z' },
  ]);
  aws.hold(TABLES.referrals, [
    referralItem(pagingReferral()),
    staffPageItem(asha.id, REFERRAL_ID),
    { pk: `LINK#${LINK_ID}`, sk: 'LINK', id: LINK_ID, referralId: REFERRAL_ID, staffId: asha.id, expiresAt: '2026-11-26T02:00:00.000Z' },
    referralItem(receivedReferral({ id: RECEIVED_ID, outbox: {} })),
  ]);
  const deps = standInDependencies(aws);
  return { aws, deps };
}

// --- callers -------------------------------------------------------------------------------

export interface Identity {
  name: string;
  username: string;
  roles: string[];
  staffId?: string;
}

export const identities: Identity[] = [
  { name: 'referrer', username: GP_USER_ID, roles: ['referrer'] },
  { name: 'another referrer', username: 'other-referrer', roles: ['referrer'] },
  { name: 'AMHP of the team', username: asha.id, roles: ['amhp'], staffId: asha.id },
  { name: 'AMHP of another team', username: otherAmhp.id, roles: ['amhp'], staffId: otherAmhp.id },
  { name: 'manager', username: dev.id, roles: ['manager'], staffId: dev.id },
  { name: 'admin', username: 'admin', roles: ['admin'] },
];

type Claims = Record<string, string>;

const HOST = new URL(PUBLIC_BASE_URL).host;
/** The session cookie's name on https (functions/web/session.ts). */
const SESSION_COOKIE = sessionCookieName(true);

/** As API Gateway's JWT authorizer hands them over: groups as "[a b]". */
const claimsOf = (identity: Identity): Claims => ({
  sub: identity.username,
  'cognito:groups': `[${identity.roles.join(' ')}]`,
  ...(identity.staffId ? { 'custom:staffId': identity.staffId } : {}),
  token_use: 'id',
});

/** Known callers, nobody, and claims no Cognito pool would issue (odd groups, odd staff ids). */
const claimsArb: fc.Arbitrary<Claims | null> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...identities).map(claimsOf) },
  { weight: 1, arbitrary: fc.constant(null) },
  {
    weight: 1,
    arbitrary: fc.record({
      sub: fc.string({ maxLength: 40 }),
      'cognito:groups': fc.oneof(fc.string(), fc.constantFrom('[admin]', '[referrer amhp manager admin]', 'admin,manager', '')),
      'custom:staffId': fc.oneof(fc.string(), fc.constantFrom(asha.id, dev.id, 'x'.repeat(2100))),
    }),
  },
);

/** Session cookies for the web pages, signed by the stand-in's identity provider. */
export async function sessionCookies(deps: Dependencies & { identity: { signIn(u: string, r?: string[]): Promise<{ token: string } | { error: string }> } }) {
  const cookies: string[] = [];
  for (const identity of identities) {
    const signed = await deps.identity.signIn(identity.username, identity.roles);
    if ('token' in signed) cookies.push(`${SESSION_COOKIE}=${signed.token}`);
  }
  return cookies;
}

// --- bodies --------------------------------------------------------------------------------

const referralSample = httpBody('http-create-referral');
const phoneSample = { channel: 'phone', callbackPhone: '07700 900201', currentLocation: { postcode: 'LS1 4AP' }, legal: { status: 'none' }, urgency: 'immediate' };

/** Valid (or nearly valid) bodies per route, which the mutator changes one field at a time. */
const samples: Record<string, unknown[]> = {
  'POST /api/referrals': [referralSample, phoneSample],
  'POST /api/telephony/referrals': [phoneSample],
  'POST /api/referrals/{id}/decline': [{ reason: 'on another assessment', conflictOfInterest: false }, { conflictOfInterest: true }],
  'POST /api/referrals/{id}/accept': [{}],
  'PUT /api/teams/{teamId}': [{ name: 'Leeds EDT', areas: ['LS1', 'LS2'], escalation: { ackTimeoutSeconds: 600, repeat: 1 }, continuity: 'prefer', fallbackPhone: '+447700900199' }],
  'PUT /api/staff/{staffId}': [{ name: 'Asha Patel', phone: '07700 900101', teamIds: [TEAM_ID], roles: ['amhp'] }],
  'PUT /api/teams/{teamId}/rota': [{ shifts: [{ staffId: asha.id, start: '2026-11-25T17:00:00Z', end: '2026-11-26T08:45:00Z', position: 'primary' }] }],
  'POST /api/teams/{teamId}/rota/overrides': [{ shifts: [{ staffId: asha.id, start: '2026-12-01T17:00:00Z', end: '2026-12-02T08:45:00Z', position: 'secondary', kind: 'override' }] }],
  'PUT /api/service': [{ defaultTeamId: TEAM_ID }],
  'POST /api/staff/{staffId}/phone/confirm': [{ code: '123456' }],
  'POST /api/referrals/{id}/clocks/{kind}/extension': [{ hours: 12, doctorName: 'Dr Rowe', reason: 'person_condition' }],
  'POST /api/referrals/{id}/close': [{ outcome: 'assessed', result: 'detained_s2' }, { outcome: 'withdrawn' }],
  'POST /api/referrals/{id}/events': [
    { type: 'arrived_at_place_of_safety', at: '2026-11-25T01:30:00Z', placeKind: 'health_based', postcode: 'LS1 4AP' },
    { type: 'transferred', placeKind: 'police_station', postcode: 'LS2 7UE', policeStationAuthorisedBy: 'Insp Lowe' },
    { type: 'status_changed', status: 's5_2', reportFurnishedAt: '2026-11-25T01:00:00Z' },
    { type: 'admitted', section: 's2' },
    { type: 'released' },
  ],
};

/** Form posts (application/x-www-form-urlencoded), which the mutator changes one field at a time. */
const webFormEvent = loadEvent<HttpEvent>('http-web-referral-form');
const formSamples: Record<string, string[]> = {
  'POST /referrals/new': [Buffer.from(webFormEvent.body ?? '', 'base64').toString('utf8')],
  'POST /manage/referrals/{id}/close': ['outcome=assessed&result=detained_s2', 'outcome=withdrawn'],
  'POST /referrals/{id}/events': ['type=arrived_at_place_of_safety&placeKind=health_based&postcode=LS1+4AP&time=01%3A30', 'type=transferred&placeKind=police_station&postcode=LS2+7UE&policeStationAuthorisedBy=Insp+Lowe'],
};

function mutateForm(form: string, pick: number, value: string, how: 'replace' | 'delete' | 'add'): string {
  const fields = [...new URLSearchParams(form)];
  const at = pick % Math.max(fields.length, 1);
  if (how === 'delete') fields.splice(at, 1);
  else if (how === 'add') fields.push([fields[at]?.[0] ?? `x${pick}`, value]);
  else if (fields[at]) fields[at] = [fields[at][0], value];
  return new URLSearchParams(fields).toString();
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Paths to every value in a JSON document, for the mutator to pick from. */
function pathsOf(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...at, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsOf(v, [...at, k], out);
  return out;
}

function mutate(sample: unknown, pick: number, replacement: Json, how: 'replace' | 'delete' | 'add'): unknown {
  const copy = structuredClone(sample) as Json;
  const paths = pathsOf(copy);
  const target = paths[pick % paths.length] ?? [];
  if (target.length === 0) return how === 'replace' ? replacement : copy;
  let parent = copy as Record<string | number, Json>;
  for (const step of target.slice(0, -1)) parent = parent[step] as Record<string | number, Json>;
  const last = target.at(-1) as string | number;
  if (how === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (how === 'add' && parent[last] && typeof parent[last] === 'object') {
    (parent[last] as Record<string, Json>)[`x${pick}`] = replacement;
  } else {
    parent[last] = replacement;
  }
  return copy;
}

const jsonValue = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>;

/** Strings that tend to break things: long, unicode, control characters, lone surrogates, injection-shaped. */
export const oddString = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  // Any code point, lone surrogates included (`unit: 'binary'` would do, but costs a second to build).
  fc.string({ unit: fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code)), maxLength: 20 }),
  fc.constantFrom('', ' ', '\u0000', '\ud800', '../../etc/passwd', '<script>alert(1)</script>', "' OR 1=1 --", '${jndi:x}', '__proto__', 'constructor', '%00', 'NaN', '-1', '1e309'),
  fc.nat({ max: 5000 }).map((n) => 'x'.repeat(n)),
);

/**
 * Heavy bodies, built once (building a 5 MB string per case would be most of the run): deep
 * nesting within the body limit, arrays and objects, and bodies over each limit.
 */
const heavyBodies = [
  ...[100, 1_000, 10_000, 100_000].flatMap((depth) => [`${'['.repeat(depth)}${']'.repeat(depth)}`, `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`]),
  ...[4 * 1024 + 1, 64 * 1024 + 1, 256 * 1024 + 1, 5 * 1024 * 1024 + 1].map((n) => `{"reason":"${'a'.repeat(n)}"}`),
];
const base64Of = new Map(heavyBodies.map((body) => [body, Buffer.from(body).toString('base64')]));
const toBase64 = (body: string) => base64Of.get(body) ?? Buffer.from(body).toString('base64');

/** Raw bodies: JSON of any shape, mutated samples, non-JSON, deep nesting, oversized, form-encoded. */
export function bodyArb(routeKey: string): fc.Arbitrary<string | undefined> {
  const own = samples[routeKey] ?? [];
  const mutated = own.length
    ? fc.tuple(fc.constantFrom(...own), fc.nat(), jsonValue, fc.constantFrom('replace', 'delete', 'add') as fc.Arbitrary<'replace' | 'delete' | 'add'>)
        .map(([sample, pick, replacement, how]) => JSON.stringify(mutate(sample, pick, replacement, how)))
    : fc.constant('{}');
  const forms = formSamples[routeKey] ?? [];
  const mutatedForm = forms.length
    ? fc.tuple(fc.constantFrom(...forms), fc.nat(), oddString, fc.constantFrom('replace', 'delete', 'add') as fc.Arbitrary<'replace' | 'delete' | 'add'>)
        .map(([form, pick, value, how]) => mutateForm(form, pick, value, how))
    : fc.constant('a=1');
  return fc.oneof(
    { weight: forms.length ? 6 : 0, arbitrary: mutatedForm },
    { weight: forms.length ? 1 : 0, arbitrary: forms.length ? fc.constantFrom(...forms) : fc.constant('') },
    { weight: 4, arbitrary: mutated },
    { weight: 1, arbitrary: own.length ? fc.constantFrom(...own).map((b) => JSON.stringify(b)) : fc.constant('null') },
    { weight: 2, arbitrary: jsonValue.map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: oddString },
    { weight: 2, arbitrary: fc.constantFrom(...heavyBodies) },
    { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 12 }), oddString, { maxKeys: 6 }).map((d) => new URLSearchParams(d).toString()) },
  );
}

const contentTypeArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      undefined,
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/jsonx',
      'text/plain',
      'text/csv',
      'text/calendar',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
    ),
  },
  { weight: 1, arbitrary: oddString },
);

const headerArb = fc.dictionary(
  fc.oneof(
    fc.constantFrom('idempotency-key', 'origin', 'host', 'accept', 'accept-encoding', 'content-length', 'cookie', 'x-forwarded-for', 'sec-fetch-site', 'referer', 'x-dutyline-integrator', 'x-dutyline-timestamp', 'x-dutyline-signature'),
    fc.string({ minLength: 1, maxLength: 20 }),
  ),
  oddString,
  { maxKeys: 4 },
);

const queryArb = fc.option(
  fc.dictionary(
    fc.oneof(fc.constantFrom('include', 'at', 'from', 'to', 'days', 'format', 'teamId', 'mine', 'next', 'state', 'code'), fc.string({ maxLength: 8 })),
    fc.oneof(oddString, fc.constantFrom('details', 'csv', 'ics', 'json', 'true', TEAM_ID, '2026-11-25', '2026-11-25T02:00:00Z', '2026-13-45', '99999')),
    { maxKeys: 3 },
  ),
  { nil: undefined },
);

/** Ids the data set holds, for path parameters to name now and then. */
const knownValues: Record<string, string[]> = {
  id: [REFERRAL_ID, RECEIVED_ID],
  teamId: [TEAM_ID, OTHER_TEAM_ID],
  staffId: [asha.id, 'new-staff'],
  kind: ['s136', 's135', 's5_2', 'x'],
  token: ['a.b', 'x'.repeat(40)],
  file: ['dutyline.css', '../x'],
};

/**
 * A path parameter: a real id now and then, else anything a URL can carry (decoded, so
 * well-formed). A valid signed token is rarer: what it unlocks (a calendar, an accept) is costly
 * to build, and a few hundred cases of it are enough.
 */
const pathParameterArb = (name: string) =>
  fc.oneof(
    { weight: 20, arbitrary: oddString.filter((s) => s.length > 0).map((s) => s.toWellFormed()) },
    { weight: 10, arbitrary: fc.constantFrom(...(knownValues[name] ?? ['x'])) },
    { weight: name === 'token' ? 1 : 0, arbitrary: fc.constantFrom(...validTokens) },
  );

export interface HttpCase {
  claims: Claims | null;
  cookie: string | undefined;
  origin: string | undefined;
  body: string | undefined;
  base64: boolean;
  contentType: string | undefined;
  headers: Record<string, string>;
  pathParameters: Record<string, string>;
  query: Record<string, string> | undefined;
  signed: boolean;
}

const paramNames = (route: RouteDefinition) => [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');

export function httpCaseArb(route: RouteDefinition, cookies: string[]): fc.Arbitrary<HttpCase> {
  const routeKey = `${route.method} ${route.path}`;
  const names = paramNames(route);
  return fc.record({
    claims: route.auth === 'jwt' ? claimsArb : fc.constant(null),
    // A valid session a third of the time: enough to fuzz every page behind it, while most cases
    // stay on the cheap paths (a full page costs a millisecond to draw).
    cookie: fc.oneof(
      { weight: 7, arbitrary: fc.constant(undefined) },
      { weight: 9, arbitrary: fc.constantFrom(...cookies) },
      { weight: 4, arbitrary: oddString.map((s) => `${SESSION_COOKIE}=${s}`) },
    ),
    // Forms check the Origin: mostly this site's, so that the form itself is fuzzed too.
    origin: fc.oneof({ weight: 4, arbitrary: fc.constant(`https://${HOST}`) }, { weight: 1, arbitrary: fc.constantFrom(undefined, 'null', 'https://evil.example', 'not a url') }),
    body: route.method === 'GET' ? fc.option(oddString, { nil: undefined, freq: 5 }) : bodyArb(routeKey),
    base64: fc.boolean(),
    contentType: contentTypeArb,
    headers: headerArb,
    pathParameters: fc.record(Object.fromEntries(names.map((name) => [name, pathParameterArb(name)]))) as fc.Arbitrary<Record<string, string>>,
    query: queryArb,
    signed: fc.boolean(),
  });
}

/** A payload-format 2.0 event as API Gateway builds it for the route. */
export function httpEvent(route: RouteDefinition, input: HttpCase): HttpEvent {
  const rawPath = route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(input.pathParameters[name] ?? ''));
  const headers: Record<string, string> = { host: HOST, ...(input.origin === undefined ? {} : { origin: input.origin }), ...input.headers };
  if (input.contentType !== undefined) headers['content-type'] = input.contentType;
  if (input.signed && route.path === '/api/telephony/referrals') {
    const timestamp = String(Math.floor(NOW.getTime() / 1000));
    headers['x-dutyline-integrator'] = FUZZ_INTEGRATOR;
    headers['x-dutyline-timestamp'] = timestamp;
    headers['x-dutyline-signature'] = webhookSignature(FUZZ_INTEGRATOR_SECRET, timestamp, input.body ?? '');
  }
  const body = input.body === undefined ? undefined : input.base64 ? toBase64(input.body) : input.body;
  return {
    version: '2.0',
    routeKey: `${route.method} ${route.path}`,
    rawPath,
    rawQueryString: input.query ? new URLSearchParams(input.query).toString() : '',
    headers,
    ...(input.query ? { queryStringParameters: input.query } : {}),
    ...(Object.keys(input.pathParameters).length > 0 ? { pathParameters: input.pathParameters } : {}),
    ...(input.cookie ? { cookies: [input.cookie] } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'fuzz',
      domainName: HOST,
      domainPrefix: 'dutyline',
      http: { method: route.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.24', userAgent: 'fuzz' },
      requestId: 'fuzz',
      routeKey: `${route.method} ${route.path}`,
      stage: '$default',
      time: NOW.toUTCString(),
      timeEpoch: NOW.getTime(),
      ...(input.claims ? { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: input.claims, scopes: [] } } } : {}),
    } as HttpEvent['requestContext'],
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: body !== undefined && input.base64,
  };
}

type FunctionModule = { makeHandler?: (deps: Dependencies) => unknown; handler?: unknown };

/** The function behind a route (or a trigger), wired to the stand-in as the local runtime wires it. */
export async function loadFunction<E, R>(name: FunctionName, deps: Dependencies): Promise<(event: E, context: Context) => Promise<R>> {
  const mod = (await import(pathToFileURL(path.join(repoRoot, functions[name].entry)).href)) as FunctionModule;
  return (mod.makeHandler ? mod.makeHandler(deps) : mod.handler) as (event: E, context: Context) => Promise<R>;
}

/**
 * The routes each fuzz file takes, from the definition: pages behind the web session cookie; the
 * directory and rota API; and the rest (the referral API and anything new), so that no route is missed.
 */
const isPage = (route: RouteDefinition) => functions[route.function].webSessions === true;
const isDirectory = (route: RouteDefinition) => !isPage(route) && functions[route.function].entry.startsWith('functions/admin/');
export const fuzzGroups = {
  pages: routes.filter(isPage),
  directory: routes.filter(isDirectory),
  api: routes.filter((route) => !isPage(route) && !isDirectory(route)),
};
export const routeName = (route: RouteDefinition) => `${route.method} ${route.path}`;

export interface HttpFuzzResult {
  cases: number;
  byStatus: Record<number, number>;
  ms: number;
}

/**
 * Runs `RUNS` cases against one route: every answer is a 2xx, 3xx or 4xx (never a 5xx, never a
 * throw), comes within SLOW_CASE_MS, and a 4xx leaves no write behind in DynamoDB, SQS or SNS.
 * JSON errors follow contract v1.
 */
export async function fuzzRoute(route: RouteDefinition, world: ReturnType<typeof fuzzWorld>, cookies: string[], runs = RUNS): Promise<HttpFuzzResult> {
  const invoke = await loadFunction<HttpEvent, HttpResult>(route.function, world.deps);
  // Unbundled, the web assets are compiled from Sass on first use (seconds on a busy machine); a
  // deployed function reads them pre-built. Built before the clock starts, so no case pays for it.
  if (functions[route.function].webAssets) await webAssets();
  const context = lambdaContext(route.function);
  const byStatus: Record<number, number> = {};
  const started = performance.now();
  let warm = false;
  await fc.assert(
    fc.asyncProperty(httpCaseArb(route, cookies), async (input) => {
      world.aws.reset();
      const began = performance.now();
      const result = await invoke(httpEvent(route, input), context);
      const took = performance.now() - began;
      // A Lambda answers in seconds at most; one slow input would be a way to tie it up. The first
      // case also pays for the function's lazy start (a cold start), which is not what this is about.
      if (warm && took > SLOW_CASE_MS) throw new Error(`took ${Math.round(took)} ms`);
      warm = true;
      const status = result.statusCode ?? 200;
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      if (status < 200 || status >= 500) throw new Error(`answered ${status}`);
      if (status >= 400) {
        // A signed webhook's replay mark is written before its body is read: it is the guard itself, not the referral.
        const writes = world.aws.totalWrites({ exceptReplayMarks: route.path === '/api/telephony/referrals' });
        if (writes > 0) throw new Error(`answered ${status} after ${writes} write(s): ${world.aws.commands.join(', ')}`);
        const type = String(result.headers?.['content-type'] ?? '');
        if (type.startsWith('application/json')) {
          const error = JSON.parse(result.body ?? 'null') as { error?: unknown; message?: unknown };
          if (typeof error?.error !== 'string' || typeof error.message !== 'string') throw new Error(`error body is not contract v1: ${result.body}`);
        }
      }
    }),
    { numRuns: runs },
  );
  return { cases: runs, byStatus, ms: performance.now() - started };
}
