import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { DEMO_TEAM_ID, demoReferrers, demoStaff } from '../../infra/local/seed.ts';
import type { LocalSms } from '../../infra/local/sms-outbox.ts';
import { WebClient } from './web-client.ts';
import { localToken } from '../support/local-api.ts';
import { waitFor } from '../support/wait.ts';

/**
 * Paging an AMHP can rely on, on the local runtime (dynalite and fauxqs through the real SDK
 * clients): accept by reply or by link, then the details behind sign-in with each view on the
 * timeline; a team policy with a named person and a second page before moving on; a declared
 * conflict of interest. Nothing personal in any SMS, log line or error body.
 */

const person = {
  givenName: 'Perpetua',
  familyName: 'Wolstenholme',
  dateOfBirth: '1979-08-02',
  nhsNumber: '943 476 5919',
  homeAddress: '4 Larkspur Mews, Leeds LS6 2PQ',
  reason: 'Perpetua has barricaded herself in and says the neighbours are poisoning the water',
  relative: 'Ignatius Wolstenholme',
};
const identifiers = [
  person.givenName,
  person.familyName,
  person.dateOfBirth,
  '9434765919',
  '943 476 5919',
  'Larkspur',
  'poisoning',
  'Ignatius',
  'Zanzibar', // in a decline reason
];

const [asha, ben, chloe, manager] = demoStaff;
const [gp] = demoReferrers;
const detentionStart = new Date(Date.now() - 2 * 3_600_000);
const s136Expiry = new Date(detentionStart.getTime() + 24 * 3_600_000).toISOString();

let runtime: LocalRuntime;
const logLines: string[] = [];
const record = (message: string, extra?: Record<string, unknown>) => logLines.push(JSON.stringify({ message, ...extra }));
const errorBodies: string[] = [];

const login = (username: string): Promise<string> => localToken(runtime.url, username);

