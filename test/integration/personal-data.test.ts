import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '../../functions/commons/powertools.ts';
import { routes } from '../../infra/definition.ts';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { DEMO_TEAM_ID, demoStaff } from '../../infra/local/seed.ts';
import type { RecordingMetrics } from '../../shared/adapters/recording-metrics.ts';
import type { Log } from '../../shared/ports.ts';
import { loadEvent } from '../support/events.ts';
import { WebClient } from './web-client.ts';
import { localToken } from '../support/local-api.ts';

/**
 * Personal data goes where it is needed and nowhere else. One referral about a recognisable
 * person runs the whole flow on the local runtime (API submit, routing, paging, escalation, a
 * decline whose reason names people, accept by SMS, the details views, close) and another comes
 * through the web form; then every endpoint is sent those details in a request it must refuse.
 * None of them may appear in a log line (the runtime's log, the Powertools logger, anything
 * written to stdout or stderr), a metric, an outbound SMS, or an error body.
 */

const person = {
  givenName: 'Persephone',
  familyName: 'Vantablack-Oyelaran',
  dateOfBirth: '1984-02-29',
  nhsNumber: '690 112 8436',
  homeAddress: '221C Marigold Terrace, Leeds LS6 2QQ',
  currentPostcode: 'LS2 7UE',
  locationDescription: 'behind the bandstand in Roundhay Park',
  reason: 'Persephone believes the marigolds are transmitting her thoughts to the council',
  risks: ['refuses all fluids since Sunday', 'threw crockery at the carers'],
  nearestRelative: { name: 'Ignatius Vantablack', relationship: 'father', phone: '07700 900555' },
  interpreterLanguage: 'Yoruba',
};

/** Each piece, in every form it may take once normalised (NHS number unspaced, phone E.164, dates as the UK writes them). */
const identifiers = [
  person.givenName,
  person.familyName,
  'Vantablack',
  person.dateOfBirth,
  '29/02/1984',
  '29 February 1984',
  '6901128436',
  person.nhsNumber,
  '690-112-8436',
  'Marigold Terrace',
  'LS6 2QQ',
  person.currentPostcode,
  'bandstand',
  'marigolds are transmitting',
  'crockery',
  'refuses all fluids',
  person.nearestRelative.name,
  'Ignatius',
  '+447700900555',
  '07700 900555',
];

const [asha, ben, , manager] = demoStaff;

function referralBody() {
  return {
    referrer: { name: 'Dr Gill Price', kind: 'gp', organisation: 'Leeds Central Surgery', phone: '07700 900201' },
    subject: {
      givenName: person.givenName,
      familyName: person.familyName,
      dateOfBirth: person.dateOfBirth,
      nhsNumber: person.nhsNumber,
      homeAddress: person.homeAddress,
      currentLocation: { kind: 'public_place', description: person.locationDescription, postcode: person.currentPostcode },
      interpreterLanguage: person.interpreterLanguage,
    },
    legal: { status: 's136', detentionStart: new Date(Date.now() - 3_600_000).toISOString() },
    reason: person.reason,
    risks: person.risks,
    urgency: 'immediate',
    nearestRelative: person.nearestRelative,
  };
}

// --- everything that could leak, captured ---------------------------------------------------

const logged: string[] = [];
const written: string[] = [];
const recordingLog: Log = {
  info: (message, extra) => logged.push(JSON.stringify({ level: 'INFO', message, ...extra })),
  warn: (message, extra) => logged.push(JSON.stringify({ level: 'WARN', message, ...extra })),
  error: (message, extra) => logged.push(JSON.stringify({ level: 'ERROR', message, ...extra })),
};
/** Every line goes through the Powertools logger too, as in Lambda, so its own output is searched. */
const teeLog: Log = {
  info: (message, extra) => (recordingLog.info(message, extra), logger.info(message, extra ?? {})),
  warn: (message, extra) => (recordingLog.warn(message, extra), logger.warn(message, extra ?? {})),
  error: (message, extra) => (recordingLog.error(message, extra), logger.error(message, extra ?? {})),
};

function captureOutput() {
  for (const stream of [process.stdout, process.stderr]) {
    // Kept off the terminal: these lines are what is being inspected.
    vi.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      (rest.find((arg) => typeof arg === 'function') as (() => void) | undefined)?.();
      return true;
    }) as typeof stream.write);
  }
  for (const level of ['info', 'warn', 'error', 'debug'] as const) {
    const original = logger[level].bind(logger);
    vi.spyOn(logger, level).mockImplementation((message: unknown, ...extra: unknown[]) => {
      logged.push(`powertools ${level} ${JSON.stringify([message, ...extra])}`);
      (original as (...args: unknown[]) => void)(message, ...extra);
    });
  }
}

const found = (text: string) => identifiers.filter((identifier) => text.toLowerCase().includes(identifier.toLowerCase()));

