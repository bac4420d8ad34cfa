import { createHash } from 'node:crypto';
import { brotliDecompressSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HttpEvent, HttpResult } from '../../../functions/commons/http.ts';
import { webAssets } from '../../../functions/web/assets.ts';
import { makeHandler } from '../../../functions/web/handler.ts';
import type { Dependencies, SignInFlow } from '../../../shared/ports.ts';
import { putsOf, resetAws, sentMessages, stateWrites, tableHolds } from '../../support/aws.ts';
import { GP_USER_ID, REFERRAL_ID, acceptedReferral, asReferral, ben, detailsItem, leedsDirectory, pagingReferral, receivedReferral, referralItem, subjectIdentifiers } from '../../support/dataset.ts';
import { NOW, PUBLIC_BASE_URL, QUEUES, TABLES, recordingLog, testDependencies, type RecordingLog } from '../../support/dependencies.ts';
import { loadEvent } from '../../support/events.ts';

/** The ID tokens the fake verifier knows, and the claims Cognito would put in them. */
const tokens = new Map<string, Record<string, unknown>>([
  ['gp-token', { sub: GP_USER_ID, 'cognito:groups': ['referrer'], name: 'Dr Gill Price', phone_number: '+447700900201', exp: NOW.getTime() / 1000 + 3600 }],
  ['police-token', { sub: 'police-officer-sub', 'cognito:groups': ['referrer'], name: 'PC Sam Hill', exp: NOW.getTime() / 1000 + 3600 }],
  ['amhp-token', { sub: 'amhp-sub', 'cognito:groups': ['amhp'], 'custom:staffId': 'amhp-asha', exp: NOW.getTime() / 1000 + 3600 }],
]);

const SESSION = '__Host-dutyline_session';
const SIGN_IN = '__Host-dutyline_signin';

let recorded: RecordingLog;
let deps: Dependencies;
let web: ReturnType<typeof makeHandler>;
let exchanged: { code: string; codeVerifier: string; redirectUri: string }[];

const signIn: SignInFlow = {
  origin: 'https://auth.example.org',
  authorizeUrl: ({ state, codeChallenge, redirectUri }) =>
    `https://auth.example.org/oauth2/authorize?${new URLSearchParams({ state, code_challenge: codeChallenge, redirect_uri: redirectUri })}`,
  exchangeCode: async (input) => {
    exchanged.push(input);
    return input.code === 'good-code' ? 'gp-token' : null;
  },
  signOutUrl: (returnTo) => `https://auth.example.org/logout?logout_uri=${encodeURIComponent(returnTo)}`,
};

