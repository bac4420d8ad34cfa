import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { demoReferrers, demoStaff } from '../../infra/local/seed.ts';
import { hiddenValue, WebClient } from './web-client.ts';

/**
 * The referrer's web pages on the local runtime, over HTTP and without JavaScript: sign-in
 * through the OAuth code flow, the form posted and redirected, and the referral routed and paged.
 */

let runtime: LocalRuntime;
const [asha] = demoStaff;
const [gp] = demoReferrers;

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, seed: true });
});

afterAll(async () => {
  await runtime?.stop();
});

function gpForm(formId: string, changes: Record<string, string> = {}): Record<string, string | string[]> {
  return {
    formId,
    referrerName: 'Dr Gill Price',
    referrerOrganisation: 'Leeds Central Surgery',
    referrerPhone: '07700 900201',
    referrerKind: 'gp',
    givenName: 'Zebedee',
    familyName: 'Quartermaine',
    'dob-day': '14',
    'dob-month': '3',
    'dob-year': '1987',
    nhsNumber: '943 476 5919',
    locationKind: 'home',
    postcode: 'LS1 4AP',
    legalStatus: 'none',
    urgency: 'within_4_hours',
    reason: 'Stopped eating, hearing voices since Tuesday',
    risks: ['Self-neglect'],
    ...changes,
  };
}

async function signedIn(username: string) {
  const client = new WebClient(runtime.url);
  const page = await client.signIn(username);
  expect(page.status).toBe(200);
  return { client, page };
}

async function submitAsGp(client: WebClient) {
  const form = await client.get('/referrals/new');
  const confirmation = await client.post('/referrals/new', gpForm(hiddenValue(form.html, 'formId')));
  const id = /\/referrals\/([0-9A-Z]{26})\/confirmation$/.exec(confirmation.url)?.[1] ?? '';
  const reference = /<strong>(EDT-[0-9A-Z]{4}-[0-9A-Z]{4})<\/strong>/.exec(confirmation.html)?.[1] ?? '';
  return { confirmation, id, reference };
}