// --- the flow --------------------------------------------------------------------------------

let runtime: LocalRuntime;
const tokens = new Map<string, string>();

async function login(username: string) {
  tokens.set(username, await localToken(runtime.url, username));
}

async function api(method: string, path: string, username: string | undefined, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${runtime.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(username ? { authorization: `Bearer ${tokens.get(username)}` } : {}), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

async function waitForStatus(id: string, status: string, timeoutMs = 8_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = JSON.parse((await api('GET', `/api/referrals/${id}`, 'gp')).text) as { status: string; assignedTo: string | null };
    if (view.status === status) return view;
    if (Date.now() > deadline) throw new Error(`referral stayed ${view.status}, wanted ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const flow: { id: string; reference: string; webReference: string } = { id: '', reference: '', webReference: '' };
/** Responses that are meant to show the person: they prove the details went all the way through. */
const detailViews: string[] = [];

beforeAll(async () => {
  captureOutput();
  runtime = await startLocalRuntime({ port: 0, seed: true, log: teeLog });
  for (const username of ['admin', 'gp', 'police', asha.id, ben.id, manager.id]) await login(username);
  // Two seconds to answer, so that escalation happens while the test watches.
  const team = await api('PUT', `/api/teams/${DEMO_TEAM_ID}`, 'admin', {
    name: 'Leeds Emergency Duty Team',
    areas: ['LS1', 'LS2', 'LS6'],
    escalation: { ackTimeoutSeconds: 2, repeat: 0 },
    continuity: 'ignore',
    fallbackPhone: '+447700900199',
  });
  expect(team.status).toBe(200);

  // Submit by the API; routed and paged to the primary.
  const submitted = await api('POST', '/api/referrals', 'gp', referralBody(), { 'idempotency-key': 'personal-data-1' });
  expect(submitted.status).toBe(202);
  Object.assign(flow, JSON.parse(submitted.text) as { id: string; reference: string });
  await runtime.outbox.waitFor((sms) => sms.phone === asha.phone && sms.body.includes(flow.reference), 5_000);
  // No answer in time: escalated to the secondary.
  await runtime.outbox.waitFor((sms) => sms.phone === ben.phone && sms.body.includes(flow.reference), 8_000);
  // The secondary declines, with a reason that names the person and their father.
  const declined = await api('POST', `/api/referrals/${flow.id}/decline`, ben.id, {
    reason: `I know ${person.givenName} ${person.familyName} and ${person.nearestRelative.name} from church`,
    conflictOfInterest: true,
  });
  expect(declined.status).toBe(200);
  // The primary accepts by SMS; the referrer is told.
  const reply = await fetch(`${runtime.url}/local/sms/inbound`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: asha.phone, body: '1' }) });
  expect(reply.status).toBe(202);
  await waitForStatus(flow.id, 'accepted');
  await runtime.outbox.waitFor((sms) => sms.phone === '+447700900201' && sms.body.includes(flow.reference), 5_000);

  // The details, where they are meant to be seen: the API, the AMHP's page, the manager's pages.
  const details = await api('GET', `/api/referrals/${flow.id}?include=details`, asha.id);
  expect(details.status).toBe(200);
  detailViews.push(details.text);
  const amhpBrowser = new WebClient(runtime.url);
  await amhpBrowser.signIn(asha.id, `/amhp/referrals/${flow.id}`);
  const amhpPage = await amhpBrowser.get(`/amhp/referrals/${flow.id}`);
  if (routes.some((route) => route.path === '/amhp/referrals/{id}')) expect(amhpPage.status).toBe(200);
  detailViews.push(amhpPage.html);
  const managerBrowser = new WebClient(runtime.url);
  await managerBrowser.signIn(manager.id, '/manage/board');
  expect((await managerBrowser.get('/manage/board')).status).toBe(200);
  expect((await managerBrowser.get(`/manage/referrals/${flow.id}`)).status).toBe(200);
  expect((await managerBrowser.get(`/manage/referrals/${flow.id}?format=csv`)).status).toBe(200);

  // The outcome is recorded: closed.
  const closed = await api('POST', `/api/referrals/${flow.id}/close`, asha.id, { outcome: 'assessed', result: 'detained_s2' });
  expect(closed.status).toBe(200);

  // A second referral about the same person, through the web form.
  const police = new WebClient(runtime.url);
  await police.signIn('police');
  const sample = loadEvent<{ body: string }>('http-web-referral-form');
  const form = Object.fromEntries(new URLSearchParams(Buffer.from(sample.body, 'base64').toString('utf8')));
  const now = new Date(Date.now() - 3_600_000);
  const sent = await police.post('/referrals/new', {
    ...form,
    formId: 'personal-data-web-form-0001',
    givenName: person.givenName,
    familyName: person.familyName,
    'dob-day': '29',
    'dob-month': '2',
    'dob-year': '1984',
    nhsNumber: person.nhsNumber,
    nhsNumberUnknownReason: '',
    homeAddress: person.homeAddress,
    postcode: person.currentPostcode,
    locationDescription: person.locationDescription,
    'detention-day': String(now.getUTCDate()),
    'detention-month': String(now.getUTCMonth() + 1),
    'detention-year': String(now.getUTCFullYear()),
    'detention-time': `${String(now.getUTCHours()).padStart(2, '0')}:00`,
    reason: person.reason,
    risksOther: person.risks[1] ?? '',
    nrName: person.nearestRelative.name,
    nrRelationship: person.nearestRelative.relationship,
    nrPhone: person.nearestRelative.phone,
  });
  expect(sent.url).toMatch(/\/referrals\/[0-9A-Z]+\/confirmation$/);
  flow.webReference = /EDT-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(sent.html)?.[0] ?? '';
  expect(flow.webReference).not.toBe('');
  await runtime.outbox.waitFor((sms) => sms.direction === 'outbound' && sms.body.includes(flow.webReference), 5_000);
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  vi.restoreAllMocks();
});

describe('personal data through the whole flow', () => {
  it('went all the way through: the details views show the person to those who need them', () => {
    for (const view of detailViews) expect(view).toContain(person.familyName);
    expect(runtime.outbox.list().length).toBeGreaterThan(3);
  });

  it('appears in no log line: not the runtime log, not the Powertools logger, not stdout or stderr', () => {
    expect(logged.length).toBeGreaterThan(5);
    // The Powertools logger's own JSON lines were captured too, so the search below covers them.
    expect(written.join('')).toContain('"message":"referral accepted for routing"');
    expect(found(logged.join('\n'))).toEqual([]);
    expect(found(written.join(''))).toEqual([]);
  });

  it('appears in no metric', () => {
    const metrics = runtime.deps.metrics as RecordingMetrics;
    expect(metrics.total('ReferralsReceived')).toBeGreaterThanOrEqual(2);
    expect(found(JSON.stringify(metrics.recorded))).toEqual([]);
  });

  it('appears in no SMS: pages, escalations, the referrer told, replies', () => {
    const outbound = runtime.outbox.list().filter((sms) => sms.direction === 'outbound');
    expect(outbound.some((sms) => sms.body.includes(flow.reference))).toBe(true);
    for (const sms of outbound) expect(found(sms.body), sms.body).toEqual([]);
  });
});

describe('personal data in requests that are refused', () => {
  /** A body full of the person's details that no endpoint accepts as it stands. */
  const refusedBody = {
    ...referralBody(),
    subject: { ...referralBody().subject, nhsNumber: '690 112 8435' },
    reason: `${person.reason} ${'x'.repeat(4_000)}`,
    outcome: person.familyName,
    name: person.givenName,
    phone: person.nearestRelative.phone,
    shifts: [{ staffId: person.familyName, start: person.dateOfBirth, end: person.homeAddress, position: person.givenName }],
    defaultTeamId: person.familyName,
    hours: person.dateOfBirth,
    doctorName: person.nearestRelative.name,
    conflictOfInterest: person.givenName,
  };
  const query = new URLSearchParams({ include: 'details', at: person.dateOfBirth, from: person.givenName, teamId: person.familyName, format: person.nhsNumber, next: person.homeAddress }).toString();
  const callers = ['gp', asha.id, manager.id, 'admin', undefined];

  for (const route of routes) {
    it(`${route.method} ${route.path} does not echo them in what it answers, whoever asks`, async () => {
      const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(name === 'teamId' ? DEMO_TEAM_ID : `${person.familyName} ${person.nhsNumber}`));
      for (const caller of callers) {
        const body = route.method === 'GET' ? undefined : route.path === '/referrals/new' ? undefined : refusedBody;
        const response = await api(route.method, `${path}?${query}`, caller, body);
        expect(response.status, `${caller ?? 'anonymous'}: ${response.text.slice(0, 200)}`).toBeLessThan(500);
        const answer = `${response.text} ${response.headers.get('location') ?? ''} ${response.headers.getSetCookie().join(' ')}`;
        expect(found(answer), `${caller ?? 'anonymous'} got ${response.status}`).toEqual([]);
      }
    });
  }

  it('the web form gives a refused form back only to the browser that sent it, and stores it nowhere', async () => {
    const police = new WebClient(runtime.url);
    await police.signIn('police');
    const refused = await police.post('/referrals/new', { formId: 'personal-data-refused-0001', givenName: person.givenName, familyName: person.familyName, nhsNumber: '690 112 8435' });
    expect(refused.status).toBe(400);
    // What was typed is shown again so that nothing is lost: never cached, never logged.
    expect(refused.headers.get('cache-control')).toContain('no-store');
    expect(found(logged.join('\n'))).toEqual([]);
    expect(found(written.join(''))).toEqual([]);
  });
});