beforeEach(() => {
  resetAws();
  recorded = recordingLog();
  exchanged = [];
  deps = { ...testDependencies(recorded.log), sessions: { verify: async (token) => tokens.get(token) ?? null }, signIn };
  web = makeHandler(deps);
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** A request to the web function, shaped from events/http-web-referral-form.json (a form post from the site itself). */
function webEvent(
  routeKey: string,
  options: { path?: string; token?: string | null; form?: Record<string, string>; headers?: Record<string, string | undefined>; query?: Record<string, string>; cookies?: string[]; pathParameters?: Record<string, string> } = {},
): HttpEvent {
  const event = loadEvent<HttpEvent>('http-web-referral-form');
  const [method = 'GET', path = '/'] = routeKey.split(' ');
  event.routeKey = routeKey;
  event.rawPath = options.path ?? path;
  event.requestContext.http.method = method;
  event.requestContext.http.path = event.rawPath;
  event.cookies = [...(options.token === null ? [] : [`${SESSION}=${options.token ?? 'gp-token'}`]), ...(options.cookies ?? [])];
  if (options.pathParameters) event.pathParameters = options.pathParameters;
  if (options.query) event.queryStringParameters = options.query;
  if (method === 'GET') {
    delete event.body;
    event.isBase64Encoded = false;
    delete event.headers['content-type'];
    delete event.headers.origin;
  } else if (options.form) {
    event.body = Buffer.from(new URLSearchParams(options.form).toString()).toString('base64');
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === undefined) delete event.headers[name];
    else event.headers[name] = value;
  }
  return event;
}

/** The sample form, changed as a test needs. */
function sampleForm(changes: Record<string, string> = {}): Record<string, string> {
  const event = loadEvent<HttpEvent>('http-web-referral-form');
  const fields = Object.fromEntries(new URLSearchParams(Buffer.from(event.body ?? '', 'base64').toString('utf8')));
  return { ...fields, ...changes };
}

const call = async (event: HttpEvent) => (await web(event)) as HttpResult & { body: string };
const cookieNamed = (result: HttpResult, name: string) => result.cookies?.find((c) => c.startsWith(`${name}=`));

describe('the referral form (GET /referrals/new)', () => {
  it('sends someone who is not signed in to sign in first, to come back to the form', async () => {
    const result = await call(webEvent('GET /referrals/new', { token: null }));
    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe('/auth/login?next=%2Freferrals%2Fnew');
  });

  it("fills in the referrer's own name and number, keeps the person's details out of autofill, and is never cached", async () => {
    const result = await call(webEvent('GET /referrals/new'));
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ 'cache-control': 'no-store', 'x-frame-options': 'DENY' });
    expect(String(result.headers?.['content-security-policy'])).toContain("script-src 'self' 'sha256-");
    expect(result.body).toContain('id="referrerName" name="referrerName" type="text" value="Dr Gill Price" autocomplete="name"');
    expect(result.body).toContain('value="07700 900201"');
    for (const id of ['givenName', 'familyName', 'nhsNumber', 'postcode', 'homeAddress', 'dob-day', 'detention-day']) {
      expect(result.body).toMatch(new RegExp(`id="${id}"[^>]*autocomplete="off"`));
    }
    expect(result.body).toMatch(/<input type="hidden" name="formId" value="[A-Za-z0-9_-]{24}">/);
  });

  it('is sent compressed to a browser that accepts it (API Gateway does not compress)', async () => {
    const result = await call(webEvent('GET /referrals/new', { headers: { 'accept-encoding': 'gzip, deflate, br' } }));
    expect(result.headers).toMatchObject({ 'content-encoding': 'br', vary: 'accept-encoding', 'cache-control': 'no-store' });
    const html = brotliDecompressSync(Buffer.from(result.body, 'base64')).toString('utf8');
    expect(html).toContain('<form method="post" action="/referrals/new"');
    expect(result.body.length).toBeLessThan(html.length / 3);
  });

  it('is only for referrers', async () => {
    const result = await call(webEvent('GET /referrals/new', { token: 'amhp-token' }));
    expect(result.statusCode).toBe(403);
  });
});

