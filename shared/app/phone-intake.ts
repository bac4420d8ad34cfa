import { checkWebhookSignature, INTEGRATOR_ID, WEBHOOK_TOLERANCE_SECONDS } from '../domain/telephony.ts';
import { isRecord } from '../domain/validation.ts';
import type { Dependencies } from '../ports.ts';
import { submitReferral, type SubmitResult } from './submit-referral.ts';

/**
 * A minimal referral from a telephony platform: callback number, where the person is now, legal
 * status and urgency; the AMHP calls back for the rest. `source` is who made it on the record
 * (`connect:<instance>`, `webhook:<integrator>`), as a signed-in user is for the web form.
 */
export async function submitPhoneReferral(
  deps: Dependencies,
  input: { source: string; body: unknown; idempotencyKey?: string },
): Promise<SubmitResult> {
  if (isRecord(input.body) && input.body.channel !== undefined && input.body.channel !== 'phone') {
    return { kind: 'invalid', issues: [{ path: 'channel', message: 'must be phone: this endpoint takes phone referrals' }] };
  }
  const body = isRecord(input.body) ? { ...input.body, channel: 'phone' } : input.body;
  return submitReferral(deps, { userId: input.source, body, ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}) });
}

export type WebhookResult =
  | { kind: 'unauthorised'; reason: 'unknown_integrator' | 'malformed' | 'stale' | 'bad_signature' }
  | { kind: 'replayed' }
  | { kind: 'not-json' }
  | SubmitResult;

/**
 * A telephony webhook: the integrator's signature over timestamp and body must check out, the
 * timestamp must be within five minutes, and the exact signed request must not have been seen
 * before (a DynamoDB conditional write, so a replay is caught whichever instance it reaches).
 */
export async function receiveTelephonyWebhook(
  deps: Dependencies,
  request: { integrator: string | undefined; timestamp: string | undefined; signature: string | undefined; rawBody: string; idempotencyKey?: string },
): Promise<WebhookResult> {
  const integrator = request.integrator?.trim().toLowerCase() ?? '';
  const secret = INTEGRATOR_ID.test(integrator) ? await deps.integratorSecrets?.secretFor(integrator) : null;
  if (!secret) return { kind: 'unauthorised', reason: 'unknown_integrator' };
  const now = deps.clock.now();
  const check = checkWebhookSignature({ secret, timestamp: request.timestamp, signature: request.signature, rawBody: request.rawBody, now });
  if (!check.ok) return { kind: 'unauthorised', reason: check.reason };
  if (!deps.replayGuard) throw new Error('the replay guard is not configured');
  const fresh = await deps.replayGuard.claim(`webhook:${integrator}:${check.signature.slice(3)}`, new Date((check.timestamp + WEBHOOK_TOLERANCE_SECONDS + 60) * 1000));
  if (!fresh) return { kind: 'replayed' };
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody);
  } catch {
    return { kind: 'not-json' };
  }
  return submitPhoneReferral(deps, {
    source: `webhook:${integrator}`,
    body,
    ...(request.idempotencyKey ? { idempotencyKey: request.idempotencyKey } : {}),
  });
}
