import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { demoStaff } from '../../infra/local/seed.ts';
import { smsLimits } from '../../shared/app/sms-policy.ts';
import type { SmsSender } from '../../shared/ports.ts';
import { localToken } from '../support/local-api.ts';

/**
 * SMS delivery faults on the emulators: a phone the provider cannot reach, and a storm of
 * referrals on one phone. Either way the chain moves on and the manager is told.
 */

const [asha, ben, chloe, manager] = demoStaff;
let runtime: LocalRuntime;
/** Numbers the SMS provider refuses, as it would an unreachable or barred number. */
const unreachable = new Set<string>();
let attemptsToUnreachable = 0;

class ProviderRefusal extends Error {
  override name = 'ServiceUnavailableException';
}

beforeAll(async () => {
  // The page limit counts per fixed window: the runtime's clock starts just inside one, so that the
  // storm below (seconds long, even on a loaded machine) cannot straddle two windows and get 2×.
  const windowMs = smsLimits.pagesPerPhone.windowSeconds * 1000;
  const offsetMs = (Date.now() % windowMs) - 5_000;
  runtime = await startLocalRuntime({
    port: 0,
    seed: true,
    now: () => new Date(Date.now() - offsetMs),
    wrapSms: (outbox): SmsSender => ({
      async send(to, text) {
        if (unreachable.has(to)) {
          attemptsToUnreachable++;
          throw new ProviderRefusal('provider unavailable');
        }
        return outbox.send(to, text);
      },
    }),
  });
});

afterAll(async () => {
  await runtime?.stop();
});

async function submitPhoneReferral(token: string) {
  const response = await fetch(`${runtime.url}/api/referrals`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      channel: 'phone',
      callbackPhone: '07700 900202',
      currentLocation: { postcode: 'LS3 1AB' },
      legal: { status: 'none' },
      urgency: 'within_4_hours',
    }),
  });
  return (await response.json()) as { id: string; reference: string };
}

const login = (username: string): Promise<string> => localToken(runtime.url, username);

describe('SMS delivery', () => {
  it('retries a page the provider refuses, then pages the next step at once and tells the manager', async () => {
    unreachable.add(asha.phone);
    try {
      const token = await login('police');
      const { id, reference } = await submitPhoneReferral(token);
      const toBen = await runtime.outbox.waitFor((sms) => sms.phone === ben.phone && sms.body.includes(reference), 8_000);
      expect(toBen.body).toContain('Reply 1 to accept');
      const toManager = await runtime.outbox.waitFor((sms) => sms.phone === manager.phone && sms.body.includes(reference), 5_000);
      expect(toManager.body).toMatch(/could not be delivered/);
      expect(attemptsToUnreachable).toBe(3);
      // A failed page is the team's record: the referrer's view does not list it (issue 15).
      const view = (await (await fetch(`${runtime.url}/api/referrals/${id}`, { headers: { authorization: `Bearer ${await login(manager.id)}` } })).json()) as {
        timeline: { type: string; reason?: string }[];
      };
      expect(view.timeline).toContainEqual(expect.objectContaining({ type: 'page_failed', reason: 'sms_not_delivered' }));
    } finally {
      unreachable.clear();
    }
  });

  it('pages one phone at most its limit in a storm; the pages over it go to the next step, and the manager hears', async () => {
    const token = await login('police');
    const storm = smsLimits.pagesPerPhone.limit + 2;
    const references: string[] = [];
    for (let i = 0; i < storm; i++) references.push((await submitPhoneReferral(token)).reference);
    for (const reference of references) {
      await runtime.outbox.waitFor(
        (sms) => (sms.phone === asha.phone || sms.phone === ben.phone) && sms.body.includes(reference) && sms.body.includes('Reply 1'),
        15_000,
      );
    }
    const ashaPages = runtime.outbox.list(asha.phone).filter((sms) => references.some((r) => sms.body.includes(r)));
    expect(ashaPages.length, ashaPages.map((sms) => sms.body.slice(0, 60)).join("\n")).toBeLessThanOrEqual(smsLimits.pagesPerPhone.limit);
    expect(ashaPages.length).toBeGreaterThan(0);
    const movedOn = references.filter((r) => runtime.outbox.list(ben.phone).some((sms) => sms.body.includes(r)));
    expect(movedOn.length).toBeGreaterThanOrEqual(storm - ashaPages.length);
    expect(runtime.outbox.list(chloe.phone)).toEqual([]);
    await runtime.outbox.waitFor((sms) => sms.phone === manager.phone && sms.body.includes(movedOn[0] ?? '?'), 5_000);
  });
});