describe('sending the form (POST /referrals/new)', () => {
  it('refuses a bad NHS number with an error summary linking to the field, says why in the schema own words, and stores nothing', async () => {
    const result = await call(webEvent('POST /referrals/new', { form: sampleForm({ nhsNumber: '943 476 5918', nhsNumberUnknownReason: '' }) }));
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('<title>Error: Refer for an urgent Mental Health Act assessment');
    expect(result.body).toContain('<h2 class="govuk-error-summary__title">There is a problem</h2>');
    expect(result.body).toContain('<a href="#nhsNumber">NHS number is not a valid NHS number (the check digit does not match)</a>');
    expect(result.body).toContain('id="nhsNumber-error"');
    expect(result.body).toContain('value="Zebedee"'); // what was typed is given back to fix, not lost
    expect(stateWrites()).toEqual([]);
    expect(sentMessages()).toEqual([]);
    for (const identifier of [...subjectIdentifiers, '943 476 5918']) expect(recorded.text()).not.toContain(identifier);
  });

  it('stores a police officer s136 referral once, queues it and redirects to its confirmation (POST/redirect/GET)', async () => {
    const result = await call(webEvent('POST /referrals/new', { form: sampleForm() }));
    expect(result.statusCode).toBe(303);
    const [details, stored] = putsOf('REFERRAL#');
    expect(result.headers?.location).toBe(`/referrals/${String(stored?.Item?.id)}/confirmation`);
    expect(stored?.Item).toMatchObject({
      sk: 'REFERRAL',
      channel: 'web',
      createdBy: GP_USER_ID,
      district: 'LS1',
      // The force is kept on the referral; the officer's collar number goes with their name and phone.
      referrer: { kind: 'police', policeForce: 'West Yorkshire Police' },
      legal: { status: 's136', detentionStart: '2026-11-25T00:30:00.000Z' },
    });
    expect(details?.Item).toMatchObject({ sk: 'DETAILS', details: { referrer: { collarNumber: 'WY4471' } } });
    expect(putsOf('IDEMPOTENCY#')[0]?.Item?.pk).toBe(`IDEMPOTENCY#${GP_USER_ID}#web-form:b6Xr0w8kQm2pL5sT9vYz1aC3`);
    expect(sentMessages().filter((message) => message.QueueUrl === QUEUES.referrals)).toHaveLength(1);
    for (const identifier of subjectIdentifiers) expect(recorded.text()).not.toContain(identifier);
  });

  it('refuses a form posted from another site (CSRF), storing nothing', async () => {
    const result = await call(webEvent('POST /referrals/new', { form: sampleForm(), headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } }));
    expect(result.statusCode).toBe(403);
    expect(stateWrites()).toEqual([]);
  });

  it('refuses a form post that says neither where it came from nor that it is same-origin', async () => {
    const result = await call(webEvent('POST /referrals/new', { form: sampleForm(), headers: { origin: undefined, 'sec-fetch-site': undefined } }));
    expect(result.statusCode).toBe(403);
  });

  it('gives the form back unsent, with what was typed, when the sign-in has ended', async () => {
    const result = await call(webEvent('POST /referrals/new', { form: sampleForm(), token: 'expired-token' }));
    expect(result.statusCode).toBe(401);
    expect(result.body).toContain('Your sign-in has ended. Nothing has been sent yet.');
    expect(result.body).toContain('value="Zebedee"');
    expect(stateWrites()).toEqual([]);
  });
});