describe('the referrer web pages, locally', () => {
  it('signs a GP in through the local sign-in page and the OAuth callback, with an HttpOnly SameSite=Lax session cookie', async () => {
    const client = new WebClient(runtime.url);
    const first = await client.get('/referrals/new');
    expect(first.hops.map((hop) => new URL(hop.location, runtime.url).pathname)).toEqual(['/auth/login', '/local/sign-in']);
    expect(first.html).toContain('Sign in as');

    const form = await client.post('/local/sign-in', {
      state: hiddenValue(first.html, 'state'),
      code_challenge: hiddenValue(first.html, 'code_challenge'),
      redirect_uri: hiddenValue(first.html, 'redirect_uri'),
      user: 'gp',
    });
    expect(form.hops.map((hop) => new URL(hop.location, runtime.url).pathname)).toEqual(['/auth/callback', '/referrals/new']);
    const session = form.hops[1]?.setCookies.find((cookie) => cookie.startsWith('dutyline_session='));
    expect(session).toMatch(/; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/); // not Secure on http://127.0.0.1
    expect(form.status).toBe(200);
    expect(form.html).toContain('value="Dr Gill Price"');
    expect(form.headers.get('cache-control')).toBe('no-store');
  });

  it('takes a form posted without JavaScript, redirects to the confirmation, and the AMHP on duty is paged', async () => {
    const { client } = await signedIn('gp');
    const { confirmation, id, reference } = await submitAsGp(client);
    expect(confirmation.hops[0]?.status).toBe(303);
    expect(confirmation.status).toBe(200);
    expect(reference).toMatch(/^EDT-/);
    // No personal data in any URL on the way.
    for (const url of [confirmation.url, ...confirmation.hops.map((hop) => hop.location)]) expect(url).not.toMatch(/Zebedee|9434765919|LS1/);

    const page = await runtime.outbox.waitFor((sms) => sms.phone === asha.phone && sms.body.includes(reference), 5_000);
    expect(page.body).not.toContain('Zebedee');
    const status = await client.get(`/referrals/${id}`);
    expect(status.html).toContain('The AMHP on duty has been asked to accept.');
    expect(status.html).not.toContain('Zebedee');
  });

  it('gives the form back with an error summary for a bad NHS number, and creates nothing', async () => {
    const { client } = await signedIn('gp');
    const form = await client.get('/referrals/new');
    const before = runtime.outbox.list().length;
    const page = await client.post('/referrals/new', gpForm(hiddenValue(form.html, 'formId'), { nhsNumber: '943 476 5918' }));
    expect(page.status).toBe(400);
    expect(page.html).toContain('<a href="#nhsNumber">NHS number is not a valid NHS number (the check digit does not match)</a>');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(runtime.outbox.list()).toHaveLength(before);
  });

  it('makes one referral of a form sent twice (a double click)', async () => {
    const { client } = await signedIn('gp');
    const form = await client.get('/referrals/new');
    const formId = hiddenValue(form.html, 'formId');
    const [one, two] = await Promise.all([client.post('/referrals/new', gpForm(formId)), client.post('/referrals/new', gpForm(formId))]);
    expect(one.url).toBe(two.url);
  });

  it('shows referrers only the referrals they made', async () => {
    const gpClient = (await signedIn('gp')).client;
    const { id, reference } = await submitAsGp(gpClient);
    const police = (await signedIn('police')).client;
    expect((await police.get(`/referrals/${id}`)).status).toBe(404);
    expect((await police.get(`/referrals/${id}/confirmation`)).status).toBe(404);
    expect((await police.get('/referrals')).html).not.toContain(reference);
    // The index is eventually consistent in DynamoDB; dynalite answers at once.
    expect((await gpClient.get('/referrals')).html).toContain(reference);
  });

  it('refuses a form posted from another site', async () => {
    const { client } = await signedIn('gp');
    const form = await client.get('/referrals/new');
    const page = await client.post('/referrals/new', gpForm(hiddenValue(form.html, 'formId')), { origin: 'https://evil.example' });
    expect(page.status).toBe(403);
  });

  it('signs out, and the pages ask for sign-in again', async () => {
    const { client } = await signedIn('gp');
    const out = await client.post('/auth/logout', {});
    expect(out.hops[0]?.location).toBe('/');
    expect(client.cookies.has('dutyline_session')).toBe(false);
    const again = await client.get('/referrals');
    expect(again.hops[0]?.location).toBe('/auth/login?next=%2Freferrals');
  });

  it('sends a text to the referrer when an AMHP accepts, naming who will call back', async () => {
    const { client } = await signedIn('gp');
    const { id, reference } = await submitAsGp(client);
    await runtime.outbox.waitFor((sms) => sms.phone === asha.phone && sms.body.includes(reference), 5_000);
    await fetch(`${runtime.url}/local/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: asha.phone, body: `ACCEPT ${reference.slice(4, 8)}` }),
    });
    const text = await runtime.outbox.waitFor((sms) => sms.phone === gp.phone && sms.body.includes(reference), 5_000);
    expect(text.body).toContain('Asha Patel');
    const status = await client.get(`/referrals/${id}`);
    expect(status.html).toContain('Accepted. Asha Patel will call you back.');
    expect(status.html).toContain('Expect the call by');
  });

  it('sends no text to a referrer who gave a landline, and the status page still says who accepted', async () => {
    const { client } = await signedIn('gp');
    const form = await client.get('/referrals/new');
    const confirmation = await client.post('/referrals/new', gpForm(hiddenValue(form.html, 'formId'), { referrerPhone: '0113 496 0000' }));
    expect(confirmation.html).not.toContain('text message saying who it is');
    const id = /\/referrals\/([0-9A-Z]{26})\/confirmation$/.exec(confirmation.url)?.[1] ?? '';
    const reference = /<strong>(EDT-[0-9A-Z]{4}-[0-9A-Z]{4})<\/strong>/.exec(confirmation.html)?.[1] ?? '';
    // Whoever is paged (an AMHP busy with an accepted referral is passed over) accepts.
    const paged = await runtime.outbox.waitFor((sms) => sms.direction === 'outbound' && sms.body.includes(reference), 5_000);
    const amhp = demoStaff.find((staff) => staff.phone === paged.phone);
    await fetch(`${runtime.url}/local/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: paged.phone, body: `ACCEPT ${reference.slice(4, 8)}` }),
    });
    await runtime.outbox.waitFor((sms) => sms.phone === paged.phone && sms.body.includes(`${reference}: accepted`), 5_000);
    const status = await client.get(`/referrals/${id}`);
    expect(status.html).toContain(`Accepted. ${amhp?.name} will call you back.`);
    expect(status.html).toContain('0113 496 0000');
    expect(runtime.outbox.list('+441134960000')).toEqual([]);
  });

  it('shows when the statutory clock expires on the confirmation and status pages', async () => {
    const { client } = await signedIn('gp');
    const start = new Date(Date.now() - 3_600_000);
    const wall = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London', day: 'numeric', month: 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }).formatToParts(start);
    const part = (type: string) => wall.find((p) => p.type === type)?.value ?? '';
    const form = await client.get('/referrals/new');
    const confirmation = await client.post(
      '/referrals/new',
      gpForm(hiddenValue(form.html, 'formId'), {
        legalStatus: 's5_2',
        'detention-day': part('day'),
        'detention-month': part('month'),
        'detention-year': part('year'),
        'detention-time': `${part('hour')}:${part('minute')}`,
      }),
    );
    expect(confirmation.status).toBe(200);
    const expires = new Date(Math.floor(start.getTime() / 60_000) * 60_000 + 72 * 3_600_000).toISOString();
    expect(confirmation.html).toMatch(/id="clock-expires"/);
    expect(confirmation.html).toContain(`datetime="${expires}"`);
    const id = /\/referrals\/([0-9A-Z]{26})\/confirmation$/.exec(confirmation.url)?.[1] ?? '';
    const status = await client.get(`/referrals/${id}`);
    expect(status.html).toContain('Statutory clock expires');
    expect(status.html).toContain(`datetime="${expires}"`);
  });

  it('says on the status page when the statutory clock has already run out, and that the team has been told', async () => {
    const { client } = await signedIn('gp');
    // An s5(2) report furnished four days ago: its 72 hours ran out yesterday.
    const start = new Date(Date.now() - 96 * 3_600_000);
    const wall = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London', day: 'numeric', month: 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }).formatToParts(start);
    const part = (type: string) => wall.find((p) => p.type === type)?.value ?? '';
    const form = await client.get('/referrals/new');
    const confirmation = await client.post(
      '/referrals/new',
      gpForm(hiddenValue(form.html, 'formId'), {
        legalStatus: 's5_2',
        'detention-day': part('day'),
        'detention-month': part('month'),
        'detention-year': part('year'),
        'detention-time': `${part('hour')}:${part('minute')}`,
      }),
    );
    expect(confirmation.status).toBe(200);
    expect(confirmation.html).toContain('The statutory clock ran out at');
    expect(confirmation.html).toContain('The emergency duty team has been told.');
    const id = /\/referrals\/([0-9A-Z]{26})\/confirmation$/.exec(confirmation.url)?.[1] ?? '';
    const status = await client.get(`/referrals/${id}`);
    expect(status.html).toContain('Statutory clock ran out');
    expect(status.html).not.toContain('Statutory clock expires');
  });

  it('serves the styles and scripts itself, and the API description', async () => {
    const css = await fetch(`${runtime.url}/assets/dutyline.css`, { headers: { 'accept-encoding': 'gzip' } });
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toContain('.govuk-button');
    const openapi = await fetch(`${runtime.url}/api/openapi.json`);
    expect(openapi.status).toBe(200);
    expect(((await openapi.json()) as { openapi: string }).openapi).toBe('3.1.0');
  });
});
