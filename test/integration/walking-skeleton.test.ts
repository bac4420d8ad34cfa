import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { DEMO_TEAM_ID, demoReferrers, demoStaff } from '../../infra/local/seed.ts';
import { localToken } from '../support/local-api.ts';
import { drained } from '../support/wait.ts';

/**
 * The whole flow on the local runtime, over HTTP, against dynalite and fauxqs through the real
 * SDK clients: submit → page → no answer → escalate → accept by SMS reply → referrer told.
 */

const person = {
  givenName: 'Zebedee',
  familyName: 'Quartermaine',
  dateOfBirth: '1987-03-14',
  nhsNumber: '943 476 5919',
  homeAddress: '17 Juniper Crescent, Leeds LS6 9QQ',
  reason: 'Zebedee has stopped eating and is hearing commanding voices since Tuesday',
};
const identifiers = [person.givenName, person.familyName, person.dateOfBirth, '9434765919', '943 476 5919', 'Juniper', 'commanding voices'];

const [asha, ben, , manager] = demoStaff;
const [gp] = demoReferrers;

function referralBody(overrides: { nhsNumber?: string } = {}) {
  return {
    referrer: { name: 'Dr Gill Price', kind: 'gp', organisation: 'Leeds Central Surgery', phone: gp.phone },
    subject: {
      givenName: person.givenName,
      familyName: person.familyName,
      dateOfBirth: person.dateOfBirth,
      nhsNumber: overrides.nhsNumber ?? person.nhsNumber,
      homeAddress: person.homeAddress,
      currentLocation: { kind: 'home', postcode: 'ls1 4ap' },
    },
    legal: { status: 's136', detentionStart: new Date(Date.now() - 3_600_000).toISOString() },
    reason: person.reason,
    risks: ['self-neglect'],
    urgency: 'immediate',
  };
}

let runtime: LocalRuntime;
const logLines: string[] = [];
const recordingLog = {
  info: (message: string, extra?: Record<string, unknown>) => logLines.push(JSON.stringify({ message, ...extra })),
  warn: (message: string, extra?: Record<string, unknown>) => logLines.push(JSON.stringify({ message, ...extra })),
  error: (message: string, extra?: Record<string, unknown>) => logLines.push(JSON.stringify({ message, ...extra })),
};

const login = (username: string): Promise<string> => localToken(runtime.url, username);