describe('confirmation and status pages', () => {
  it('show a referral only to the referrer who made it', async () => {
    tableHolds(TABLES.referrals, [referralItem(receivedReferral())]);
    const theirs = await call(webEvent('GET /referrals/{id}', { path: `/referrals/${REFERRAL_ID}`, pathParameters: { id: REFERRAL_ID } }));
    expect(theirs.statusCode).toBe(200);
    const someoneElse = await call(webEvent('GET /referrals/{id}', { path: `/referrals/${REFERRAL_ID}`, pathParameters: { id: REFERRAL_ID }, token: 'police-token' }));
    expect(someoneElse.statusCode).toBe(404);
  });

  it('confirms with the reference and the call-back number', async () => {
    tableHolds(TABLES.referrals, [referralItem(receivedReferral()), detailsItem()]);
    const result = await call(webEvent('GET /referrals/{id}/confirmation', { path: `/referrals/${REFERRAL_ID}/confirmation`, pathParameters: { id: REFERRAL_ID } }));
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('<h1 class="govuk-panel__title">Referral sent</h1>');
    expect(result.body).toContain('<strong>EDT-4F7K-2Q9M</strong>');
    expect(result.body).toContain('07700 900201');
  });

  it('keeps checking while the AMHPs are asked, and says when it was escalated', async () => {
    tableHolds(TABLES.referrals, [referralItem(pagingReferral({ ashaDeclined: true }))]);
    tableHolds(TABLES.directory, leedsDirectory());
    const result = await call(webEvent('GET /referrals/{id}', { path: `/referrals/${REFERRAL_ID}`, pathParameters: { id: REFERRAL_ID } }));
    expect(result.body).toContain('data-refresh-seconds="5"');
    expect(result.body).toContain('Escalated');
    expect(result.body).toContain('An AMHP could not take it: the next AMHP on duty is being asked');
    expect(result.body).not.toContain('amhp-asha'); // who declined is not the referrer's business
  });

  it('shows who accepted and when to expect the call-back, stops checking, and shows nothing about the person', async () => {
    const byBen = acceptedReferral(ben);
    const accepted = { ...byBen, timeline: [...byBen.timeline, { at: '2026-11-25T01:55:00.000Z', type: 'referrer_notified' as const, channel: 'sms' }] };
    tableHolds(TABLES.referrals, [referralItem(accepted), detailsItem()]);
    tableHolds(TABLES.directory, leedsDirectory());
    const result = await call(webEvent('GET /referrals/{id}', { path: `/referrals/${REFERRAL_ID}`, pathParameters: { id: REFERRAL_ID } }));
    expect(result.body).toContain('Accepted. Ben Okafor will call you back.');
    expect(result.body).toContain('They will call you on 07700 900201.');
    expect(result.body).toMatch(/Expect the call by<\/dt><dd class="govuk-summary-list__value" id="call-back-by"><time datetime="2026-11-25T02:25:00.000Z">/);
    expect(result.body).not.toContain('data-refresh-seconds');
    for (const identifier of subjectIdentifiers) expect(result.body).not.toContain(identifier);
  });

  it('after the retention period, says the details were removed and when, shows no number, and records the removal once on the timeline', async () => {
    const closedAt = '2026-10-20T03:00:00.000Z';
    const expiredAt = '2026-11-19T03:00:00.000Z';
    const closed = receivedReferral({ status: 'closed', detailsExpireAt: expiredAt, closure: { outcome: 'not_required', closedBy: 'manager-dev', closedAt } });
    // DynamoDB's TTL has not deleted the details yet: past their expiry, they are gone all the same.
    tableHolds(TABLES.referrals, [referralItem(closed), detailsItem(REFERRAL_ID, { expiresAt: expiredAt })]);
    const result = await call(webEvent('GET /referrals/{id}', { path: `/referrals/${REFERRAL_ID}`, pathParameters: { id: REFERRAL_ID } }));
    expect(result.statusCode).toBe(200);
    expect(result.body).toMatch(/id="details-removed">The personal details in this referral, and your name and number, were removed <time datetime="2026-11-19T03:00:00.000Z">/);
    expect(result.body).not.toContain('07700 900201');
    const [recordedRemoval, ...more] = stateWrites();
    expect(more).toEqual([]);
    expect(recordedRemoval).toMatchObject({ ConditionExpression: 'version = :expected', Item: { sk: 'REFERRAL' } });
    expect(asReferral(recordedRemoval?.Item).timeline.at(-1)).toEqual({ at: NOW.toISOString(), type: 'details_removed', expiredAt });
  });
});

