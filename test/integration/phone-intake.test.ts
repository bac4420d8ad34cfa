import { readFileSync } from 'node:fs';
import type { ConnectContactFlowEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler as makeConnectHandler } from '../../functions/telephony/connect-intake.ts';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { demoStaff } from '../../infra/local/seed.ts';
import { webhookSignature } from '../../shared/domain/telephony.ts';

/** Phone referrals on the local runtime: a signed webhook over HTTP, and the Connect function. */

let runtime: LocalRuntime;
const [asha] = demoStaff;

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, seed: true });
});

afterAll(async () => {
  await runtime?.stop();
});

const phoneReferral = (callbackPhone: string) =>
  JSON.stringify({ callbackPhone, currentLocation: { postcode: 'LS2 7EW' }, legal: { status: 'none' }, urgency: 'within_4_hours' });

async function postSigned(body: string, options: { timestamp?: string; secret?: string } = {}) {
  const timestamp = options.timestamp ?? String(Math.floor(Date.now() / 1000));
  const response = await fetch(`${runtime.url}/api/telephony/referrals`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-dutyline-integrator': runtime.telephony.integrator,
      'x-dutyline-timestamp': timestamp,
      'x-dutyline-signature': webhookSignature(options.secret ?? runtime.telephony.secret, timestamp, body),
    },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

describe('phone intake, locally', () => {
  it('takes a signed webhook referral, routes it and pages the AMHP on duty for where the person is', async () => {
    const accepted = await postSigned(phoneReferral('07700 900301'));
    expect(accepted.status).toBe(202);
    const page = await runtime.outbox.waitFor((sms) => sms.phone === asha.phone && sms.body.includes(accepted.body.reference ?? '-'), 5_000);
    expect(page.body).toContain('LS2');
  });

  it('refuses the same signed request a second time, whichever instance it reaches (DynamoDB conditional write)', async () => {
    const body = phoneReferral('07700 900302');
    const timestamp = String(Math.floor(Date.now() / 1000));
    const [first, second] = await Promise.all([postSigned(body, { timestamp }), postSigned(body, { timestamp })]);
    expect([first.status, second.status].sort()).toEqual([202, 409]);
  });

  it('refuses a stale timestamp and a wrong secret', async () => {
    const body = phoneReferral('07700 900303');
    expect((await postSigned(body, { timestamp: String(Math.floor(Date.now() / 1000) - 3600) })).status).toBe(401);
    expect((await postSigned(body, { secret: 'someone-else-secret-0123456789abcdefghij' })).status).toBe(401);
  });

  it('answers an Amazon Connect contact flow with the reference within its 8-second limit, and the AMHP is paged', async () => {
    const event = JSON.parse(readFileSync(new URL('../../events/connect-contact-flow.json', import.meta.url), 'utf8')) as ConnectContactFlowEvent;
    event.Details.ContactData.ContactId = 'local-contact-0001';
    event.Details.Parameters = { postcode: 'LS6 1AA', legalStatus: 'none', urgency: 'immediate' };
    const started = performance.now();
    const answer = await makeConnectHandler(runtime.deps)(event, { getRemainingTimeInMillis: () => 8_000 });
    const elapsed = performance.now() - started;
    console.log(`Connect contact-flow function answered in ${elapsed.toFixed(0)} ms`);
    expect(answer.result).toBe('accepted');
    expect(elapsed).toBeLessThan(2_000);
    await runtime.outbox.waitFor((sms) => sms.phone === asha.phone && sms.body.includes(answer.reference ?? '-'), 5_000);
    // The same contact retried gives the same referral.
    const again = await makeConnectHandler(runtime.deps)(event);
    expect(again.reference).toBe(answer.reference);
  });
});
