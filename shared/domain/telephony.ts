/**
 * Phone intake rules: how telephony platforms sign webhook requests, how an Amazon Connect
 * contact flow's parameters become a phone referral, and how a reference is read out to a caller.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mostRecentLondonTime, parseClockTime } from './london-time.ts';
import type { ValidationIssue } from './types.ts';

/** A signed request older (or newer) than this is refused: clocks drift, and replays are remembered this long. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** Integrator ids are what the shared secret is filed under: short, and safe in logs and keys. */
export const INTEGRATOR_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * `v1=` + hex HMAC-SHA256, keyed by the integrator's shared secret, over `<timestamp>.<raw body>`:
 * the timestamp is signed with the body, so neither can be swapped.
 */
export function webhookSignature(secret: string, timestamp: string, rawBody: string | Buffer): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

/** On success, `signature` is the canonical one (whatever else the header listed): the request's replay key. */
export type SignatureCheck =
  | { ok: true; timestamp: number; signature: string }
  | { ok: false; reason: 'malformed' | 'stale' | 'bad_signature' };

/** The signature header may list several (`v1=…, v1=…`), so a secret can be rotated without downtime. */
export function checkWebhookSignature(input: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: string | Buffer;
  now: Date;
}): SignatureCheck {
  if (!input.timestamp || !/^\d{9,11}$/.test(input.timestamp) || !input.signature) return { ok: false, reason: 'malformed' };
  const timestamp = Number(input.timestamp);
  if (Math.abs(input.now.getTime() / 1000 - timestamp) > WEBHOOK_TOLERANCE_SECONDS) return { ok: false, reason: 'stale' };
  const canonical = webhookSignature(input.secret, input.timestamp, input.rawBody);
  const expected = Buffer.from(canonical);
  const matches = input.signature
    .split(',')
    .map((candidate) => Buffer.from(candidate.trim()))
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
  return matches ? { ok: true, timestamp, signature: canonical } : { ok: false, reason: 'bad_signature' };
}

/** `EDT-4F7K-2Q9M` → `E D T, 4 F 7 K, 2 Q 9 M`: spelt out, in groups, for text-to-speech. */
export function spokenReference(reference: string): string {
  return reference
    .split('-')
    .map((group) => group.split('').join(' '))
    .join(', ');
}

/**
 * The contact flow's attributes (Details.Parameters) as a phone referral body, for the phone
 * schema to check. The callback number defaults to the caller's own. A detention start may come
 * as an instant (`detentionStart`) or, keyed on the phone, as four digits on the 24-hour clock
 * (`detentionStartTime`, e.g. `2140`): the most recent such time in England and Wales.
 */
export function connectReferralBody(
  parameters: Record<string, string | undefined>,
  callerNumber: string | undefined,
  now: Date,
): { body: Record<string, unknown>; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const given = (name: string) => parameters[name]?.trim() || undefined;
  let detentionStart = given('detentionStart');
  const keyedTime = given('detentionStartTime');
  if (!detentionStart && keyedTime) {
    const time = /^\d{4}$/.test(keyedTime) ? parseClockTime(keyedTime) : null;
    if (time) detentionStart = mostRecentLondonTime(time, now).toISOString();
    else issues.push({ path: 'legal.detentionStart', message: 'must be four digits on the 24-hour clock, e.g. 2140' });
  }
  return {
    body: {
      channel: 'phone',
      callbackPhone: given('callbackPhone') ?? callerNumber,
      currentLocation: { postcode: given('postcode') },
      legal: { status: given('legalStatus'), ...(detentionStart ? { detentionStart } : {}) },
      urgency: given('urgency'),
    },
    issues,
  };
}
