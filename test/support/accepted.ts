import { expect } from 'vitest';
import type { LocalRuntime } from '../../infra/local/runtime.ts';
import type { ApiAnswer } from './local-api.ts';

/** A test file's `as(username, method, path, body?)`: the local API as a signed-in demo user. */
export type AsUser = (username: string, method: string, path: string, body?: unknown) => Promise<ApiAnswer>;

/**
 * A referral submitted through the API by `referrer`, routed and paged, then accepted by the AMHP
 * the page went to (found by the phone it was texted to): where the night's work starts.
 */
export async function submittedAndAccepted(runtime: LocalRuntime, as: AsUser, body: unknown, referrer = 'police') {
  const created = await as(referrer, 'POST', '/api/referrals', body);
  expect(created.status).toBe(202);
  const { id, reference } = created.body as { id: string; reference: string };
  const page = await runtime.outbox.waitFor((sms) => sms.direction === 'outbound' && sms.body.includes(reference), 15_000);
  const amhp = (await runtime.deps.directory.staffByPhone(page.phone))?.id ?? '';
  expect((await as(amhp, 'POST', `/api/referrals/${id}/accept`)).status).toBe(200);
  return { id, reference, amhp, phone: page.phone, page: page.body };
}
