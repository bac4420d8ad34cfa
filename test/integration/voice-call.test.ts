import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCall } from '../../infra/local/call-outbox.ts';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { DEMO_TEAM_ID, demoReferrers, demoStaff } from '../../infra/local/seed.ts';
import { localApi, localToken } from '../support/local-api.ts';
import { drained, waitFor } from '../support/wait.ts';

/**
 * The voice fallback on the local runtime, over HTTP, against the emulators: a page nobody
 * answers rings the same phone after the team's callAfterSeconds (the call in `/local/calls`
 * and on the phone page), before the chain moves on; a page answered in time rings nobody.
 */

const ACK_TIMEOUT_SECONDS = 8;
const CALL_AFTER_SECONDS = 3;
const person = { givenName: 'Zebedee', familyName: 'Quartermaine', dateOfBirth: '1987-03-14', nhsNumber: '943 476 5919', homeAddress: '17 Juniper Crescent, Leeds LS6 9QQ' };
const identifiers = [person.givenName, person.familyName, person.dateOfBirth, '9434765919', '943 476 5919', 'Juniper'];

const [asha, ben] = demoStaff;
const [gp] = demoReferrers;

let runtime: LocalRuntime;
const api = localApi(() => runtime.url);
const login = (username: string) => localToken(runtime.url, username);

const referralBody = () => ({
  referrer: { name: 'Dr Gill Price', kind: 'gp', organisation: 'Leeds Central Surgery', phone: gp.phone },
  subject: { ...person, currentLocation: { kind: 'home', postcode: 'ls1 4ap' } },
  legal: { status: 's136', detentionStart: new Date(Date.now() - 3_600_000).toISOString() },
  reason: 'Hearing voices since Tuesday',
  risks: ['self-neglect'],
  urgency: 'immediate',
});

/** The reference as the call spells it: `EDT-4F7K-2Q9M` → `E D T, 4 F 7 K, 2 Q 9 M`. */
const spelt = (reference: string) => reference.split('-').map((group) => [...group].join(' ')).join(', ');

async function callsTo(phone: string): Promise<LocalCall[]> {
  const response = await fetch(`${runtime.url}/local/calls?to=${encodeURIComponent(phone)}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('application/json');
  return ((await response.json()) as { calls: LocalCall[] }).calls;
}

async function submit(): Promise<{ id: string; reference: string }> {
  const submitted = await api('POST', '/api/referrals', await login('gp'), referralBody());
  expect(submitted.status).toBe(202);
  return submitted.body as { id: string; reference: string };
}

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, seed: true });
  const team = await api('PUT', `/api/teams/${DEMO_TEAM_ID}`, await login('admin'), {
    name: 'Leeds Emergency Duty Team (voice test policy)',
    areas: ['LS1', 'LS2', 'LS6'],
    escalation: { ackTimeoutSeconds: ACK_TIMEOUT_SECONDS, repeat: 0, callAfterSeconds: CALL_AFTER_SECONDS },
    continuity: 'ignore',
    fallbackPhone: '+447700900199',
  });
  expect(team.status).toBe(200);
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
});

describe('voice fallback, locally', () => {
  it('rings the phone of a page still unanswered after callAfterSeconds, before the chain moves on, saying no personal data', async () => {
    const { id, reference } = await submit();
    await runtime.outbox.waitFor((sms) => sms.phone === asha.phone && sms.body.includes(reference), 15_000);

    const call = await waitFor('the call to the primary', async () => (await callsTo(asha.phone)).find((c) => c.words.includes(spelt(reference))), 15_000);
    expect(call.ssml).toContain('<say-as interpret-as="characters">');
    expect(call.words).toContain('Section 136.');
    expect(call.words).toContain('L S 1');
    expect(call.words).toContain('reply 1 to the text message');
    for (const identifier of [...identifiers, asha.name]) {
      expect(call.words).not.toContain(identifier);
      expect(call.ssml).not.toContain(identifier);
    }
    // Nobody else was rung, and the secondary was not yet paged: the call came before the chain moved.
    expect((await callsTo(ben.phone)).filter((c) => c.words.includes(spelt(reference)))).toEqual([]);

    const managerToken = await login(demoStaff[3].id);
    const view = await waitFor('the voice_call entry', async () => {
      const { body } = await api('GET', `/api/referrals/${id}`, managerToken);
      return (body.timeline as { type: string }[]).some((entry) => entry.type === 'voice_call') ? body : null;
    }, 15_000);
    const types = (view.timeline as { type: string; pageSeq?: number }[]).map((entry) => entry.type);
    expect(types.indexOf('voice_call')).toBeGreaterThan(types.indexOf('paged'));
    expect(types.includes('ack_timeout') ? types.indexOf('ack_timeout') : Infinity).toBeGreaterThan(types.indexOf('voice_call'));
    expect(JSON.stringify(view.timeline)).not.toContain(asha.phone);

    // The phone page shows the call and its words.
    const phonePage = await (await fetch(`${runtime.url}/phone/${encodeURIComponent(asha.phone)}`)).text();
    expect(phonePage).toContain('Calls');
    expect(phonePage).toContain(spelt(reference));

    // Accepting stops the chain (and with it any further call).
    expect((await api('POST', `/api/referrals/${id}/accept`, await login(asha.id), {})).status).toBe(200);
  }, 60_000);

  it('rings nobody for a page accepted before its call was due', async () => {
    const { id, reference } = await submit();
    // Asha holds the first referral now, so the free AMHP may be paged first.
    const page = await runtime.outbox.waitFor((sms) => demoStaff.some((staff) => staff.phone === sms.phone) && sms.body.includes(reference), 15_000);
    const paged = demoStaff.find((staff) => staff.phone === page.phone)!;
    const answeredAt = Date.now();
    expect((await api('POST', `/api/referrals/${id}/accept`, await login(paged.id), {})).status).toBe(200);

    // The call timer (3 s after the page) has come and gone, and everything it could cause is done.
    await drained(runtime, { timersDueBy: answeredAt + CALL_AFTER_SECONDS * 1000 + 1_000, timeoutMs: 20_000 });
    const everyCall = ((await (await fetch(`${runtime.url}/local/calls`)).json()) as { calls: LocalCall[] }).calls;
    expect(everyCall.filter((c) => c.words.includes(spelt(reference)))).toEqual([]);
    const { body } = await api('GET', `/api/referrals/${id}`, await login(demoStaff[3].id));
    expect((body.timeline as { type: string }[]).map((entry) => entry.type)).not.toContain('voice_call');
  }, 60_000);

  it('lists every call without ?to=, and none for a phone never rung', async () => {
    const all = ((await (await fetch(`${runtime.url}/local/calls`)).json()) as { calls: LocalCall[] }).calls;
    expect(all.length).toBeGreaterThan(0);
    expect(await callsTo('+447700900999')).toEqual([]);
  });
});