describe('sign-in (GET /auth/login, GET /auth/callback, POST /auth/logout)', () => {
  async function startSignIn(next = '/referrals/new') {
    const result = await call(webEvent('GET /auth/login', { token: null, query: { next } }));
    const location = new URL(String(result.headers?.location));
    const pending = cookieNamed(result, SIGN_IN) ?? '';
    return { result, state: location.searchParams.get('state') ?? '', challenge: location.searchParams.get('code_challenge') ?? '', pending: pending.split(';')[0] ?? '' };
  }

  it('sends the browser to the provider with state and a PKCE challenge, remembered in a short-lived HttpOnly, Secure, SameSite=Lax cookie', async () => {
    const { result, state, challenge, pending } = await startSignIn();
    expect(result.statusCode).toBe(303);
    expect(String(result.headers?.location)).toContain('https://auth.example.org/oauth2/authorize?');
    expect(new URL(String(result.headers?.location)).searchParams.get('redirect_uri')).toBe(`${PUBLIC_BASE_URL}/auth/callback`);
    expect(state).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookieNamed(result, SIGN_IN)).toMatch(/; Path=\/; Max-Age=600; HttpOnly; SameSite=Lax; Secure$/);
    expect(pending).toContain(state);
  });

  it('trades the code with the verifier behind the challenge, keeps the ID token in the session cookie and returns to where it started', async () => {
    const { state, challenge, pending } = await startSignIn();
    const result = await call(webEvent('GET /auth/callback', { token: null, cookies: [pending], query: { code: 'good-code', state } }));
    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe('/referrals/new');
    const [exchange] = exchanged;
    expect(createHash('sha256').update(exchange?.codeVerifier ?? '').digest('base64url')).toBe(challenge);
    expect(cookieNamed(result, SESSION)).toBe(`${SESSION}=gp-token; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax; Secure`);
    expect(cookieNamed(result, SIGN_IN)).toContain('Max-Age=0');
  });

  it('refuses a callback whose state is not this browser sign-in, and a code the provider refuses', async () => {
    const { pending } = await startSignIn();
    const forged = await call(webEvent('GET /auth/callback', { token: null, cookies: [pending], query: { code: 'good-code', state: 'someone-elses-state' } }));
    expect(forged.statusCode).toBe(400);
    expect(cookieNamed(forged, SESSION)).toBeUndefined();
    expect(exchanged).toEqual([]);
    const second = await startSignIn();
    const refused = await call(webEvent('GET /auth/callback', { token: null, cookies: [second.pending], query: { code: 'bad-code', state: second.state } }));
    expect(refused.statusCode).toBe(400);
    expect(cookieNamed(refused, SESSION)).toBeUndefined();
  });

  it('never returns to another site after sign-in', async () => {
    const { state, pending } = await startSignIn('//evil.example/phish');
    const result = await call(webEvent('GET /auth/callback', { token: null, cookies: [pending], query: { code: 'good-code', state } }));
    expect(result.headers?.location).toBe('/');
  });

  it('signs out by clearing the cookie and ending the provider session', async () => {
    const result = await call(webEvent('POST /auth/logout', { form: {} }));
    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe(`https://auth.example.org/logout?logout_uri=${encodeURIComponent(`${PUBLIC_BASE_URL}/`)}`);
    expect(cookieNamed(result, SESSION)).toContain('Max-Age=0');
  });
});

describe('assets (GET /assets/{file})', () => {
  it('serves the stylesheet brotli-compressed and cached for a year when asked for by its version, without the GOV.UK typeface', async () => {
    const { 'dutyline.css': css } = await webAssets();
    const result = await call(webEvent('GET /assets/{file}', { pathParameters: { file: 'dutyline.css' }, query: { v: css.version }, headers: { 'accept-encoding': 'gzip, deflate, br' } }));
    expect(result.statusCode).toBe(200);
    expect(result.isBase64Encoded).toBe(true);
    expect(result.headers).toMatchObject({ 'content-encoding': 'br', 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable' });
    const text = brotliDecompressSync(Buffer.from(result.body, 'base64')).toString('utf8');
    expect(text).toContain('.govuk-error-summary');
    expect(text).not.toContain('GDS Transport');
  });

  it('revalidates an unversioned asset, and knows no other files', async () => {
    const unversioned = await call(webEvent('GET /assets/{file}', { pathParameters: { file: 'govuk-frontend.min.js' } }));
    expect(unversioned.headers?.['cache-control']).toBe('public, no-cache');
    const unknown = await call(webEvent('GET /assets/{file}', { pathParameters: { file: '..%2Fhandler.ts' } }));
    expect(unknown.statusCode).toBe(404);
  });
});