async function api(method: string, path: string, token: string, body?: unknown) {
  const response = await fetch(`${runtime.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status >= 400) errorBodies.push(text);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
  return { status: response.status, body: JSON.parse(text) as Record<string, any> };
}

async function putTeam(escalation: Record<string, unknown>) {
  const result = await api('PUT', `/api/teams/${DEMO_TEAM_ID}`, await login('admin'), {
    name: 'Leeds Emergency Duty Team',
    areas: ['LS1', 'LS2', 'LS6'],
    escalation,
    continuity: 'ignore',
    fallbackPhone: '+447700900199',
  });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
}

async function refer(): Promise<{ id: string; reference: string; code: string }> {
  const submitted = await api('POST', '/api/referrals', await login('gp'), {
    referrer: { name: 'Dr Gill Price', kind: 'gp', organisation: 'Leeds Central Surgery', phone: gp.phone },
    subject: {
      givenName: person.givenName,
      familyName: person.familyName,
      dateOfBirth: person.dateOfBirth,
      nhsNumber: person.nhsNumber,
      homeAddress: person.homeAddress,
      currentLocation: { kind: 'home', postcode: 'LS6 2PQ' },
    },
    legal: { status: 's136', detentionStart: detentionStart.toISOString() },
    reason: person.reason,
    risks: ['self-neglect', 'harm to others'],
    urgency: 'immediate',
    nearestRelative: { name: person.relative, relationship: 'brother' },
  });
  expect(submitted.status).toBe(202);
  const { id, reference } = submitted.body as { id: string; reference: string };
  return { id, reference, code: reference.slice(4, 8) };
}

const reply = (from: string, body: string) =>
  fetch(`${runtime.url}/local/sms/inbound`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from, body }) });

const pagesFor = (reference: string, phone: string): LocalSms[] =>
  runtime.outbox.list(phone).filter((sms) => sms.direction === 'outbound' && sms.body.includes(reference) && sms.body.includes('/a/'));

/** As the team's manager sees it: the referrer's view holds none of the team's records (issue 15). */
async function referral(id: string) {
  return (await api('GET', `/api/referrals/${id}`, await login(manager.id))).body;
}


const viewsOf = (timeline: { type: string; at: string; by?: string }[]) => timeline.filter((entry) => entry.type === 'viewed');

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, seed: true, log: { info: record, warn: record, error: record } });
});

afterAll(async () => {
  await runtime?.stop();
});

/**
 * An AMHP who accepts holds the referral until it is closed, and routing passes over busy AMHPs:
 * each test starts with everyone free again, as if the earlier referrals were closed.
 */
const accepted: { staffId: string; referralId: string }[] = [];
afterEach(async () => {
  for (const { staffId, referralId } of accepted.splice(0)) await runtime.deps.directory.clearBusy(staffId, referralId);
});

describe('accepting, then reading the details behind sign-in', () => {
  beforeAll(() => putTeam({ ackTimeoutSeconds: 60, repeat: 0 }));

  it('accept by reply: the AMHP signs in, sees everything the referrer gave with the clock first, and the view is logged', async () => {
    const { id, reference, code } = await refer();
    await runtime.outbox.waitFor((sms) => sms.phone === asha.phone && sms.body.includes(reference), 5_000);
    expect((await reply(asha.phone, `ACCEPT ${code}`)).status).toBe(202);
    await waitFor('the accept', async () => ((await referral(id)).status === 'accepted' ? true : undefined));
    accepted.push({ staffId: asha.id, referralId: id });

    const amhp = new WebClient(runtime.url);
    // Not signed in: sent to sign in, and brought back to the referral afterwards.
    const bounced = await amhp.get(`/amhp/referrals/${id}`);
    expect(new URL(bounced.hops[0]?.location ?? '', runtime.url).pathname).toBe('/auth/login');
    expect(bounced.html).not.toContain(person.familyName);
    const page = await amhp.signIn(asha.id, `/amhp/referrals/${id}`);
    expect(page.status).toBe(200);
    expect(new URL(page.url).pathname).toBe(`/amhp/referrals/${id}`);
    for (const shown of [reference, `${person.givenName} ${person.familyName}`, '2 August 1979', `datetime="${person.dateOfBirth}"`, '943 476 5919', 'Larkspur Mews', 'neighbours are poisoning', person.relative, 'Dr Gill Price', '07700 900201', 'Accepted']) {
      expect(page.html).toContain(shown);
    }
    // The statutory clock comes before any detail of the person.
    const clockAt = page.html.indexOf('id="clock-expiry"');
    expect(clockAt).toBeGreaterThan(0);
    expect(clockAt).toBeLessThan(page.html.indexOf(person.familyName));
    expect(page.html).toContain(`datetime="${s136Expiry}"`);
    expect(page.headers.get('cache-control')).toBe('no-store');

    const views = viewsOf((await referral(id)).timeline);
    expect(views).toEqual([expect.objectContaining({ by: asha.id, staffId: asha.id, what: 'details', via: 'web', at: expect.any(String) })]);
  });

  it('accept by link: the accepted page offers "View referral details", which asks for sign-in and logs the view', async () => {
    const { id, reference } = await refer();
    const sms = await runtime.outbox.waitFor((m) => m.phone === asha.phone && m.body.includes(reference), 5_000);
    const link = /(http:\/\/\S+\/a\/\S+)/.exec(sms.body)?.[1] ?? '';
    const amhp = new WebClient(runtime.url);

    const confirm = await amhp.get(new URL(link).pathname);
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain(reference);
    expect(confirm.html).toContain(`datetime="${s136Expiry}"`);
    for (const identifier of identifiers) expect(confirm.html).not.toContain(identifier);

    const done = await amhp.post(new URL(link).pathname, {});
    accepted.push({ staffId: asha.id, referralId: id });
    expect(done.status).toBe(200);
    expect(done.html).toContain('Referral accepted');
    expect(done.html).toContain(`datetime="${s136Expiry}"`);
    for (const identifier of identifiers) expect(done.html).not.toContain(identifier);
    const details = /href="(\/amhp\/referrals\/[0-9A-Z]+)"[^>]*id="view-details"/.exec(done.html)?.[1];
    expect(details).toBe(`/amhp/referrals/${id}`);
    expect(viewsOf((await referral(id)).timeline)).toEqual([]);

    const first = await amhp.get(details ?? '');
    expect(new URL(first.url).pathname).toBe('/local/sign-in');
    const page = await amhp.signIn(asha.id, details);
    expect(page.status).toBe(200);
    expect(page.html).toContain(person.familyName);
    // Again, later: each showing is its own entry.
    expect((await amhp.get(details ?? '')).status).toBe(200);
    const views = viewsOf((await referral(id)).timeline);
    expect(views).toHaveLength(2);
    expect(views[0]).toMatchObject({ by: asha.id, what: 'details', via: 'web' });
    expect(Date.parse(views[0]?.at ?? '')).toBeLessThanOrEqual(Date.parse(views[1]?.at ?? ''));
  });

  it('shows the details only to the team’s managers and the paged or accepting AMHP, and logs no refused view', async () => {
    const { id, reference } = await refer();
    await runtime.outbox.waitFor((sms) => sms.phone === asha.phone && sms.body.includes(reference), 5_000);
    const path = `/amhp/referrals/${id}`;

    // Asha holds the open page: she may read before deciding.
    const paged = new WebClient(runtime.url);
    expect((await paged.signIn(asha.id, path)).status).toBe(200);
    // Chloe is in the team but was not paged for it; the GP made it but is no AMHP.
    for (const outsider of [chloe.id, 'gp']) {
      const client = new WebClient(runtime.url);
      const refused = await client.signIn(outsider, path);
      expect(refused.status, outsider).toBe(403);
      errorBodies.push(refused.html);
      for (const identifier of identifiers) expect(refused.html).not.toContain(identifier);
    }
    const boss = new WebClient(runtime.url);
    expect((await boss.signIn(manager.id, path)).status).toBe(200);

    // Asha declines with a conflict of interest: she no longer sees it.
    const declined = await api('POST', `/api/referrals/${id}/decline`, await login(asha.id), { reason: 'I know her from Zanzibar', conflictOfInterest: true });
    expect(declined.status).toBe(200);
    expect((await paged.get(path)).status).toBe(403);

    const views = viewsOf((await referral(id)).timeline);
    expect(views.map((view) => view.by)).toEqual([asha.id, manager.id]);
  });
});

describe('a team policy with a named person and a second page before moving on', () => {
  beforeAll(() =>
    putTeam({
      ackTimeoutSeconds: 30,
      repeat: 0,
      repageOnce: true,
      // Chloe is not on the rota tonight: the policy names her first, whatever the rota says.
      steps: [{ staffId: chloe.id, delaySeconds: 1 }, { position: 'primary', delaySeconds: 2 }, { position: 'manager' }],
    }),
  );

  it('pages the named person, pages her once more, moves on to the primary, and stops when the primary accepts', async () => {
    const { id, reference, code } = await refer();
    await waitFor('the primary to be paged', async () => (pagesFor(reference, asha.phone).length > 0 ? true : undefined), 10_000);
    const chloePages = pagesFor(reference, chloe.phone);
    expect(chloePages).toHaveLength(2);
    expect(chloePages[0]?.body).not.toContain('(reminder)');
    expect(chloePages[1]?.body).toContain(`${reference} (reminder)`);

    expect((await reply(asha.phone, `1 ${code}`)).status).toBe(202);
    const done = await waitFor('the accept', async () => {
      const body = await referral(id);
      return body.status === 'accepted' ? body : undefined;
    });
    expect(done.assignedTo).toBe(asha.id);
    accepted.push({ staffId: asha.id, referralId: id });
    const paged = done.timeline.filter((entry: { type: string }) => entry.type === 'paged');
    expect(paged.map((entry: { staffId: string; position: string; repage?: boolean }) => [entry.staffId, entry.position, entry.repage ?? false])).toEqual([
      [chloe.id, 'named', false],
      [chloe.id, 'named', true],
      [asha.id, 'primary', false],
    ]);
    expect(done.timeline.find((entry: { type: string }) => entry.type === 'routed')).toMatchObject({ reasons: ['named', 'position', 'position'] });

    // Escalation has stopped: past the primary's delay nobody else is paged.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(pagesFor(reference, asha.phone)).toHaveLength(1);
    expect(pagesFor(reference, manager.phone)).toHaveLength(0);
  });
});

describe('a declared conflict of interest, by SMS', () => {
  beforeAll(() => putTeam({ ackTimeoutSeconds: 1, repeat: 1, steps: [{ position: 'primary' }, { position: 'secondary' }] }));

  it('"2 CONFLICT" declines at once; the AMHP is skipped for the conflict in the next round and never paged again', async () => {
    const { id, reference } = await refer();
    await runtime.outbox.waitFor((sms) => sms.phone === asha.phone && sms.body.includes(reference), 5_000);
    expect((await reply(asha.phone, '2 CONFLICT')).status).toBe(202);
    const confirmation = await runtime.outbox.waitFor((sms) => sms.phone === asha.phone && sms.body.includes('conflict of interest is recorded'), 5_000);
    expect(confirmation.body).toContain(reference);

    const exhausted = await waitFor('the chain to run out', async () => {
      const body = await referral(id);
      return body.status === 'exhausted' ? body : undefined;
    });
    const types = exhausted.timeline.map((entry: { type: string }) => entry.type);
    expect(types).toEqual(expect.arrayContaining(['conflict_declared', 'declined', 'chain_exhausted']));
    expect(exhausted.timeline).toContainEqual(expect.objectContaining({ type: 'skipped', staffId: asha.id, round: 1, reason: 'conflict' }));
    expect(pagesFor(reference, asha.phone)).toHaveLength(1);
    expect(pagesFor(reference, ben.phone)).toHaveLength(2);
    // A late accept by the AMHP with the conflict is refused.
    expect((await api('POST', `/api/referrals/${id}/accept`, await login(asha.id))).status).toBe(409);
  });
});

describe('personal data', () => {
  it('appears in no SMS, no log line and no error body', () => {
    const texts = runtime.outbox.list().map((sms) => sms.body);
    expect(texts.length).toBeGreaterThan(10);
    for (const text of [...texts, ...logLines, ...errorBodies]) {
      for (const identifier of identifiers) expect(text).not.toContain(identifier);
    }
  });
});