async function api(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${runtime.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function waitForStatus(id: string, token: string, status: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await api('GET', `/api/referrals/${id}`, token);
    if (body.status === status) return body;
    if (Date.now() > deadline) throw new Error(`referral stayed ${body.status}, wanted ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function countReferrals(): Promise<number> {
  const db = new DynamoDBClient({
    region: 'eu-west-2',
    endpoint: runtime.emulators.dynamodbEndpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const { Items = [] } = await db.send(new ScanCommand({ TableName: runtime.resources.tableNames.referrals }));
  db.destroy();
  return Items.filter((item) => item.sk?.S === 'REFERRAL').length;
}

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, seed: true, log: recordingLog });
  const admin = await login('admin');
  const team = await api('PUT', `/api/teams/${DEMO_TEAM_ID}`, admin, {
    name: 'Leeds Emergency Duty Team (test policy)',
    areas: ['LS1', 'LS2', 'LS6'],
    escalation: { ackTimeoutSeconds: 2, repeat: 0 },
    continuity: 'ignore',
    fallbackPhone: '+447700900199',
  });
  expect(team.status).toBe(200);
});

afterAll(async () => {
  await runtime?.stop();
});

describe('the walking skeleton, locally', () => {
  it('answers health once ready', async () => {
    const response = await fetch(`${runtime.url}/health`);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('pages the primary, escalates to the secondary on no answer, and stops when the secondary accepts by SMS', async () => {
    const token = await login('gp');
    const key = 'walking-skeleton-1';
    const body = referralBody();
    const submittedAt = performance.now();
    const submitted = await api('POST', '/api/referrals', token, body, { 'idempotency-key': key });
    expect(submitted.status).toBe(202);
    const { id, reference } = submitted.body;
    expect(reference).toMatch(/^EDT-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(submitted.body.statusUrl).toBe(`/api/referrals/${id}`);

    const firstPage = await runtime.outbox.waitFor((sms) => sms.phone === asha.phone && sms.body.includes(reference), 15_000);
    console.log(`submit → first SMS: ${(performance.now() - submittedAt).toFixed(0)} ms`);
    expect(firstPage.body).toContain('LS1');
    expect(firstPage.body).toContain('s136');
    for (const identifier of identifiers) expect(firstPage.body).not.toContain(identifier);

    // Nobody answers within the 2-second test policy: the secondary is paged.
    const secondPage = await runtime.outbox.waitFor((sms) => sms.phone === ben.phone && sms.body.includes(reference), 15_000);
    // Ben's acknowledgement timer (2 s) is due by then, with the poller's slack.
    const lastTimerDue = Date.now() + 2_500;
    for (const identifier of identifiers) expect(secondPage.body).not.toContain(identifier);

    const reply = await fetch(`${runtime.url}/local/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: '07700 900102', body: '1' }),
    });
    expect(reply.status).toBe(202);
    const accepted = await waitForStatus(id, token, 'accepted');
    // The referrer is told who by name and phone, as the status page does; the team sees the staff id.
    expect(accepted.assignedTo).toEqual({ name: ben.name, phone: ben.phone });
    expect((await api('GET', `/api/referrals/${id}`, await login(manager.id))).body.assignedTo).toBe(ben.id);
    expect(accepted.timeline.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['received', 'routed', 'paged', 'ack_timeout', 'accepted', 'referrer_notified']),
    );
    expect(accepted.clocks).toEqual([expect.objectContaining({ kind: 's136' })]);

    const toReferrer = await runtime.outbox.waitFor((sms) => sms.phone === gp.phone && sms.body.includes(reference), 15_000);
    expect(toReferrer.body).toContain('Ben Okafor');
    for (const identifier of identifiers) expect(toReferrer.body).not.toContain(identifier);

    // Escalation has stopped: once Ben's timer is due and every queue and outbox is empty, nobody else was paged.
    await drained(runtime, { timersDueBy: lastTimerDue });
    const pagesAfter = runtime.outbox.list().filter((sms) => sms.direction === 'outbound' && sms.body.includes(reference));
    expect(pagesAfter.filter((sms) => sms.phone === manager.phone)).toHaveLength(0);
    // Asha, paged first and silent, is stood down: her page, then one short text with no personal data.
    const toAsha = pagesAfter.filter((sms) => sms.phone === asha.phone);
    expect(toAsha.map((sms) => (sms.body.includes('Reply 1') ? 'page' : sms.body))).toEqual([
      'page',
      `dutyline ${reference}: accepted by another AMHP. No action needed.`,
    ]);
    // The team's view: the referrer's leaves stand-downs off its timeline.
    const stoodDown = await api('GET', `/api/referrals/${id}`, await login(manager.id));
    expect(stoodDown.body.timeline).toContainEqual(expect.objectContaining({ type: 'stood_down', told: 1, afterExhaustion: false }));

    // The same Idempotency-Key returns the same referral and creates nothing.
    const before = await countReferrals();
    const repeated = await api('POST', '/api/referrals', token, body, { 'idempotency-key': key });
    expect(repeated.status).toBe(202);
    expect(repeated.body.id).toBe(id);
    expect(repeated.body.reference).toBe(reference);
    expect(await countReferrals()).toBe(before);
    // Reusing the key for a different referral is refused rather than silently answered.
    const reused = await api('POST', '/api/referrals', token, { ...body, urgency: 'within_24_hours' }, { 'idempotency-key': key });
    expect(reused.status).toBe(422);
    expect(await countReferrals()).toBe(before);
  });

  it('refuses a bad NHS number with 400 naming subject.nhsNumber, and stores and sends nothing', async () => {
    const token = await login('gp');
    const before = await countReferrals();
    const smsBefore = runtime.outbox.list().length;
    const response = await api('POST', '/api/referrals', token, referralBody({ nhsNumber: '943 476 5918' }));
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('validation_failed');
    expect(response.body.issues).toEqual([expect.objectContaining({ path: 'subject.nhsNumber' })]);
    expect(JSON.stringify(response.body)).not.toContain('943 476 5918');
    await drained(runtime);
    expect(await countReferrals()).toBe(before);
    expect(runtime.outbox.list()).toHaveLength(smsBefore);
  });

  it('accepts through the signed link once, and refuses the link the second time', async () => {
    const token = await login('gp');
    const submitted = await api('POST', '/api/referrals', token, referralBody());
    const { id, reference } = submitted.body;
    const page = await runtime.outbox.waitFor((sms) => sms.phone === asha.phone && sms.body.includes(reference), 15_000);
    const link = /(http:\/\/\S+\/a\/\S+)/.exec(page.body)?.[1];
    expect(link).toBeDefined();

    const confirm = await fetch(link!);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain(reference);
    expect((await api('GET', `/api/referrals/${id}`, token)).body.status).toBe('paging');

    const accept = await fetch(link!, { method: 'POST' });
    expect(accept.status).toBe(200);
    const accepted = await waitForStatus(id, token, 'accepted');
    expect(accepted.assignedTo).toEqual({ name: asha.name, phone: asha.phone });
    expect((await fetch(link!, { method: 'POST' })).status).toBe(409);
    const tampered = link!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await fetch(tampered)).status).toBe(404);
  });

  it('lets only the paged AMHP answer, and a decline pages the next step at once', async () => {
    const token = await login('gp');
    const { body } = await api('POST', '/api/referrals', token, referralBody());
    await runtime.outbox.waitFor((sms) => sms.phone === asha.phone && sms.body.includes(body.reference), 15_000);

    const benToken = await login(ben.id);
    expect((await api('POST', `/api/referrals/${body.id}/accept`, benToken)).status).toBe(403);
    const ashaToken = await login(asha.id);
    const declined = await api('POST', `/api/referrals/${body.id}/decline`, ashaToken, { reason: 'already at an assessment' });
    expect(declined.status).toBe(200);
    await runtime.outbox.waitFor((sms) => sms.phone === ben.phone && sms.body.includes(body.reference), 1_500);
    const view = await api('GET', `/api/referrals/${body.id}`, ashaToken);
    expect(JSON.stringify(view.body.timeline)).not.toContain('already at an assessment');
  });

  it('has logged what happened, and none of the person\'s identifiers', () => {
    expect(logLines.some((line) => line.includes('referral routed'))).toBe(true);
    for (const line of logLines) for (const identifier of identifiers) expect(line).not.toContain(identifier);
  });

  it('does not show a referral to another referrer', async () => {
    const token = await login('gp');
    const { body } = await api('POST', '/api/referrals', token, referralBody());
    const police = await login('police');
    expect((await api('GET', `/api/referrals/${body.id}`, police)).status).toBe(404);
    expect((await fetch(`${runtime.url}/api/referrals/${body.id}`)).status).toBe(401);
  });
});
